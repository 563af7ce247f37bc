"""The dataset as a folder: ``yusuan.toml`` plus one CSV file per kind of record."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yusuan.dataset.assemble import RawDataset, RawTable, RawUnit
from yusuan.dataset.convert import RawRow, record_cells, written_columns
from yusuan.dataset.explanation import read_explanation_file, write_explanation_file
from yusuan.dataset.problems import Notice, Problem, cell_name, column_letter
from yusuan.dataset.schema import MANIFEST_FILE, RECORD_KINDS, RecordKind
from yusuan.dataset.textfile import present, read_text_file
from yusuan.dataset.toml_manifest import ManifestValues, read_manifest_toml
from yusuan.fsutil import atomic_directory
from yusuan.model.records import ACCEPTANCE_KEYS, Acceptance, Dataset, Manifest
from yusuan.tables.prior import choice_text


def read_csv_table(path: Path, label: str) -> tuple[RawTable | None, list[Problem], list[Notice]]:
    """Read one record file; ``None`` when it cannot be read at all (the problems say why)."""
    decoded, problems, notices = read_text_file(path, label)
    if decoded is None:
        return None, problems, notices
    if not decoded.text.strip():
        return (
            None,
            [
                Problem(
                    "empty-file",
                    label,
                    0,
                    "",
                    "文件为空（至少要有表头行）",
                    "file is empty (a header row is needed)",
                )
            ],
            notices,
        )
    records, syntax_problem = _csv_records(decoded.text, label)
    if syntax_problem is not None:
        return None, [syntax_problem], notices
    table, problems = table_of_records(label, records)
    return table, problems, notices


# The longest cell read (Python's csv default). A longer one is most likely a quote that opened
# and swallowed the rest of the file; set here, not left to whatever another library set.
CELL_LIMIT = 131_072


@contextlib.contextmanager
def _cell_limit() -> Iterator[None]:
    previous = csv.field_size_limit(CELL_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _csv_records(text: str, label: str) -> tuple[list[list[str]], Problem | None]:
    """Every record of a CSV text, or the first syntax problem (nothing after it can be trusted)."""
    with _cell_limit():
        return _read_records(text, label)


def _read_records(text: str, label: str) -> tuple[list[list[str]], Problem | None]:
    try:
        return list(csv.reader(io.StringIO(text, newline=""), strict=True)), None
    except csv.Error:
        pass  # read again record by record, to say where
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    while True:
        start_line = reader.line_num + 1
        try:
            records.append(next(reader))
        except StopIteration:
            return records, None
        except csv.Error as exc:
            headers = records[0] if records else []
            return records, _syntax_problem(
                text, label, headers, len(records) + 1, start_line, str(exc)
            )


def _syntax_problem(
    text: str, label: str, headers: list[str], row: int, line: int, error: str
) -> Problem:
    """Locate a CSV syntax error: the field where the bad quote, NUL or oversized cell is."""
    offset = _offset_of_line(text, line)
    fault = quote_fault(text, offset, CELL_LIMIT)
    index = fault.field if fault is not None else 0
    column = headers[index].strip() if index < len(headers) and row > 1 else ""
    cell = cell_name(row, index)
    if fault is not None and fault.kind == "too-long":
        limit = CELL_LIMIT
        return Problem(
            "cell-too-long",
            label,
            row,
            column,
            f"单元格超过 {limit:,} 个字符（CSV 单元格的上限）",
            f"the cell is longer than {limit:,} characters (the CSV cell limit)",
            cell,
        )
    if fault is not None and fault.kind == "nul":
        return Problem(
            "nul-byte",
            label,
            row,
            column,
            "单元格含空字符（NUL），文件可能已损坏或不是文本",
            "the cell holds a NUL character; the file may be damaged or not text",
            cell,
        )
    opened = f"（引号在第{fault.line}行打开）" if fault is not None and fault.line != row else ""
    opened_en = (
        f" (the quote opens on line {fault.line})"
        if fault is not None and fault.line != row
        else ""
    )
    if "unexpected end of data" in error:
        return Problem(
            "unclosed-quote",
            label,
            row,
            column,
            f"单元格以引号开头但直到文件末尾都没有结尾的引号{opened}，其后各行都会被并入这一格；请补上引号或删去多余的引号",
            "the cell opens a quote that is never closed before the end of the file"
            f"{opened_en}, so every later row would be swallowed into it; close or remove the quote",
            cell,
        )
    return Problem(
        "bad-quote",
        label,
        row,
        column,
        f"引号使用有误{opened}：带引号的单元格在结尾引号后还有其他字符（可能前面某格缺少结尾引号）；"
        '单元格内的引号要写成两个（""）',
        f"misplaced quote{opened_en}: a quoted cell has more text after its closing quote (perhaps "
        'an earlier cell lacks its closing quote); a quote inside a cell is written twice ("")',
        cell,
    )


@dataclass(frozen=True, slots=True)
class CsvFault:
    """What is wrong in a CSV record: an unclosed quote, text after a closing quote, a NUL or an
    oversized cell; the physical line where the faulty cell starts and its 0-based index."""

    kind: str  # unclosed | after-quote | nul | too-long
    line: int
    field: int


def quote_fault(text: str, offset: int, limit: int) -> CsvFault | None:
    """Scan the record starting at ``offset`` as Python's csv does, to say where it goes wrong."""
    line = text.count("\n", 0, offset) + 1
    field, length, quote_line = 0, 0, line
    at_start, in_quote, after_quote = True, False, False
    i, n = offset, len(text)
    while i < n:
        ch = text[i]
        i += 1
        if ch == "\0":
            return CsvFault("nul", line, field)
        if in_quote:
            if ch == '"' and i < n and text[i] == '"':
                i += 1
                length += 1
            elif ch == '"':
                in_quote, after_quote = False, True
            else:
                line += ch == "\n"
                length += 1
        elif ch == ",":
            field, length, at_start, after_quote = field + 1, 0, True, False
        elif ch in "\r\n":
            return None  # the record ends cleanly
        elif after_quote:
            return CsvFault("after-quote", quote_line, field)
        elif ch == '"' and at_start:
            in_quote, quote_line, at_start = True, line, False
        else:
            at_start = False
            length += 1
        if length > limit:
            return CsvFault("too-long", line, field)
    return CsvFault("unclosed", quote_line, field) if in_quote else None


def _offset_of_line(text: str, line: int) -> int:
    offset = 0
    for _ in range(line - 1):
        found = text.find("\n", offset)
        if found < 0:
            return len(text)
        offset = found + 1
    return offset


def table_of_records(
    label: str, records: Iterable[list[str]], first_row: int = 1
) -> tuple[RawTable | None, list[Problem]]:
    """Headers and rows of a sheet or CSV file, with every shape problem located.

    A duplicated header, a blank header over data, a row with fewer cells than headers and a row
    with data beyond the last header are problems: each would silently change what is read.
    """
    stream = iter(records)
    first = next(stream, None)
    if first is None:
        return RawTable(label, [], []), []
    headers = [h.strip() for h in first]
    problems = header_problems(label, headers, first_row)
    if problems:
        return None, problems  # which copy of a column to read would be a guess
    blank = [i for i, h in enumerate(headers) if not h]
    width = len(headers)
    while width and not headers[width - 1]:
        width -= 1  # trailing blank headers: checked below like any blank header
    rows: list[RawRow] = []
    for number, cells in enumerate(stream, start=first_row + 1):
        if not "".join(cells).strip():
            continue  # a blank line is not a record
        if len(cells) < width:
            problems.append(
                Problem(
                    "short-row",
                    label,
                    number,
                    headers[len(cells)],
                    f"本行只有{len(cells)}个单元格，少于表头的{width}列（从“{headers[len(cells)]}”起缺失）",
                    f"the row has {len(cells)} cells, fewer than the {width} headers "
                    f"(missing from {headers[len(cells)]!r})",
                    cell_name(number, len(cells)),
                )
            )
            continue
        extra = None
        if len(cells) > len(headers):
            extra = next((i for i in range(len(headers), len(cells)) if cells[i].strip()), None)
        if extra is not None:
            problems.append(
                Problem(
                    "extra-cells",
                    label,
                    number,
                    "",
                    f"本行在表头之外还有内容（共{len(cells)}个单元格，表头{len(headers)}列）",
                    f"the row has data beyond the {len(headers)} headers ({len(cells)} cells)",
                    cell_name(number, extra),
                )
            )
            continue
        over_blank = None
        if blank:
            over_blank = next((i for i in blank if i < len(cells) and cells[i].strip()), None)
        if over_blank is not None:
            problems.append(
                Problem(
                    "blank-header",
                    label,
                    number,
                    "",
                    "这一列有内容但表头为空；请填写表头或删去这一列",
                    "this column has data but no header; name it or delete the column",
                    cell_name(number, over_blank),
                )
            )
            continue
        rows.append(RawRow(number, cells))
    return RawTable(label, headers, rows), problems


def header_problems(label: str, headers: list[str], row: int = 1) -> list[Problem]:
    """A header that appears twice: which copy would be read is a guess, so it is refused."""
    problems = []
    first: dict[str, int] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        if header in first:
            problems.append(
                Problem(
                    "duplicate-column",
                    label,
                    row,
                    header,
                    f"表头“{header}”出现两次（{column_letter(first[header])}列和{column_letter(index)}列）",
                    f"header {header!r} appears twice (columns {column_letter(first[header])} "
                    f"and {column_letter(index)})",
                    cell_name(row, index),
                )
            )
        first.setdefault(header, index)
    return problems


def read_acceptances(entries: object, label: str) -> tuple[list[Acceptance], list[Problem]]:
    """The manifest's ``[[accepted]]`` entries: rule and reason required, a place or its keys."""
    accepted: list[Acceptance] = []
    problems: list[Problem] = []
    for number, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
        entry = entry if isinstance(entry, dict) else {}
        rule = str(entry.get("rule", "")).strip()
        reason = str(entry.get("reason", "")).strip()
        keys = tuple(
            (key, str(entry[key]).strip())
            for key in ACCEPTANCE_KEYS
            if str(entry.get(key, "")).strip()
        )
        place = str(entry.get("place", "")).strip()
        if not keys and place:  # a workbook cell may name the keys: "project=…；field=…"
            pairs = [part.partition("=") for part in place.split("；")]
            if all(sep and key.strip() in ACCEPTANCE_KEYS for key, sep, _ in pairs):
                keys = tuple((key.strip(), value.strip()) for key, _, value in pairs)
                place = ""
        missing = [name for name, value in (("rule", rule), ("reason", reason)) if not value]
        if not place and not keys:
            missing.append("place")
        if missing:
            problems.append(
                Problem(
                    "manifest",
                    label,
                    0,
                    "accepted",
                    f"第{number}项 [[accepted]] 缺少 {'、'.join(missing)}（需要 rule、place 与 reason）",
                    f"[[accepted]] entry {number} lacks {', '.join(missing)} "
                    "(rule, place and reason are required)",
                )
            )
            continue
        accepted.append(Acceptance(rule, reason, place, keys))
    return accepted, problems


def read_folder(folder: Path) -> RawDataset:
    manifest_path = folder / MANIFEST_FILE
    if present(manifest_path):
        manifest = read_manifest_toml(manifest_path)
    else:
        missing = Problem(
            "missing-file",
            MANIFEST_FILE,
            0,
            "",
            f"缺少清单文件“{MANIFEST_FILE}”",
            f"missing manifest {MANIFEST_FILE!r}",
        )
        manifest = ManifestValues(problems=[missing], unreadable=True)
    raw = RawDataset(
        manifest_file=MANIFEST_FILE,
        department=manifest.department,
        budget=manifest.budget,
        format_version=manifest.format_version,
        units=[
            RawUnit(u["code"], u["name"], u["kind"], u["parent"], MANIFEST_FILE, index, "[[units]]")
            for index, u in enumerate(manifest.units, start=1)
        ],
        rules=manifest.rules,
        problems=list(manifest.problems),
        notices=list(manifest.notices),
        manifest_unreadable=manifest.unreadable,
        manifest_places=manifest.places,
    )
    raw.explanation, explanation_problems, explanation_notices = read_explanation_file(folder)
    raw.problems.extend(explanation_problems)
    raw.notices.extend(explanation_notices)
    raw.accepted, accepted_problems = read_acceptances(manifest.accepted, MANIFEST_FILE)
    raw.problems.extend(accepted_problems)
    for kind in RECORD_KINDS:
        path = folder / kind.file
        if not present(path):
            continue
        table, problems, notices = read_csv_table(path, kind.file)
        raw.problems.extend(problems)
        raw.notices.extend(notices)
        if table is None:
            raw.unreadable.add(kind.key)
        else:
            raw.tables[kind.key] = table
    return raw


def _toml_string(value: str) -> str:
    """A TOML basic string (JSON escapes are valid TOML escapes)."""
    return json.dumps(value, ensure_ascii=False)


def manifest_toml(manifest: Manifest) -> str:
    """The manifest as TOML, in the documented layout (sections in a fixed order, one block a unit)."""
    d = manifest.department
    lines = [
        "# yusuan 数据集清单 / dataset manifest — see docs/dataset-format.md",
        f"format_version = {manifest.format_version}",
        "",
        "[department]",
        f"code = {_toml_string(d.code)}",
        f"name = {_toml_string(d.name)}",
    ]
    if d.region:
        lines.append(f"region = {_toml_string(d.region)}")
    if d.level:
        lines.append(f"level = {_toml_string(d.level)}")
    lines += [
        "",
        "[budget]",
        f"year = {manifest.year}",
        f"kind = {_toml_string(manifest.kind)}",
        f"display_unit = {_toml_string(manifest.display_unit.value)}",
    ]
    if manifest.prior_dataset:
        lines.append(f"prior_dataset = {_toml_string(manifest.prior_dataset)}")
    if manifest.prior_columns:
        lines.append(f"prior_columns = {_toml_string(choice_text(manifest.prior_columns))}")
    if manifest.catalog_year:
        lines.append(f"catalog_year = {manifest.catalog_year}")
    for unit in manifest.units:
        lines += [
            "",
            "[[units]]",
            f"code = {_toml_string(unit.code)}",
            f"name = {_toml_string(unit.name)}",
            f"kind = {_toml_string(unit.kind.value)}",
            f"parent = {_toml_string(unit.parent)}",
        ]
    for rule, settings in manifest.rules.items():
        lines += ["", f"[rules.{_toml_string(rule)}]"]
        lines += [f"{_toml_string(k)} = {_toml_string(v)}" for k, v in settings.items()]
    for acceptance in manifest.accepted:
        lines += ["", "[[accepted]]", f"rule = {_toml_string(acceptance.rule)}"]
        if acceptance.place:
            lines.append(f"place = {_toml_string(acceptance.place)}")
        lines += [f"{key} = {_toml_string(value)}" for key, value in acceptance.keys]
        lines.append(f"reason = {_toml_string(acceptance.reason)}")
    return "\n".join(lines) + "\n"


def csv_text(kind: RecordKind, records: Any, *, every_column: bool = False) -> str:
    records = list(records)
    columns = written_columns(kind, records, every_column=every_column)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.header for c in columns])
    for record in records:
        writer.writerow(record_cells(kind, record, columns))
    return out.getvalue()


def write_folder(dataset: Dataset, folder: Path) -> None:
    """Write the dataset as a folder, atomically (the old folder stays whole on any error)."""
    with atomic_directory(folder) as tmp:
        (tmp / MANIFEST_FILE).write_text(manifest_toml(dataset.manifest), "utf-8")
        for kind in RECORD_KINDS:
            records = getattr(dataset, _ATTR[kind.key])
            if kind.optional and not records:
                continue
            (tmp / kind.file).write_text(csv_text(kind, records), "utf-8")
        write_explanation_file(dataset.explanation, tmp)


_ATTR = {
    "lines": "lines",
    "projects": "projects",
    "indicators": "indicators",
    "procurement": "procurement",
    "revenue": "revenue",
    "prior_year": "prior_year",
}
