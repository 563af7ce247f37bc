"""The audit's outputs: text, JSON (the contract of docs/audit.md), HTML, and ``summary.csv``.

- **text**: per document what was recognised (tables with units and where they are, forms),
  what was not read and why, then the findings grouped as ``yusuan check`` groups them
  (``rules.report.render_text``);
- **JSON**: ``{"type": "audit", "contract": 1, "documents": [...], "summary": {...}}``; each
  document carries its tables exactly as ``yusuan tables --format json`` writes them
  (``render.json_out.table_object``), its project forms (``form_object``) and its findings as
  ``yusuan check --format json`` gives them (``rules.report.report_object``);
- **HTML**: one self-contained page per document (no script, no network), each finding beside
  the figures involved — the table row it points at, with the rows that add up to it for a sum,
  and the other table's row for a disagreement between tables, the offending cell highlighted;
  plus an index page when written to a folder;
- **summary.csv** (UTF-8 with BOM): one row per document — file, body, year, kind, tables found,
  the 收支总表's income and expenditure totals in 万元 (exact), findings by severity, pages that
  could not be read.
"""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from yusuan.audit.document import ReadProblem, RecognisedDocument
from yusuan.audit.run import UNREADABLE, AuditResult, exit_status
from yusuan.fsutil import atomic_write_text
from yusuan.model.records import Dataset
from yusuan.money import MoneyUnit, exact_string, to_unit
from yusuan.render.cells import display
from yusuan.render.json_out import form_object, table_object
from yusuan.render.spreadsheet_safe import csv_writer
from yusuan.rules.base import REGISTRY, Finding, Severity
from yusuan.rules.report import STYLE as CHECK_STYLE
from yusuan.rules.report import findings_html, report_object
from yusuan.rules.report import render_text as render_check_text
from yusuan.rules.subject import subject_of_dataset
from yusuan.tables.base import AMOUNT, CODE, NAME, TOTAL, Column, Row, Table
from yusuan.tables.forms import FUND_ROWS, TEXT_FIELDS, ProjectForm

CONTRACT_VERSION = 1
FORMATS = ("text", "json", "html")

SUMMARY_HEADERS = (
    "文件",
    "部门",
    "年度",
    "类型",
    "识别表数",
    "收入合计（万元）",
    "支出合计（万元）",
    "致命",
    "警告",
    "提示",
    "无法读取的页",
    "说明",
)


# --- shared ------------------------------------------------------------------------------------


def where(doc: RecognisedDocument, table_id: str) -> str:
    """第N页 when the reader knows pages, else 第N行 (the title's line in the source)."""
    page = doc.pages.get(table_id)
    if page:
        return f"第{page}页"
    line = doc.first_lines.get(table_id)
    return f"第{line}行" if line else ""


def problem_text(problem: ReadProblem) -> str:
    return str(problem)


def summary_totals(doc: RecognisedDocument | None) -> tuple[str, str]:
    """本年收入合计 and 本年支出合计 of the 收支总表, exact in 万元 ("" when not printed)."""
    if doc is None:
        return "", ""
    table = doc.tables.get("income-expenditure")
    if table is None:
        return "", ""
    total = table.total_row()
    if total is None:
        return "", ""

    def wan(key: str) -> str:
        value = total.values.get(key)
        return exact_string(to_unit(value, MoneyUnit.WAN)) if isinstance(value, Decimal) else ""

    return wan("income"), wan("expenditure")


def all_problems(result: AuditResult) -> list[ReadProblem]:
    return list(result.problems)


# --- text --------------------------------------------------------------------------------------


def render_document_text(result: AuditResult, *, verbose: bool = False) -> str:
    doc = result.document
    out = [f"══ {result.path}"]
    if doc is None or not result.readable:
        out.append("无法读取 / unreadable:")
        out += [f"  {p.message_zh} / {p.message_en}" for p in result.problems]
        if doc is not None:
            out += [f"  {problem_text(p)}" for p in doc.problems]
        return "\n".join(out)
    out.append(
        f"部门 {doc.department or '（未识别）'} · {doc.year or '?'}年 · {result.kind or '?'} · "
        f"识别 {len(doc.tables)} 张表、{len(doc.forms)} 张项目绩效目标表 / "
        f"{len(doc.tables)} tables, {len(doc.forms)} project forms recognised"
    )
    if doc.tables:
        out.append("识别的表 / tables recognised:")
        for table_id, table in doc.tables.items():
            out.append(
                f"  {table.number:>2}  {table.title}  [{table_id}]  {table.unit.value}  "
                f"{where(doc, table_id)}  {len(table.rows)} 行"
            )
    if doc.forms:
        out.append(f"项目绩效目标表 / project forms: {len(doc.forms)}")
    if result.unreadable_pages:
        pages = "、".join(str(p) for p in result.unreadable_pages)
        out.append(f"无法读取的页 / unreadable pages: {pages}")
    if doc.unread:
        out.append("未读取 / not read:")
        for block in doc.unread:
            out.append(
                f"  第{block.first_line}–{block.last_line}行 {block.title}：{block.why_zh} / {block.why_en}"
            )
    if doc.problems:
        out.append(f"读取说明 / reader notes ({len(doc.problems)}):")
        out += [f"  {problem_text(p)}" for p in doc.problems]
    for problem in result.problems:
        out.append(f"注意 / note: {problem.message_zh} / {problem.message_en}")
    if result.report is not None:
        out.append("")
        out.append(render_check_text(result.report, verbose=verbose))
    return "\n".join(out)


def render_overview(results: Sequence[AuditResult]) -> str:
    """One line per document: status and counts."""
    out = []
    for r in results:
        if r.status == UNREADABLE:
            reason = "; ".join(p.message_zh for p in r.problems) or "无法读取"
            out.append(f"{r.path}  无法读取 unreadable：{reason}")
        else:
            out.append(
                f"{r.path}  {r.body} {r.year or '?'}年{r.kind}  表 {len(r.document.tables) if r.document else 0}  "
                f"致命 {r.count(Severity.FATAL)} · 警告 {r.count(Severity.WARNING)} · 提示 {r.count(Severity.INFO)}"
            )
    fatal = sum(r.count(Severity.FATAL) for r in results)
    unreadable = sum(1 for r in results if r.status == UNREADABLE)
    out.append(
        f"共 {len(results)} 个文件：无法读取 {unreadable}，致命问题 {fatal} 项 / "
        f"{len(results)} documents, {unreadable} unreadable, {fatal} fatal findings"
    )
    return "\n".join(out) + "\n"


def render_text(results: Sequence[AuditResult], *, verbose: bool = False) -> str:
    chunks = [render_document_text(r, verbose=verbose) for r in results]
    if len(results) > 1:
        chunks.append(render_overview(results).rstrip("\n"))
    return "\n\n".join(chunks) + "\n"


# --- JSON --------------------------------------------------------------------------------------


def _problem_object(problem: ReadProblem, origin: str) -> dict[str, Any]:
    return {
        "origin": origin,
        "line": problem.line,
        "table": problem.table,
        "message": problem.message_zh,
        "message_en": problem.message_en,
    }


def document_object(result: AuditResult) -> dict[str, Any]:
    """One document of the audit JSON contract (docs/audit.md)."""
    doc = result.document
    check = report_object(result.report) if result.report is not None else None
    findings = check.pop("findings") if check is not None else []
    income, expenditure = summary_totals(doc)
    problems = [_problem_object(p, "audit") for p in result.problems]
    if doc is not None:
        problems += [_problem_object(p, "reader") for p in doc.problems]
    return {
        "source": str(result.path),
        "status": result.status,
        "body": result.body,
        "year": result.year or None,
        "kind": result.kind,
        "totals": {"income": income or None, "expenditure": expenditure or None, "unit": "万元"},
        "tables": [table_object(t) for t in doc.tables.values()] if doc else [],
        "locations": {
            table_id: {
                "page": doc.pages.get(table_id) or None,
                "line": doc.first_lines.get(table_id) or None,
            }
            for table_id in doc.tables
        }
        if doc
        else {},
        "projects": [form_object(f) for f in doc.forms] if doc else [],
        "findings": findings,
        "check": check,
        "unread": [
            {
                "first_line": u.first_line,
                "last_line": u.last_line,
                "title": u.title,
                "table_id": u.table_id,
                "why": u.why_zh,
                "why_en": u.why_en,
            }
            for u in (doc.unread if doc else ())
        ],
        "unreadable_pages": list(result.unreadable_pages),
        "problems": problems,
    }


def audit_object(results: Sequence[AuditResult]) -> dict[str, Any]:
    """The JSON contract of ``yusuan audit --format json``."""
    return {
        "type": "audit",
        "contract": CONTRACT_VERSION,
        "documents": [document_object(r) for r in results],
        "summary": {
            "documents": len(results),
            "unreadable": sum(1 for r in results if r.status == UNREADABLE),
            "fatal": sum(r.count(Severity.FATAL) for r in results),
            "warning": sum(r.count(Severity.WARNING) for r in results),
            "info": sum(r.count(Severity.INFO) for r in results),
            "exit_status": exit_status(results),
        },
    }


def render_json(results: Sequence[AuditResult]) -> str:
    return json.dumps(audit_object(results), ensure_ascii=False, indent=1) + "\n"


# --- summary.csv -------------------------------------------------------------------------------


def summary_rows(results: Sequence[AuditResult]) -> list[list[str]]:
    rows = []
    for r in results:
        income, expenditure = summary_totals(r.document)
        notes = [p.message_zh for p in r.problems]
        rows.append(
            [
                str(r.path),
                r.body,
                str(r.year) if r.year else "",
                r.kind,
                str(len(r.document.tables)) if r.document else "0",
                income,
                expenditure,
                str(r.count(Severity.FATAL)),
                str(r.count(Severity.WARNING)),
                str(r.count(Severity.INFO)),
                " ".join(str(p) for p in r.unreadable_pages),
                "；".join(notes),
            ]
        )
    return rows


def summary_csv(results: Sequence[AuditResult]) -> str:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(SUMMARY_HEADERS)
    writer.writerows(summary_rows(results))
    return "\ufeff" + buffer.getvalue()


# --- HTML: the figures behind a finding --------------------------------------------------------


@dataclass
class Excerpt:
    """Rows of one table to show beside a finding, and the cells it points at."""

    table: Table
    rows: list[int]
    hits: set[tuple[int, str]] = field(default_factory=set)
    where: str = ""
    parts: set[tuple[int, str]] = field(default_factory=set)


def row_label(row: Row) -> str:
    return f"{row.code} {row.name}".strip()


def find_table(doc: RecognisedDocument, title: str) -> Table | None:
    return next((t for t in doc.tables.values() if title and t.title == title), None)


def find_row(table: Table, label: str) -> int | None:
    """The row a finding names: by ``code name``, then name or code, then a text cell."""
    label = label.strip()
    if not label:
        return None
    for test in (
        lambda r: row_label(r) == label,
        lambda r: r.name == label or (bool(r.code) and r.code == label),
        lambda r: any(isinstance(v, str) and v.strip() == label for v in r.values.values()),
    ):
        for index, row in enumerate(table.rows):
            if test(row):
                return index
    return None


def find_column(table: Table, label: str) -> str | None:
    label = label.strip()
    for column in table.columns:
        if label in (column.label, column.key):
            return column.key
    kinds = {"科目编码": CODE, "科目名称": NAME, "单位编码": CODE, "单位名称": NAME}
    if label in kinds:
        return next((c.key for c in table.columns if c.kind == kinds[label]), None)
    return None


def children(table: Table, index: int) -> list[int]:
    """The rows one level below a row (its 款 for a 类, the 类 for 合计)."""
    row = table.rows[index]
    if row.kind == TOTAL:
        level = min((r.level for r in table.rows if r.kind != TOTAL), default=1)
        return [i for i, r in enumerate(table.rows) if r.kind != TOTAL and r.level == level]
    found = []
    for i in range(index + 1, len(table.rows)):
        below = table.rows[i]
        if below.level <= row.level or below.kind == TOTAL:
            break
        if below.level == row.level + 1:
            found.append(i)
    return found


def _nonzero(row: Row, key: str) -> bool:
    value = row.values.get(key)
    return bool(value) if isinstance(value, Decimal) else value is not None


def relation_columns(table: Table, relation: str) -> list[str]:
    """The columns a relation within one row names ("合计 = 基本支出 + 项目支出")."""
    keys = []
    for term in re.split(r"\s*[=+＋]\s*", relation):
        term = term.strip()
        if not term or "Σ" in term:
            continue
        found = next(
            (c.key for c in table.columns if c.label == term),
            next((c.key for c in table.columns if c.label.startswith(term)), None),
        )
        if found is not None:
            keys.append(found)
    return keys


def table_excerpt(
    doc: RecognisedDocument,
    title: str,
    row_text: str,
    column_text: str,
    with_parts: bool,
    relation: str = "",
) -> Excerpt | None:
    table = find_table(doc, title)
    if table is None:
        return None
    index = find_row(table, row_text)
    if index is None:
        return None
    key = find_column(table, column_text) if column_text else None
    rows = [index]
    if with_parts:
        below = children(table, index)
        if key is not None:
            below = [i for i in below if _nonzero(table.rows[i], key)]
        rows += below[:40]
    hits = {(index, key)} if key else {(index, c.key) for c in table.columns if c.kind == NAME}
    parts = {(index, k) for k in relation_columns(table, relation)} - hits
    if with_parts and key is not None:
        parts |= {(i, key) for i in rows if i != index}
    return Excerpt(table, sorted(set(rows)), hits, where(doc, table.id), parts)


def split_cell(doc: RecognisedDocument, title: str, cell: str) -> tuple[str, str]:
    """A cross-table message's cell ("201 一般公共服务支出 基本支出") split into row and column."""
    table = find_table(doc, title)
    if table is None:
        return cell, ""
    best = ""
    for row in table.rows:
        for label in (row_label(row), row.name):
            if label and cell.startswith(label) and len(label) > len(best):
                best = label
    return (best, cell[len(best) :].strip()) if best else (cell, "")


def excerpts(finding: Finding, doc: RecognisedDocument) -> list[Excerpt]:
    """The table rows a finding points at (and the other table's row for a comparison)."""
    found: list[Excerpt] = []
    where_ = finding.location
    relation = str(finding.values.get("relation", ""))
    rule = REGISTRY.get(finding.rule)
    # a sum over rows (合计 = Σ 类, = Σ 下级科目, = Σ 单位 …), not over a row's own columns
    with_parts = (
        rule is not None
        and rule.group == "arithmetic"
        and "Σ" in relation
        and "资金来源" not in relation
    )
    if where_.table:
        first = table_excerpt(
            doc,
            where_.table,
            where_.row,
            where_.column,
            with_parts,
            relation if rule is not None and rule.group == "arithmetic" else "",
        )
        if first is not None:
            found.append(first)
    other_title = str(finding.values.get("b_table", ""))
    other_cell = str(finding.values.get("b_cell", ""))
    if other_title and other_cell:
        row_text, column_text = split_cell(doc, other_title, other_cell)
        other = table_excerpt(doc, other_title, row_text, column_text, False)
        if other is not None and not any(
            e.table is other.table and e.rows == other.rows for e in found
        ):
            found.append(other)
    return found


# --- HTML: rendering ---------------------------------------------------------------------------

_STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5rem;max-width:80rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccd}
.meta,.summary{padding:.5rem 1rem;background:#f4f6f8;border-radius:6px}
table{border-collapse:collapse;margin:.4rem 0 1rem}td,th{border:1px solid #ccd;padding:.2rem .45rem;
vertical-align:top;text-align:left;font-size:.92rem}th{background:#eef2f7}td.num{text-align:right;white-space:nowrap}
td.hit{background:#ffe08a;outline:2px solid #c0392b;font-weight:bold}td.part{background:#e8f1fb}tr.total td{font-weight:bold}
.finding{display:flex;gap:1.2rem;flex-wrap:wrap;border-left:4px solid #999;padding:.4rem .8rem;margin:.8rem 0;background:#fcfcfd}
.finding .what{flex:1 1 22rem}.finding .figures{flex:2 1 30rem;overflow-x:auto}
.fatal{border-left-color:#b00020}.warning{border-left-color:#d68a00}.info{border-left-color:#2d5e9e}
.sev{font-weight:bold}.fatal .sev{color:#b00020}.warning .sev{color:#a15c00}.info .sev{color:#2d5e9e}
caption{text-align:left;font-size:.85rem;color:#555;padding:.2rem 0}small{color:#555}code{font-size:.9em}
.blank{color:#999;font-style:italic}details{margin:.4rem 0}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _cell(column: Column, row: Row, unit: MoneyUnit) -> tuple[str, bool]:
    value = row.cell(column)
    text = display(column, value, unit, blank_zero=False)
    numeric = column.kind == AMOUNT or isinstance(value, Decimal)
    return text, numeric


def excerpt_html(excerpt: Excerpt) -> str:
    table = excerpt.table
    head = "".join(f"<th>{_e(c.label)}</th>" for c in table.columns)
    body = []
    for index in excerpt.rows:
        row = table.rows[index]
        cells = []
        for column in table.columns:
            text, numeric = _cell(column, row, table.unit)
            classes = []
            if numeric:
                classes.append("num")
            hit = (index, column.key) in excerpt.hits
            if hit:
                classes.append("hit")
            elif (index, column.key) in excerpt.parts:
                classes.append("part")
            shown = _e(text) if text else ("<span class='blank'>（空白）</span>" if hit else "")
            attr = f" class='{' '.join(classes)}'" if classes else ""
            cells.append(f"<td{attr}>{shown}</td>")
        kind = " class='total'" if row.kind == TOTAL else ""
        body.append(f"<tr{kind}>{''.join(cells)}</tr>")
    caption = f"{table.title}（单位：{table.unit.value}；{excerpt.where}）"
    return (
        f"<table><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


_PROJECT_FIELDS = {
    "项目名称": "name",
    "主管部门": "department",
    "主管部门代码": "department_code",
    "实施单位": "implementing_unit",
    "项目属性": "attribute",
    "项目期": "period",
    "实施期总体目标": "period_goal",
    "年度总体目标": "year_goal",
    "负责人": "person_in_charge",
    "经办人": "handler",
    "联系电话": "phone",
    "填报日期": "filled_on",
    **{label: attr for label, attr in TEXT_FIELDS},
}
_INDICATOR_FIELD = re.compile(r"^(实施期|年度)绩效指标(?:\s+(.*))?$")


def form_excerpt_html(finding: Finding, doc: RecognisedDocument) -> str:
    """For a finding on a project form: the indicator rows, the funds, or the field it names."""
    name = finding.location.project
    form = next((f for f in doc.forms if f.project.name == name), None)
    if form is None:
        return ""
    parts = [p.strip() for p in finding.location.field.split(" / ") if p.strip()]
    chunks = []
    for part in parts:
        indicator = _INDICATOR_FIELD.match(part)
        if indicator:
            chunks.append(_indicator_html(form, indicator.group(1), indicator.group(2) or ""))
        elif "资金" in part:
            chunks.append(_funds_html(form, part))
        elif part in _PROJECT_FIELDS:
            value = getattr(form.project, _PROJECT_FIELDS[part], "")
            text = "" if value is None else str(value)
            shown = _e(text) if text else "<span class='blank'>（空白）</span>"
            chunks.append(
                f"<table><caption>{_e(form.project.name)}</caption><tr><th>{_e(part)}</th>"
                f"<td class='hit'>{shown}</td></tr></table>"
            )
    return "".join(chunks)


def _indicator_html(form: ProjectForm, period: str, path: str) -> str:
    wanted = path.split("／")[-1].strip() if "／" in path else ""
    rows = [i for i in form.indicators(period) if not wanted or i.name == wanted]
    if not rows:
        rows = list(form.indicators(period))
    body = "".join(
        "<tr>"
        f"<td>{_e(i.level1)}</td><td>{_e(i.level2)}</td><td>{_e(i.name)}</td>"
        f"<td class='{'hit' if wanted and i.name == wanted else ''}'>{_e(i.display_value)}</td>"
        "</tr>"
        for i in rows
    )
    return (
        f"<table><caption>{_e(form.project.name)}：{_e(period)}绩效指标</caption>"
        "<thead><tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _funds_html(form: ProjectForm, part: str) -> str:
    unit = form.unit
    body = []
    for label, attr in FUND_ROWS:
        cells = []
        for period, funds in (
            ("实施期", form.project.period_funds),
            ("年度", form.project.year_funds),
        ):
            value = to_unit(getattr(funds, attr), unit)
            hit = part.startswith(period) and label in part
            cells.append(f"<td class='num{' hit' if hit else ''}'>{_e(f'{value:,.2f}')}</td>")
        body.append(f"<tr><th>{_e(label)}</th>{''.join(cells)}</tr>")
    return (
        f"<table><caption>{_e(form.project.name)}（单位：{_e(unit.value)}）</caption>"
        "<thead><tr><th></th><th>实施期</th><th>年度</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def figures_html(finding: Finding, doc: RecognisedDocument) -> str:
    """The figures behind a finding: the table rows it points at, or the form's rows ("" when
    it points at neither)."""
    figures = "".join(excerpt_html(e) for e in excerpts(finding, doc))
    if finding.location.project:
        figures += form_excerpt_html(finding, doc)
    return figures


def dataset_figures(dataset: Dataset) -> Callable[[Finding], str]:
    """``figures_html`` for a dataset's check: its computed tables and forms, as a document."""
    subject = subject_of_dataset(dataset)
    doc = RecognisedDocument(
        dataset.manifest.department.name,
        dataset.year,
        dataset.manifest.department.name,
        subject.tables,
        forms=tuple(subject.forms),
    )
    return lambda finding: figures_html(finding, doc)


def source_link(result: AuditResult) -> str:
    """The original PDF, for the page links of the findings (works from file://)."""
    if result.path.suffix.lower() != ".pdf" or not result.path.exists():
        return ""
    return result.path.resolve().as_uri()


def full_table_html(doc: RecognisedDocument, table: Table, hits: set[tuple[int, str]]) -> str:
    """A whole table as read, its merged header as printed, the cells with findings marked."""
    grid: dict[int, list[str]] = {}
    for cell in sorted(table.header, key=lambda c: (c.row, c.col)):
        span = ""
        if cell.rowspan > 1:
            span += f" rowspan='{cell.rowspan}'"
        if cell.colspan > 1:
            span += f" colspan='{cell.colspan}'"
        grid.setdefault(cell.row, []).append(f"<th{span}>{_e(cell.text)}</th>")
    head = "".join(f"<tr>{''.join(cells)}</tr>" for _, cells in sorted(grid.items()))
    body = []
    for index, row in enumerate(table.rows):
        cells = []
        for column in table.columns:
            text, numeric = _cell(column, row, table.unit)
            classes = (["num"] if numeric else []) + (
                ["hit"] if (index, column.key) in hits else []
            )
            attr = f" class='{' '.join(classes)}'" if classes else ""
            cells.append(f"<td{attr}>{_e(text)}</td>")
        kind = " class='total'" if row.kind == TOTAL else ""
        body.append(f"<tr{kind}>{''.join(cells)}</tr>")
    notes = "".join(f"<p><small>{_e(n)}</small></p>" for n in table.notes)
    return (
        f"<details id='t-{_e(table.id)}'><summary>{table.number}. {_e(table.title)} "
        f"<small>[{_e(table.id)}] {_e(table.unit.value)} {_e(where(doc, table.id))}</small></summary>"
        f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>{notes}</details>"
    )


def document_body_html(result: AuditResult, level: int = 1) -> str:
    """The content of one document's page (a section of the single page when not split)."""
    h1, h2 = f"h{level}", f"h{level + 1}"
    doc = result.document
    out = [f"<{h1}>审计 {_e(result.title)}</{h1}>"]
    out.append(
        "<p class='meta'>"
        f"文件 file: <code>{_e(result.path)}</code><br>"
        f"部门 body: {_e(result.body or '（未识别）')} · 年度 year: {_e(result.year or '?')} · "
        f"类型 kind: {_e(result.kind or '?')}</p>"
    )
    if doc is None or not result.readable:
        out.append(f"<{h2}>无法读取 / unreadable</{h2}><ul>")
        out += [f"<li>{_e(p.message_zh)} / {_e(p.message_en)}</li>" for p in result.problems]
        if doc is not None:
            out += [f"<li>{_e(problem_text(p))}</li>" for p in doc.problems]
        out.append("</ul>")
        return "".join(out)
    report = result.report
    for problem in result.problems:
        out.append(f"<p class='summary'>{_e(problem.message_zh)} / {_e(problem.message_en)}</p>")
    out.append(f"<{h2}>识别的表 / tables recognised</{h2}>")
    out.append(
        "<table><thead><tr><th>#</th><th>表</th><th>id</th><th>单位</th><th>位置</th><th>行数</th>"
        "</tr></thead><tbody>"
    )
    for table_id, table in doc.tables.items():
        out.append(
            f"<tr><td>{table.number}</td><td><a href='#t-{_e(table_id)}'>{_e(table.title)}</a></td>"
            f"<td><code>{_e(table_id)}</code></td><td>{_e(table.unit.value)}</td>"
            f"<td>{_e(where(doc, table_id))}</td><td class='num'>{len(table.rows)}</td></tr>"
        )
    out.append("</tbody></table>")
    out.append(f"<p>项目绩效目标表 / project forms: {len(doc.forms)}</p>")
    if result.unreadable_pages:
        pages = "、".join(str(p) for p in result.unreadable_pages)
        out.append(f"<p>无法读取的页 / unreadable pages: {_e(pages)}</p>")
    hits: dict[str, set[tuple[int, str]]] = {}
    if report is not None:
        out.append(
            findings_html(
                report, figures=lambda f: figures_html(f, doc), source=source_link(result)
            )
        )
        for finding in report.folded:
            for excerpt in excerpts(finding, doc):
                hits.setdefault(excerpt.table.id, set()).update(excerpt.hits)
    if doc.unread or doc.problems:
        out.append(f"<{h2}>未读取与读取说明 / not read, reader notes</{h2}><ul>")
        out += [
            f"<li>第{u.first_line}–{u.last_line}行 {_e(u.title)}：{_e(u.why_zh)} / {_e(u.why_en)}</li>"
            for u in doc.unread
        ]
        out += [f"<li>{_e(problem_text(p))}</li>" for p in doc.problems]
        out.append("</ul>")
    if doc.tables:
        out.append(f"<{h2}>识别的表（全文）/ the tables as read</{h2}>")
        out += [full_table_html(doc, t, hits.get(t.id, set())) for t in doc.tables.values()]
    return "".join(out)


def page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(title)}</title><style>{CHECK_STYLE}{_STYLE}</style></head>"
        f"<body class='lang-zh'>{body}</body></html>\n"
    )


def index_body(results: Sequence[AuditResult], links: Sequence[str]) -> str:
    rows = []
    for result, link in zip(results, links, strict=True):
        income, expenditure = summary_totals(result.document)
        name = f"<a href='{_e(link)}'>{_e(result.path.name)}</a>" if link else _e(result.path.name)
        rows.append(
            "<tr>"
            f"<td>{name}</td><td>{_e(result.body)}</td><td>{_e(result.year or '')}</td>"
            f"<td>{_e(result.kind)}</td><td class='num'>{len(result.document.tables) if result.document else 0}</td>"
            f"<td class='num'>{_e(income)}</td><td class='num'>{_e(expenditure)}</td>"
            f"<td class='num'>{result.count(Severity.FATAL)}</td>"
            f"<td class='num'>{result.count(Severity.WARNING)}</td>"
            f"<td class='num'>{result.count(Severity.INFO)}</td>"
            f"<td>{_e('无法读取' if result.status == UNREADABLE else '')}</td>"
            "</tr>"
        )
    return (
        f"<h1>审计结果 / audit: {len(results)} 个文件</h1>"
        "<table><thead><tr><th>文件</th><th>部门</th><th>年度</th><th>类型</th><th>识别表数</th>"
        "<th>收入合计（万元）</th><th>支出合计（万元）</th><th>致命</th><th>警告</th><th>提示</th>"
        f"<th>状态</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def render_html(results: Sequence[AuditResult]) -> str:
    """One page: the document, or an index of the documents followed by each of them."""
    if len(results) == 1:
        return page(f"审计 {results[0].title}", document_body_html(results[0]))
    anchors = [f"#d{i}" for i in range(1, len(results) + 1)]
    sections = "".join(
        f"<section id='d{i}'>{document_body_html(r, level=2)}</section>"
        for i, r in enumerate(results, start=1)
    )
    return page("审计结果", index_body(results, anchors) + sections)


def document_page_name(result: AuditResult, number: int) -> str:
    stem = re.sub(r"[^\w\u4e00-\u9fff.-]+", "_", result.path.stem).strip("_") or "document"
    return f"{number:03d}-{stem}.html"


def render(results: Sequence[AuditResult], fmt: str, *, verbose: bool = False) -> str:
    if fmt == "json":
        return render_json(results)
    if fmt == "html":
        return render_html(results)
    return render_text(results, verbose=verbose)


def write_outputs(
    results: Sequence[AuditResult], folder: Path, fmt: str, *, verbose: bool = False
) -> list[Path]:
    """The report in ``folder``: ``audit.txt``/``audit.json``, or for HTML ``index.html`` and one
    page per document; and always ``summary.csv``."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if fmt == "html":
        names = [document_page_name(r, i) for i, r in enumerate(results, start=1)]
        for result, name in zip(results, names, strict=True):
            body = "<p><a href='index.html'>← 全部文件 / all documents</a></p>"
            body += document_body_html(result)
            atomic_write_text(folder / name, page(f"审计 {result.title}", body))
            written.append(folder / name)
        atomic_write_text(folder / "index.html", page("审计结果", index_body(results, names)))
        written.insert(0, folder / "index.html")
    else:
        name = "audit.json" if fmt == "json" else "audit.txt"
        atomic_write_text(folder / name, render(results, fmt, verbose=verbose))
        written.append(folder / name)
    atomic_write_text(folder / "summary.csv", summary_csv(results))
    written.append(folder / "summary.csv")
    return written
