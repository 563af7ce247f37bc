"""Text a spreadsheet would run as a formula, made inert: one rule for every CSV yusuan writes.

A cell of a CSV that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken
by Excel, WPS and LibreOffice as a formula (CSV injection, OWASP). Such text gets a leading
``'``, which spreadsheets show as text. Numbers stay numbers: ``-12.50`` is an amount, not a
formula. XLSX cells are safe by construction: text is written with ``write_string``
(``render.xlsx``), never as a formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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
