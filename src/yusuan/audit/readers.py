"""One entry point for every reader: ``read_document(path)`` chooses by the file's suffix.

- ``.pdf``: ``pdf_reader`` (a PDF with a text layer; undecodable pages reported, not read);
- ``.txt``: text already extracted — tab-separated rows (the seed's form, ``seed_text``), or
  ``pdftotext -layout`` output (``layout_text``) when no line holds a tab;
- ``.xlsx``: ``xlsx_reader`` (yusuan's own workbooks and the official templates' layout).

Readers are imported when first needed, so a missing optional reader only fails for its own
kind of file, with a message saying so.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import cast

from yusuan.audit.document import RecognisedDocument

Reader = Callable[[Path], RecognisedDocument]


class UnsupportedDocument(ValueError):
    """No reader for this kind of file (or its reader is not installed)."""


def _reader(module: str, function: str) -> Reader:
    """A reader function, imported now; a clear error when its module is absent."""
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as missing:
        if missing.name != module:
            raise
        raise UnsupportedDocument(
            f"读取器 {module} 不可用 / the reader {module} is not available"
        ) from missing
    found = getattr(loaded, function, None)
    if not callable(found):
        raise UnsupportedDocument(
            f"读取器 {module} 没有 {function} / the reader {module} has no {function}"
        )
    return cast(Reader, found)


def read_text_file(path: Path) -> RecognisedDocument:
    """Extracted text: tab-separated (the seed's form) when any line holds a tab; otherwise
    ``pdftotext -layout`` output, read by ``layout_text`` (the tab reader when that reader is
    not installed)."""
    from yusuan.audit.seed_text import read_text

    text = path.read_text("utf-8")
    if "\t" in text:
        return read_text(text, str(path))
    try:
        layout = _reader("yusuan.audit.layout_text", "read_layout_text")
    except UnsupportedDocument:
        return read_text(text, str(path))
    return layout(path)


def read_document(path: str | Path) -> RecognisedDocument:
    """Read a published disclosure, choosing the reader by the file's suffix."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix == ".pdf":
        from yusuan.audit.pdf_reader import read_pdf

        return read_pdf(file)
    if suffix == ".txt":
        return read_text_file(file)
    if suffix in (".xlsx", ".xlsm"):
        return _reader("yusuan.audit.xlsx_reader", "read_xlsx")(file)
    raise UnsupportedDocument(
        f"不支持的文件类型“{file.suffix}” / no reader for "
        f"{file.suffix or 'files without a suffix'} (.pdf, .txt, .xlsx)"
    )
