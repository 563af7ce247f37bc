"""The written explanation's own text (说明.md) as part of a dataset, in both of its forms.

In a folder it is the file ``说明.md`` (Markdown: ``## 部门职责及机构设置`` headings, see
docs/narrative.md). In a workbook it is the sheet ``情况说明``: one line of that file per row, with
its line number, so that folder -> workbook -> folder gives the same file back. The text is kept
with Unix line ends and one final newline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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


# --- ## 变动原因: the reasons for changes from last year -------------------------------------

CHANGE_REASONS = "变动原因"

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SECTION = re.compile(r"^##(?!#)\s*(.*?)\s*#*\s*$")
# "- 2130101：reason" or "- 一般公共预算：reason"
_ENTRY = re.compile(r"^\s*[-*]\s*([^：:]{1,40}?)\s*[：:]\s*(.*?)\s*$")


@dataclass(frozen=True, slots=True)
class ChangeReason:
    """One entry of ``## 变动原因``: what it is about (a code or a name, as written), the
    reason (its final full stop removed) and its line in 说明.md."""

    key: str
    reason: str
    line: int

    @property
    def is_code(self) -> bool:
        return self.key.isdigit()


def change_reasons(
    text: str, file: str = EXPLANATION_FILE
) -> tuple[list[ChangeReason], list[Problem]]:
    """The entries of the ``## 变动原因`` section of 说明.md (docs/narrative.md), each with its
    line, and a located problem for each line that is not ``- 编码或名称：原因`` or repeats a key.

    Guidance in ``<!-- comments -->`` is ignored (line numbers kept)."""
    text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    entries: list[ChangeReason] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        heading = _SECTION.match(line)
        if heading:
            inside = heading.group(1) == CHANGE_REASONS
            continue
        if not inside or not line.strip():
            continue
        found = _ENTRY.match(line)
        if found is None or not found.group(2).strip("。；; "):
            problems.append(
                Problem(
                    "narrative-text",
                    file,
                    number,
                    "",
                    f"“{CHANGE_REASONS}”的每一行应为“- 科目编码或名称：原因”，如“- 2013202：新增专项工作经费”",
                    f"each line of {CHANGE_REASONS!r} must be '- <code or name>: reason'",
                )
            )
            continue
        key = found.group(1).strip()
        if key in seen:
            problems.append(
                Problem(
                    "narrative-text",
                    file,
                    number,
                    "",
                    f"“{key}”的变动原因重复（首次在第{seen[key]}行），此行未使用",
                    f"reason for {key!r} repeated (first on line {seen[key]}); not used",
                )
            )
            continue
        seen[key] = number
        entries.append(ChangeReason(key, found.group(2).strip().rstrip("。；;."), number))
    return entries, problems
