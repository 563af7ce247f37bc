"""The written explanation's own text (说明.md) as part of a dataset, in both of its forms.

In a folder it is the file ``说明.md`` (Markdown: ``## 部门职责及机构设置`` headings, see
docs/narrative.md). In a workbook it is the sheet ``情况说明``: one line of that file per row, with
its line number, so that folder -> workbook -> folder gives the same file back. The text is kept
with Unix line ends and one final newline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from yusuan.dataset.problems import Notice, Problem
from yusuan.dataset.schema import EXPLANATION_FILE, EXPLANATION_SHEET
from yusuan.dataset.textfile import present, read_text_file

SHEET_HEADERS = ("行号", "内容（说明.md 的一行；以“## ”开头的行是标题）")


def normalised(text: str) -> str:
    """Unix line ends, no byte-order mark, one final newline (empty stays empty)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text.rstrip("\n") + "\n" if text.strip() else ""


def read_explanation_file(folder: Path) -> tuple[str, list[Problem], list[Notice]]:
    """``说明.md`` of a dataset folder ("" when there is none), read like every text file of a
    dataset (UTF-8 or GB18030, a notice when not UTF-8; never a FIFO)."""
    path = folder / EXPLANATION_FILE
    if not present(path):
        return "", [], []
    decoded, problems, notices = read_text_file(path, EXPLANATION_FILE)
    return (normalised(decoded.text) if decoded else ""), problems, notices


def write_explanation_file(text: str, folder: Path) -> None:
    if text.strip():
        (folder / EXPLANATION_FILE).write_text(normalised(text), "utf-8")


def explanation_from_rows(rows: Iterable[Sequence[Any]], label: str) -> tuple[str, list[Problem]]:
    """The text from the sheet's rows (after its header): (行号, 内容) pairs in any order; a line
    number that is missing is an empty line."""
    lines: dict[int, str] = {}
    problems = []
    for index, cells in enumerate(rows, start=2):
        number = str(cells[0] if len(cells) > 0 and cells[0] is not None else "").strip()
        content = str(cells[1] if len(cells) > 1 and cells[1] is not None else "")
        if not number and not content:
            continue
        try:
            lines[int(float(number))] = content
        except ValueError:
            problems.append(
                Problem(
                    "explanation",
                    f"{label}:{EXPLANATION_SHEET}",
                    index,
                    SHEET_HEADERS[0],
                    f"行号应为整数，实为“{number}”",
                    f"line number must be a whole number, got {number!r}",
                )
            )
    if not lines:
        return "", problems
    text = "\n".join(lines.get(n, "") for n in range(1, max(lines) + 1))
    return normalised(text), problems


def explanation_rows(text: str) -> list[tuple[int, str]]:
    """The sheet's rows for ``text``: (line number, line), empty lines left out."""
    return [(n, line) for n, line in enumerate(normalised(text).split("\n")[:-1], start=1) if line]
