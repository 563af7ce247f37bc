"""Text a spreadsheet would run as a formula, made inert: one rule for every CSV yusuan writes.

A cell of a CSV that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken
by Excel, WPS and LibreOffice as a formula (CSV injection, OWASP). Such text gets a leading
``'``, which spreadsheets show as text. Numbers stay numbers: ``-12.50`` is an amount, not a
formula. XLSX cells are safe by construction: text is written with ``write_string``
(``render.xlsx``), never as a formula.

Every CSV writer takes its writer from ``csv_writer``, so no row can miss the rule.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise(value: object) -> object:
    """``value`` as a CSV cell that cannot run: text starting like a formula gets a ``'``."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def safe_row(values: Iterable[object]) -> list[object]:
    """Every cell of a CSV row through ``neutralise``."""
    return [neutralise(value) for value in values]


class _Writes(Protocol):
    def write(self, text: str, /) -> Any: ...


class SafeCsvWriter:
    """``csv.writer`` whose every row goes through ``safe_row``."""

    def __init__(self, out: _Writes, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: _Writes, *, lineterminator: str = "\r\n") -> SafeCsvWriter:
    """The CSV writer for every file yusuan writes (CRLF lines, as Excel writes them)."""
    return SafeCsvWriter(out, lineterminator=lineterminator)
