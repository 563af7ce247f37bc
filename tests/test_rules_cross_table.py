"""Cases for the 表间一致 rules (XT-*): one misprinted figure breaks exactly one relation between
two tables; the clean dataset, the example and the real seed document raise no false alarm; and
the seed's published cross-table problems are found where they are.

The seed document is rebuilt here from the hand-typed transcription in ``tests/golden`` (figures
as printed, blank cells blank, names without codes where the seed prints none), so the expected
findings come from the golden defect lists, never from the code under test.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal

import pytest

from golden import seed_tables as gold
from paths import EXAMPLE
from rulekit import (
    OPERATING,
    TRAINING,
    RuleCase,
    clean_dataset,
    clean_document,
    clean_subject,
    document,
    finding_texts,
    line,
    run,
    with_cell,
    with_lines,
    with_project,
    with_row,
    with_table,
    without_table,
)
from yusuan.dataset import load_dataset
from yusuan.model.records import Dataset, ExpenseKind, Funds
from yusuan.rules import Outcome, Severity, Subject, run_rules, subject_of_dataset
from yusuan.tables.base import DETAIL, TOTAL, Row, Table

XT = [f"XT-{n:03d}" for n in range(1, 20)]


def organs_only() -> Dataset:
    """The clean dataset without the public institution's 公用经费: its 机关运行经费 then equals
    the 公用经费 items of the basic-expenditure table, as XT-015 compares them."""
    dataset = clean_dataset()
    lines = tuple(
        x for x in dataset.lines if not (x.unit_code == "201002" and x.category is OPERATING)
    )
    return replace(dataset, lines=lines)


def with_training_funds(dataset: Dataset, amount: str) -> Dataset:
    funds = Funds(total=Decimal(amount), city=Decimal(amount))
    return with_project(dataset, TRAINING, year_funds=funds, period_funds=funds)


def with_notes(subject: Subject, table_id: str, *notes: str) -> Subject:
    return with_table(subject, table_id, notes=notes)


FUND_NOTE = "本部门2021年无政府性基金预算拨款安排的支出，故本表为空表。"

# One misprint per rule in the clean document: (rule, table, row code, column, value, row name)
MISPRINTS: list[tuple[str, str, str, str, str, str | None]] = [
    ("XT-001", "income-expenditure", "", "income", "5805000.00", "本年支出合计"),
    ("XT-002", "income-expenditure", "", "expenditure", "5805000.00", "本年支出合计"),
    ("XT-003", "income-expenditure", "201", "expenditure", "3000000.00", None),
    ("XT-004", "income", "2013201", "total", "2485000.00", None),
    ("XT-005", "income", "", "general", "3805000.00", None),
    ("XT-006", "fiscal", "201", "general", "3000000.00", None),
    ("XT-007", "fiscal", "212", "fund", "1900000.00", None),
    ("XT-008", "fund-income", "2120899", "total", "2100000.00", None),
    ("XT-009", "fiscal", "", "subtotal", "5805000.00", "本年支出合计"),
    ("XT-010", "basic-economic", "", "amount", "3305000.00", None),
    ("XT-011", "general-budget", "2013201", "basic", "2500000.00", None),
    ("XT-012", "fiscal", "", "income", "5805000.00", "本年支出合计"),
    ("XT-013", "basic-economic", "30217", "amount", "30000.00", None),
]


def misprinted(rule_id: str) -> Callable[[], Subject]:
    _, table, code, column, value, name = next(m for m in MISPRINTS if m[0] == rule_id)
    return lambda: with_cell(clean_document(), table, code, column, Decimal(value), name)


CASES = [
    RuleCase("XT-001", misprinted("XT-001"), clean_document, expect="收入总表"),
    RuleCase("XT-001", misprinted("XT-001"), expect="本年收入合计", name="dataset-passes"),
    RuleCase("XT-002", misprinted("XT-002"), clean_document, expect="支出汇总表"),
    RuleCase("XT-003", misprinted("XT-003"), clean_document, expect="201 一般公共服务支出"),
    RuleCase("XT-004", misprinted("XT-004"), clean_document, expect="2013201 行政运行"),
    RuleCase(
        "XT-004",
        lambda: with_cell(clean_subject(), "income", "2013201", "total", Decimal("2385000.01")),
        expect="0.01元",
        name="exact",
    ),
    RuleCase("XT-005", misprinted("XT-005"), clean_document, expect="一、一般公共预算"),
    RuleCase(
        "XT-005",
        lambda: with_cell(clean_document(), "fund-income", "", "total", Decimal("1000000.00")),
        expect="政府性基金预算收入表",
        name="fund-income",
    ),
    RuleCase("XT-006", misprinted("XT-006"), clean_document, expect="一般公共预算支出预算表"),
    RuleCase("XT-007", misprinted("XT-007"), clean_document, expect="212 城乡社区支出"),
    RuleCase(
        "XT-007",
        lambda: without_table(
            with_cell(
                clean_document(),
                "fiscal",
                "",
                "state_capital",
                Decimal("100000.00"),
                "本年支出合计",
            ),
            "state-capital",
        ),
        expect="文件未附此表",
        name="table-left-out",
    ),
    RuleCase("XT-008", misprinted("XT-008"), clean_document, expect="2120899"),
    RuleCase("XT-009", misprinted("XT-009"), clean_document, expect="本年支出合计"),
    RuleCase("XT-010", misprinted("XT-010"), clean_document, expect="基本支出分经济科目表"),
    RuleCase("XT-011", misprinted("XT-011"), clean_document, expect="2013201 行政运行 基本支出"),
    RuleCase("XT-012", misprinted("XT-012"), clean_document, expect="预算收支总表"),
    RuleCase("XT-013", misprinted("XT-013"), clean_document, expect="公务接待费"),
    RuleCase(
        "XT-014",
        lambda: with_cell(clean_subject(), "operating-costs", "201001", "amount", Decimal("1.00")),
        expect="201001 某某市委办公室",
    ),
    RuleCase(
        "XT-015",
        clean_document,  # the public institution's 公用经费 is no 机关运行经费: a hint only
        lambda: document(organs_only()),
        expect="302、310",
    ),
    RuleCase(
        "XT-016",
        lambda: document(with_training_funds(clean_dataset(), "600000.00")),
        clean_document,
        expect="项目支出绩效目标申报表",
    ),
    RuleCase(
        "XT-017",
        lambda: subject_of_dataset(with_training_funds(clean_dataset(), "400000.00")),
        expect="年度资金总额之和",
    ),
    RuleCase(
        "XT-018",
        lambda: subject_of_dataset(with_training_funds(clean_dataset(), "400000.00")),
        expect=TRAINING,
    ),
    RuleCase(
        "XT-018",
        lambda: subject_of_dataset(
            with_lines(
                clean_dataset(),
                line(
                    "201001", "2013202", "30211", "8000.00", ExpenseKind.PROJECT, project="新项目"
                ),
            )
        ),
        expect="没有绩效目标申报表",
        name="lines-without-form",
    ),
    RuleCase(
        "XT-019",
        lambda: with_notes(clean_document(), "state-capital"),
        clean_document,
        expect="国有资本经营预算支出预算表",
    ),
    RuleCase(
        "XT-019",
        lambda: with_notes(clean_document(), "fund-expenditure", FUND_NOTE),
        expect="表中有金额",
        name="note-on-money",
    ),
    RuleCase(
        "XT-019",
        lambda: with_notes(clean_document(), "state-capital", FUND_NOTE),
        expect="写的是政府性基金",
        name="wrong-kind",
    ),
    RuleCase(
        "XT-020",
        # 职业年金缴费 also booked on 行政运行: 30109 is more than 2080506
        lambda: subject_of_dataset(
            with_lines(clean_dataset(), line("201001", "2013201", "30109", "14200.00"))
        ),
        clean_subject,
        expect="2080506 机关事业单位职业年金缴费支出 = 30109 职业年金缴费 不成立",
    ),
    RuleCase(
        "XT-020",
        lambda: with_cell(clean_document(), "general-budget", "2210201", "basic", Decimal("1.00")),
        clean_document,
        expect="2210201 住房公积金 = 30113 住房公积金 不成立",
        name="document",
    ),
    RuleCase(
        "XT-021",
        lambda: with_row(
            clean_document(),
            "three-public",
            "201001",
            lambda row: replace(row, values={**row.values, "unit_name": "某某市委办"}),
        ),
        clean_document,
        expect="单位编码 201001 在各表中的名称不同",
    ),
]


def failing(subject: Subject) -> set[str]:
    report = run_rules(subject, only=XT)
    return {run.rule.id for run in report.runs if run.outcome is Outcome.FAILED}


@pytest.mark.parametrize("misprint", MISPRINTS, ids=[m[0] for m in MISPRINTS])
def test_one_misprint_breaks_one_relation(
    misprint: tuple[str, str, str, str, str, str | None],
) -> None:
    rule_id = misprint[0]
    baseline = failing(clean_document())
    assert rule_id not in baseline
    assert failing(misprinted(rule_id)()) - baseline == {rule_id}


def test_the_clean_document_only_hints_at_operating_costs() -> None:
    report = run_rules(clean_document(), only=XT)
    assert {(f.rule, f.severity) for f in report.findings} == {("XT-015", Severity.INFO)}
    assert failing(document(organs_only())) == set()


def test_a_rounding_sized_difference_in_a_document_is_not_reported() -> None:
    # 30 元 on a table shown in 万元: below the rounding of the printed figures
    subject = with_cell(clean_document(), "income", "2013201", "total", Decimal("2385030.00"))
    assert run("XT-004", subject).outcome is Outcome.PASSED


def test_a_misprinted_item_is_reported_once_not_at_every_level() -> None:
    # the 收入总表 prints 行政运行 and its 款, 类 and 合计 10万元 too high: one finding, at the 项
    subject = clean_document()
    for code in ("2013201", "20132", "201", ""):
        table = subject.tables["income"]
        row = table.row(code)
        assert row is not None and isinstance(row.values["total"], Decimal)
        subject = with_cell(
            subject, "income", code, "total", row.values["total"] + Decimal("100000.00")
        )
    result = run("XT-004", subject)
    assert [f.location.row for f in result.findings] == ["2013201 行政运行"]
    assert "10.00万元" in result.findings[0].message_zh


def test_final_accounts_need_not_mirror_by_code() -> None:
    dataset = clean_dataset()
    final = replace(dataset, manifest=replace(dataset.manifest, kind="决算"))
    assert run("XT-004", subject_of_dataset(final)).outcome is Outcome.NOT_APPLICABLE


def test_a_project_form_without_budget_lines_is_reported() -> None:
    dataset = clean_dataset()
    extra = replace(dataset.projects[0], name="未安排预算的项目")
    result = run(
        "XT-018", subject_of_dataset(replace(dataset, projects=(*dataset.projects, extra)))
    )
    assert result.outcome is Outcome.FAILED
    assert any("未安排预算的项目" in t and "没有预算明细" in t for t in finding_texts(result))


def test_rules_needing_budget_lines_cannot_run_on_a_document() -> None:
    for rule_id in ("XT-014", "XT-017", "XT-018"):
        assert run(rule_id, clean_document()).outcome is Outcome.COULD_NOT_RUN
    assert run("XT-015", clean_subject()).outcome is Outcome.NOT_APPLICABLE


def test_a_missing_table_means_could_not_run() -> None:
    assert run("XT-001", without_table(clean_document(), "income")).outcome is (
        Outcome.COULD_NOT_RUN
    )
    subject = without_table(without_table(clean_document(), "fund-expenditure"), "state-capital")
    assert run("XT-007", subject).outcome is Outcome.FAILED  # fund money, no fund table


# --- the example dataset ---------------------------------------------------------------------


def _unchosen_example() -> Subject:
    """The example as if its splits had been published (备注 emptied)."""
    dataset = load_dataset(EXAMPLE)
    return subject_of_dataset(
        replace(dataset, lines=tuple(replace(line, note="") for line in dataset.lines))
    )


def _wan(printed: str | None) -> Decimal:
    return Decimal(printed or "0") * 10000


def test_the_example_dataset_finds_only_the_operating_costs_split() -> None:
    """examples/linfen-2021 is computed from one set of lines, so every relation holds, except
    X-14: to reproduce the published 机关运行经费 136.29 beside 302 商品和服务支出 146.92, the
    example books 10.63 of 福利费 (30229) as 人员经费 in unit 1040010. That split is the
    example's choice (备注 选定), so XT-014 leaves it to DAT-006, a hint that says so."""
    report = run_rules(subject_of_dataset(load_dataset(EXAMPLE)), only=[*XT, "DAT-006"])
    chosen = [f for f in report.findings if f.values.get("rule") == "XT-014"]
    assert [f.rule for f in report.findings if f.rule.startswith("XT-")] == []
    assert [f.rule for f in chosen] == ["DAT-006"]
    assert chosen[0].severity is Severity.INFO
    assert "只依据本数据选定的拆分" in chosen[0].message_zh
    unchosen = run("XT-014", _unchosen_example())
    assert [f.rule for f in unchosen.findings] == ["XT-014"]
    finding = unchosen.findings[0]
    assert finding.severity is Severity.WARNING
    published_unit = dict(gold.OPERATING_EXPENSES)["中共临汾市委组织部"]  # 110.01
    basic = dict((name, value) for _code, name, value in gold.BASIC_BY_ECONOMIC["rows"])
    gap = _wan(basic["商品和服务支出"]) - _wan(dict(gold.OPERATING_EXPENSES)["合计"])
    assert finding.location.row == "1040010 中共临汾市委组织部"
    assert finding.values["a"] == f"{published_unit}万元"
    assert finding.values["b"] == f"{(_wan(published_unit) + gap) / 10000:.2f}万元"
    assert finding.values["difference"] == f"-{gap / 10000:.2f}万元"


# --- the seed as published -------------------------------------------------------------------


def _level(code: str) -> int:
    return {0: 0, 3: 1, 5: 2, 7: 3}[len(code)]


def _printed_rows(
    rows: Sequence[tuple[str, str, Sequence[str | None]]], keys: Sequence[str]
) -> tuple[Row, ...]:
    return tuple(
        Row(
            code,
            name,
            _level(code),
            {k: (_wan(v) if v is not None else None) for k, v in zip(keys, values, strict=True)},
            TOTAL if not code else DETAIL,
        )
        for code, name, values in rows
    )


def _two_sided(
    income: Sequence[tuple[str, str | None]],
    labels: Sequence[str],
    spending: Sequence[tuple[str, ...]],
    keys: Sequence[str],
    total: dict[str, Decimal | str | None],
) -> tuple[Row, ...]:
    rows = []
    for index in range(max(len(income), len(spending))):
        values: dict[str, Decimal | str | None] = {}
        name = ""
        if index < len(income):
            values["income_item"] = labels[index]
            values["income"] = _wan(income[index][1])
        if index < len(spending):
            name = spending[index][0]
            values.update({k: _wan(v) for k, v in zip(keys, spending[index][1:], strict=True)})
        rows.append(Row("", name, 1, values))  # the seed prints class names without codes
    rows.append(Row("", "本年支出合计", 0, total, TOTAL))
    return tuple(rows)


def seed_document() -> Subject:
    """The seed's 11 tables as printed (tests/golden/seed_tables.py), with the forms of the
    example (equal to the published forms, see test_golden_forms)."""
    subject = document(load_dataset(EXAMPLE))
    tables: dict[str, Table] = dict(subject.tables)

    def put(table_id: str, rows: tuple[Row, ...]) -> None:
        tables[table_id] = replace(tables[table_id], rows=rows, notes=())

    t1 = gold.INCOME_EXPENDITURE_SUMMARY
    put(
        "income-expenditure",
        _two_sided(
            t1["income"],
            t1["income_printed_labels"],
            t1["expenditure"],
            ["expenditure"],
            {
                "income_item": t1["income_total_label"],
                "income": _wan(t1["income_total"]),
                "expenditure": _wan(t1["expenditure_total"]),
            },
        ),
    )
    t4 = gold.FISCAL_SUMMARY
    spent = dict(zip(["subtotal", "general", "fund"], t4["expenditure_total"], strict=True))
    put(
        "fiscal",
        _two_sided(
            t4["income"],
            t4["income_printed_labels"],
            t4["expenditure"],
            ["subtotal", "general", "fund"],
            {
                "income_item": t4["income_total_label"],
                "income": _wan(t4["income_total"]),
                **{k: _wan(v) for k, v in spent.items()},
            },
        ),
    )
    income_keys = ["total", "general", "fund", "special_account", "state_capital", "unit_funds"]
    put("income", _printed_rows(gold.INCOME_TABLE["rows"], income_keys))
    split = ["total", "basic", "project"]
    put("expenditure", _printed_rows(gold.EXPENDITURE_TABLE["rows"], split))
    put("general-budget", _printed_rows(gold.GENERAL_BUDGET_EXPENDITURE["rows"], split))
    put("fund-income", _printed_rows(gold.FUND_INCOME["rows"], ["total"]))
    put("fund-expenditure", _printed_rows(gold.FUND_EXPENDITURE["rows"], split))
    # the basic-expenditure table prints economic names only, no codes
    put(
        "basic-economic",
        tuple(
            Row("", name, _level(code), {"amount": _wan(value)}, TOTAL if not code else DETAIL)
            for code, name, value in gold.BASIC_BY_ECONOMIC["rows"]
        ),
    )
    put(
        "operating-costs",
        tuple(
            Row("", name, 0 if i == 0 else 1, {"amount": _wan(v)}, TOTAL if i == 0 else DETAIL)
            for i, (name, v) in enumerate(gold.OPERATING_EXPENSES)
        ),
    )
    three = gold.THREE_PUBLIC
    columns = {
        "total": "合计",
        "abroad": "因公出国(境)费",
        "reception": "公务接待费",
        "vehicle_subtotal": "公务用车费小计",
        "vehicle_operation": "公务用车运行维护费",
        "vehicle_purchase": "公务用车购置费",
        "meeting": "会议费",
        "training": "培训费",
    }
    put(
        "three-public",
        (
            Row(
                three["unit_code"],
                three["unit_name"],
                1,
                {key: _wan(three[label]) for key, label in columns.items()},
            ),
        ),
    )
    del tables["state-capital"]  # not published (the budget has no such money)
    return replace(subject, tables=tables)


def test_the_seed_document_blank_subtotals_are_not_compared() -> None:
    """The seed's 支出汇总表 leaves the 基本/项目 subtotals of its 类/款 rows blank
    (PUBLISHED_DEFECTS). A blank is no figure: X-11 does not compare it with the 一般公共预算支出表
    (13 cells would repeat one presentation choice); ARITH-007 notes it once for the table."""
    blank = [
        d
        for d in gold.PUBLISHED_DEFECTS
        if d["table"] == "EXPENDITURE_TABLE" and d["printed"] is None
    ]
    assert len(blank) == 15
    result = run("XT-011", seed_document())
    assert result.outcome is Outcome.PASSED, finding_texts(result)
    notes = run("ARITH-007", seed_document()).findings
    assert [f.values["count"] for f in notes if f.location.table == "2021年预算支出汇总表"] == [15]


def test_a_printed_figure_against_another_table_still_differs() -> None:
    # a misprinted (not blank) cell of the 支出汇总表 is compared as before
    subject = with_cell(clean_document(), "expenditure", "2013202", "basic", Decimal("1.00"))
    subject = with_cell(subject, "general-budget", "2013202", "basic", Decimal("50000.00"))
    result = run("XT-011", subject)
    assert result.outcome is Outcome.FAILED, finding_texts(result)


def test_the_seed_document_operating_costs_hint() -> None:
    result = run("XT-015", seed_document())
    assert len(result.findings) == 1
    finding = result.findings[0]
    basic = {name: value for _code, name, value in gold.BASIC_BY_ECONOMIC["rows"]}
    assert finding.values["a"] == f"{dict(gold.OPERATING_EXPENSES)['合计']}万元"  # 136.29
    assert finding.values["b"] == f"{basic['商品和服务支出']}万元"  # 146.92 (no 310 items)
    assert finding.severity is Severity.INFO


def test_the_seed_document_raises_no_other_cross_table_finding() -> None:
    """Every other relation holds in the published tables, although the summary tables print
    class names without codes and the basic-expenditure table economic names without codes
    (the rules find the codes in the catalogue), and the state-capital table is left out."""
    report = run_rules(seed_document(), only=XT)
    assert {f.rule for f in report.findings} == {"XT-015"}
    outcomes = {run.rule.id: run.outcome for run in report.runs}
    assert outcomes["XT-013"] is Outcome.PASSED  # 三公 ≥ 30217 4.00, 30231 8.20, 30215 2.00
    assert outcomes["XT-003"] is Outcome.PASSED
    assert outcomes["XT-007"] is Outcome.PASSED
    assert [r for r, o in outcomes.items() if o is Outcome.COULD_NOT_RUN] == [
        "XT-014",
        "XT-017",
        "XT-018",
    ]


def test_three_public_items_are_found_by_name_when_codes_are_not_printed() -> None:
    subject = seed_document()
    table = subject.tables["basic-economic"]
    rows = tuple(
        replace(r, values={"amount": Decimal("250000.00")}) if r.name == "公务接待费" else r
        for r in table.rows
    )
    result = run("XT-013", with_table(subject, "basic-economic", rows=rows))
    assert result.outcome is Outcome.FAILED
    assert "30217 公务接待费" in result.findings[0].values["a_cell"]  # type: ignore[operator]
    assert result.findings[0].values["b"] == "22.05万元"  # the published 三公 公务接待费


def test_any_table_with_money_must_not_call_itself_empty() -> None:
    # e.g. a 三公 table printing 47.91万元 under “本表为空表” (Shanghai 2024, page 31)
    subject = document(clean_dataset())
    table = subject.tables["three-public"]
    spoiled = replace(
        subject, tables={**subject.tables, "three-public": replace(table, notes=("本表为空表。",))}
    )
    result = run("XT-019", spoiled)
    assert result.outcome is Outcome.FAILED
    assert "表中有金额" in result.findings[0].message_zh and "三公" in result.findings[0].message_zh
    assert run("XT-019", subject).outcome is Outcome.PASSED


def test_the_seed_pension_items_against_their_function_items() -> None:
    """The seed prints 职业年金缴费 41.75 in the economic table but 2080506 40.33 (README of the
    example: the 1.42 difference); 基本养老保险缴费 83.50 = 2080505 and 住房公积金 62.62 = 2210201."""
    result = run("XT-020", seed_document())
    assert [(f.values["a"], f.values["b"], f.values["difference"]) for f in result.findings] == [
        ("40.33万元", "41.75万元", "-1.42万元")
    ]


def test_three_public_items_that_cannot_be_reconciled_are_not_passed() -> None:
    # an economic table printed by 类 only: 会议费、培训费 (and the 三公 items) cannot be found in
    # it, so "基本支出 ≤ 三公经费表" is not verified: could not run, never passed
    document = clean_document()
    economic = document.tables["basic-economic"]
    classes_only = with_table(
        document,
        "basic-economic",
        rows=tuple(r for r in economic.rows if len(r.code) != 5),
    )
    result = run("XT-013", classes_only)
    assert result.outcome is Outcome.COULD_NOT_RUN
    assert "会议费" in result.reason and "培训费" in result.reason
    assert run("XT-013", document).outcome is Outcome.PASSED


def test_paired_items_cannot_run_on_an_economic_table_without_amounts() -> None:
    # a reader that found the economic table's rows but not its amount column: never 0
    document = clean_document()
    economic = document.tables["basic-economic"]
    unread = with_table(
        document,
        "basic-economic",
        columns=tuple(c for c in economic.columns if c.key != "amount"),
        rows=tuple(replace(r, values={}) for r in economic.rows),
    )
    assert run("XT-020", unread).outcome is Outcome.COULD_NOT_RUN
    assert run("XT-010", unread).outcome is Outcome.COULD_NOT_RUN


def test_a_code_printed_with_another_items_name_decides_nothing() -> None:
    """The Shanghai welfare home prints "302 12 机关事业单位退休人员活动费 7,020": 30212 is
    因公出国（境）费用 in the catalogue, the name is another item. Which is wrong cannot be told, so
    the 三公 comparison is not verified — never a fatal "part larger than its whole"."""
    spoilt = misprinted("XT-013")()  # 30217 公务接待费 printed larger than the 三公 table's
    assert run("XT-013", spoilt).outcome is Outcome.FAILED
    table = spoilt.tables["basic-economic"]
    rows = tuple(
        replace(r, name="机关事业单位退休人员活动费") if r.code == "30217" else r
        for r in table.rows
    )
    renamed = run("XT-013", with_table(spoilt, "basic-economic", rows=rows))
    assert renamed.findings == ()
