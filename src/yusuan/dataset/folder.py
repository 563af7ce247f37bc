"""The dataset as a folder: ``yusuan.toml`` plus one CSV file per kind of record."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path
from typing import Any

from yusuan.dataset.assemble import RawDataset, RawTable, RawUnit
from yusuan.dataset.convert import RawRow, record_cells
from yusuan.dataset.explanation import read_explanation_file, write_explanation_file
from yusuan.dataset.problems import Problem
from yusuan.dataset.schema import MANIFEST_FILE, RECORD_KINDS, RecordKind
from yusuan.fsutil import atomic_directory
from yusuan.model.records import ACCEPTANCE_KEYS, Acceptance, Dataset, Manifest


def _read_csv(path: Path, label: str) -> tuple[RawTable | None, list[Problem]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [
            Problem(
                "encoding",
                label,
                0,
                "",
                f"文件不是 UTF-8 编码（第{exc.start}字节）；请另存为“CSV UTF-8”",
                f"file is not UTF-8 (byte {exc.start}); save it as CSV UTF-8",
            )
        ]
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = list(reader)
    if not rows:
        return RawTable(label, [], []), [
            Problem(
                "empty-file",
                label,
                0,
                "",
                "文件为空（至少要有表头行）",
                "file is empty (a header row is needed)",
            )
        ]
    headers = [h.strip() for h in rows[0]]
    problems: list[Problem] = []
    raw_rows = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue  # a blank line is not a record
        if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers) :]):
            problems.append(
                Problem(
                    "extra-cells",
                    label,
                    number,
                    "",
                    f"本行有{len(cells)}个单元格，多于表头的{len(headers)}列",
                    f"row has {len(cells)} cells, more than the {len(headers)} headers",
                )
            )
            continue
        raw_rows.append(RawRow(number, dict(zip(headers, cells, strict=False))))
    return RawTable(label, headers, raw_rows), problems


def read_manifest_toml(path: Path) -> tuple[dict[str, Any], list[Problem]]:
    label = path.name
    try:
        return tomllib.loads(path.read_text("utf-8-sig")), []
    except tomllib.TOMLDecodeError as exc:
        return {}, [
            Problem(
                "manifest",
                label,
                0,
                "",
                f"清单格式错误：{exc}",
                f"manifest is not valid TOML: {exc}",
            )
        ]


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
    problems: list[Problem] = []
    data: dict[str, Any] = {}
    if not manifest_path.is_file():
        problems.append(
            Problem(
                "missing-file",
                MANIFEST_FILE,
                0,
                "",
                f"缺少清单文件“{MANIFEST_FILE}”",
                f"missing manifest {MANIFEST_FILE!r}",
            )
        )
    else:
        data, manifest_problems = read_manifest_toml(manifest_path)
        problems.extend(manifest_problems)
    units = [
        RawUnit(
            str(u.get("code", "")).strip(),
            str(u.get("name", "")).strip(),
            str(u.get("kind", "")).strip(),
            str(u.get("parent", "") or "").strip(),
            MANIFEST_FILE,
            index,
        )
        for index, u in enumerate(data.get("units", []), start=1)
    ]
    raw = RawDataset(
        manifest_file=MANIFEST_FILE,
        department=data.get("department", {}),
        budget=data.get("budget", {}),
        format_version=data.get("format_version"),
        units=units,
        rules={
            str(k): {str(a): str(b) for a, b in v.items()} for k, v in data.get("rules", {}).items()
        },
        problems=problems,
    )
    raw.explanation, explanation_problems = read_explanation_file(folder)
    raw.problems.extend(explanation_problems)
    raw.accepted, accepted_problems = read_acceptances(data.get("accepted", []), MANIFEST_FILE)
    raw.problems.extend(accepted_problems)
    for kind in RECORD_KINDS:
        path = folder / kind.file
        if path.is_file():
            table, table_problems = _read_csv(path, kind.file)
            raw.problems.extend(table_problems)
            if table is not None:
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


def csv_text(kind: RecordKind, records: Any) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(kind.headers)
    for record in records:
        writer.writerow(record_cells(kind, record))
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
