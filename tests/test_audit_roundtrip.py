"""Round trips and changed form figures (issue 5): what the audit reads back is what was printed.

1. yusuan's own PDF of generated datasets (``valid_datasets``) is read back by ``read_pdf``:
   every table is recognised, every row comes back with its name, and every cell shows the same
   figure as the built table (万元, rounded half up to two decimals: the PDF prints the rounded
   display, so the read-back amount is the display, not the exact amount). The rules on the
   read-back document then give no finding the dataset's own check does not also give, except
   the two that only a document can produce (``DOCUMENT_ONLY``, the same as for yusuan's
   workbook in ``tests/test_audit_xlsx.py``). No further tolerance: names are not cut.

   The PDF is rendered with its 绩效目标申报表 too, and every form comes back as the dataset's
   form (``assert_same_forms``): each project's fields, its funds as displayed, its goals, its
   sign-off line (负责人、经办人、联系电话、填报日期), and every indicator of both periods with
   its 一级, 二级 (wrapped over two lines or not), 三级 name and value as printed, also where
   the indicator table continues on the next page. Text is compared as printed: a line break
   or a space between Chinese characters is not printed distinguishably (``as_printed``).

2. A figure changed in a FORM produces a new finding pointing at that project and field: in a
   copy of the seed's text (年度资金总额, a 成本指标) and in yusuan's own workbook of the example.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings

from paths import EXAMPLE, SHARED
from rulekit import new_findings
from strategies import valid_datasets
from yusuan.audit.document import RecognisedDocument, to_subject
from yusuan.audit.pdf_reader import read_pdf
from yusuan.audit.pdf_tables import join_lines
from yusuan.audit.seed_text import read_seed_text
from yusuan.audit.xlsx_reader import read_xlsx
from yusuan.dataset import load_dataset
from yusuan.model.records import PERIOD_IMPLEMENTATION, PERIOD_YEAR, Dataset, Indicator
from yusuan.money import MoneyUnit, round_display, to_unit
from yusuan.render.cells import display
from yusuan.render.pdf import pdf_bytes
from yusuan.render.xlsx import workbook_bytes
from yusuan.rules import Finding, Severity, run_rules
from yusuan.synthetic import synthetic_dataset
from yusuan.tables import build_tables
from yusuan.tables.base import CODE, Table
from yusuan.tables.forms import ProjectForm, forms_of

SEED = SHARED / "seed" / "000_f720d2529ea36f81.txt"
TITLE = "2021年部门预算"

# Findings a read-back document may give that its dataset's check does not: rulekit.DOCUMENT_ONLY
# (why: tests/test_audit_xlsx.py). The PDF prints rounded figures, so ARITH-090 can occur here.


def assert_same_display(built: Iterable[Table], doc: RecognisedDocument) -> None:
    """Every table read back, every row in order with its name, every cell as displayed."""
    built = list(built)
    assert list(doc.tables) == [t.id for t in built]
    assert doc.unread == () and doc.problems == ()
    for table in built:
        read = doc.tables[table.id]
        assert (read.title, read.unit) == (table.title, table.unit), table.id
        assert len(read.rows) == len(table.rows), table.id
        by_key = {c.key: c for c in read.columns}
        prints_codes = any(c.kind == CODE for c in table.columns)
        for a, b in zip(table.rows, read.rows, strict=True):
            where = (table.id, a.code, a.name)
            assert b.name == a.name, where  # names are not cut
            if prints_codes:
                assert b.code == a.code, where
            for column in table.columns:
                twin = by_key[column.key]
                shown = display(column, a.cell(column), table.unit)
                assert display(twin, b.cell(twin), read.unit) == shown, (*where, column.key)


def as_printed(text: str) -> str:
    """A text as a PDF prints it: its lines wrapped anywhere, so whitespace between Chinese
    characters (a line break, a space) does not show; between Latin words, one space."""
    return join_lines(text.split())


TEXTS = (
    "name",
    "department",
    "department_code",
    "implementing_unit",
    "attribute",
    "period",
    "overview",
    "basis",
    "necessity",
    "measures",
    "plan",
    "period_goal",
    "year_goal",
    "person_in_charge",
    "handler",
    "phone",
)


def indicator_keys(indicators: Iterable[Indicator]) -> list[tuple[str, str, str, str]]:
    # as published: yusuan prints >= as ≥, so both sides are compared as printed
    return [(i.level1, i.level2, i.name, i.published_value) for i in indicators]


def assert_same_forms(forms: Sequence[ProjectForm], doc: RecognisedDocument) -> None:
    """Every form read back with every field, its funds as displayed and every indicator."""
    assert [f.project.name for f in doc.forms] == [f.project.name for f in forms]
    for want, got in zip(forms, doc.forms, strict=True):
        where = want.project.name
        for name in TEXTS:
            mine, theirs = getattr(got.project, name), getattr(want.project, name)
            assert as_printed(mine) == as_printed(theirs), (where, name)
        assert got.project.filled_on == want.project.filled_on, where
        for period in ("period_funds", "year_funds"):
            mine, theirs = getattr(got.project, period), getattr(want.project, period)
            for name in theirs.__dataclass_fields__:
                shown = round_display(to_unit(getattr(theirs, name), want.unit))
                assert getattr(mine, name) == shown * want.unit.factor, (where, period, name)
        for period in (PERIOD_IMPLEMENTATION, PERIOD_YEAR):
            assert indicator_keys(got.indicators(period)) == indicator_keys(
                want.indicators(period)
            ), (where, period)


# --- 1. yusuan's own PDF of generated datasets ----------------------------------------------


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dataset=valid_datasets(max_lines=60))
def test_generated_datasets_pdf_round_trip(dataset: Dataset) -> None:
    # a folder of its own per example: Hypothesis does not mix with function-scoped tmp_path
    built = build_tables(dataset)
    forms = forms_of(dataset)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "budget.pdf"
        path.write_bytes(pdf_bytes(built, forms, title=TITLE))
        doc = read_pdf(path)
    assert_same_display(built, doc)
    assert_same_forms(forms, doc)
    assert new_findings(doc, dataset) == []


def test_example_pdf_round_trip(tmp_path: Path) -> None:
    """The example's long forms: indicator tables continued on the next page, a sign-off line
    pushed to the top of the next page."""
    dataset = load_dataset(EXAMPLE)
    built, forms = build_tables(dataset), forms_of(dataset)
    path = tmp_path / "budget.pdf"
    path.write_bytes(pdf_bytes(built, forms, title=TITLE))
    doc = read_pdf(path)
    assert_same_display(built, doc)
    assert_same_forms(forms, doc)
    assert new_findings(doc, dataset) == []


def test_pdf_form_funds_are_read(tmp_path: Path) -> None:
    """Forms printed in the PDF come back with their names and funds as displayed (万元)."""
    dataset = synthetic_dataset(random.Random(7), lines=20, projects=3, units=1)
    forms = forms_of(dataset)
    path = tmp_path / "forms.pdf"
    path.write_bytes(pdf_bytes(build_tables(dataset), forms, title=TITLE))
    doc = read_pdf(path)
    assert [f.project.name for f in doc.forms] == [f.project.name for f in forms]
    for want, got in zip(forms, doc.forms, strict=True):
        for period in ("period_funds", "year_funds"):
            mine, theirs = getattr(got.project, period), getattr(want.project, period)
            for name in theirs.__dataclass_fields__:
                shown = round_display(to_unit(getattr(theirs, name), MoneyUnit.WAN))
                assert getattr(mine, name) == shown * MoneyUnit.WAN.factor, (period, name)


# --- 2. a changed figure in a form --------------------------------------------------------


def keys(findings: Iterable[Finding]) -> set[tuple[str, str, str]]:
    return {(f.rule, f.location.describe(), f.message_zh) for f in findings}


def findings_of(doc: RecognisedDocument) -> list[Finding]:
    return list(run_rules(to_subject(doc)).findings)


@pytest.fixture(scope="module")
def seed_findings() -> set[tuple[str, str, str]]:
    return keys(findings_of(read_seed_text(SEED)))


def changed_seed(tmp_path: Path, line: int, old: str, new: str) -> RecognisedDocument:
    lines = SEED.read_text("utf-8").split("\n")
    assert lines[line - 1].count(old) == 1, lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    copy = tmp_path / SEED.name
    copy.write_text("\n".join(lines), "utf-8")
    return read_seed_text(copy)


FIRST = "党员教育中心工作经费"  # the seed's first form (lines 271-...)


def test_seed_year_funds_changed(tmp_path: Path, seed_findings: set) -> None:
    # line 276: 项目资金 | 实施期资金总额 120.0 | 年度资金总额 40  ->  50
    doc = changed_seed(tmp_path, 276, "\t40\t", "\t50\t")
    assert doc.forms[0].project.name == FIRST
    new = [f for f in findings_of(doc) if keys([f]) - seed_findings]
    assert new
    fatal = [f for f in new if f.severity is Severity.FATAL]
    assert {(f.rule, f.location.project, f.location.field) for f in fatal} == {
        ("PRJ-004", FIRST, "年度资金总额")
    }
    assert "50.00万元" in fatal[0].message_zh and "40.00万元" in fatal[0].message_zh


def test_seed_cost_indicator_changed(tmp_path: Path, seed_findings: set) -> None:
    # line 302: 成本指标 | 办公费(万元) | <=20万元 (实施期)  ->  <=2000万元
    doc = changed_seed(tmp_path, 302, "<=20万元\t办公费", "<=2000万元\t办公费")
    new = [f for f in findings_of(doc) if keys([f]) - seed_findings]
    where = {(f.rule, f.location.project, f.location.field) for f in new}
    assert ("IND-008", FIRST, "实施期绩效指标 成本指标／办公费(万元)") in where
    assert all(f.location.project == FIRST for f in new)
    assert {f.location.line for f in new if f.rule == "IND-008"} == {302}


def test_workbook_form_cell_changed(tmp_path: Path) -> None:
    dataset = load_dataset(EXAMPLE)
    forms = forms_of(dataset)
    path = tmp_path / "budget.xlsx"
    path.write_bytes(workbook_bytes(build_tables(dataset), forms, title=TITLE))
    before = keys(findings_of(read_xlsx(path)))
    name = forms[0].project.name
    book = openpyxl.load_workbook(path)
    sheet = next(s for s in book.worksheets if any(c.value == name for c in s["C"][:5]))
    label = next(c for row in sheet.iter_rows() for c in row if c.value == "年度资金总额：")
    cell = sheet.cell(label.row, label.column + 2)  # the figure two columns right of its label
    assert isinstance(cell.value, int | float)
    cell.value = cell.value + 100  # 万元
    book.save(path)
    new = [f for f in findings_of(read_xlsx(path)) if keys([f]) - before]
    fatal = {
        (f.rule, f.location.project, f.location.field) for f in new if f.severity is Severity.FATAL
    }
    assert ("PRJ-004", name, "年度资金总额") in fatal
    assert all(f.location.project in (name, "") for f in new)
