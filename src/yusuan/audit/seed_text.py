"""Reader for text already extracted from a PDF in tab-separated form (the seed's form).

Each line of the text is one printed row; its cells are separated by tabs, and a cell may be
empty. Nothing else is assumed: titles, units, headers and forms are recognised by the shared
layer (``recognise``, ``shape``, ``forms``), so this reader only turns lines into grid rows.
"""

from __future__ import annotations

from pathlib import Path

from yusuan.audit.assemble import recognise_rows
from yusuan.audit.document import RecognisedDocument
from yusuan.audit.grid import GridRow


def grid_rows(text: str) -> list[GridRow]:
    """One grid row per line (1-based line numbers), cells split at tabs."""
    return [
        GridRow(number, tuple(line.rstrip("\r").split("\t")))
        for number, line in enumerate(text.split("\n"), start=1)
    ]


def read_text(text: str, source: str = "<text>") -> RecognisedDocument:
    """Read a tab-separated extraction given as a string."""
    return recognise_rows(grid_rows(text), source)


def read_seed_text(path: str | Path) -> RecognisedDocument:
    """Read a tab-separated extraction from a file (UTF-8)."""
    file = Path(path)
    return read_text(file.read_text("utf-8"), str(file))
