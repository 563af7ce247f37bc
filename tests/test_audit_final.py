"""部门决算 (final accounts) read back and audited: the official Shanghai template (empty tables,
every column recognised) and a real 决算 (中共上海市普陀区委社会工作部 2024), its cells checked
by hand against ``pdftotext -layout``, its balances reconciled, its real contradictions found."""

from __future__ import annotations

from decimal import Decimal

import pytest

from paths import SHARED
from yusuan.audit.document import RecognisedDocument, to_subject
from yusuan.audit.final_accounts import budget_statements, filled_header
from yusuan.audit.narrative import stated_figures
from yusuan.audit.readers import read_document
from yusuan.audit.run import document_kind
from yusuan.rules import Outcome, Severity, run_rules
from yusuan.rules.engine import Report
from yusuan.tables.base import TOTAL, Table

REALDOCS = SHARED / "realdocs"
TEMPLATE = REALDOCS / "shanghai-final-accounts-template-2024.pdf"
SOCIAL_WORK = REALDOCS / "shanghai-putuo-social-work-2024-final.pdf"

# The nine tables the contents page of both documents announces (第二部分 一 … 九).
ANNOUNCED = [
    "income-expenditure-final",
    "income-final",
    "expenditure-final",
    "fiscal-final",
    "general-budget-final",
    "basic-economic-final",
    "three-public-final",
    "fund-final",
    "state-capital-final",
]

# Every column the template prints, by table (keys of final_tables.toml).
TEMPLATE_COLUMNS = {
    "income-expenditure-final": ["income_item", "income", "name", "expenditure"],
    "income-final": [
        "code",
        "name",
        "total",
        "fiscal_income",
        "superior_grants",
        "business_income",
        "operating_income",
        "subordinate_payments",
        "other_income",
    ],
    "expenditure-final": [
        "code",
        "name",
        "total",
        "basic",
        "project",
        "payments_to_superior",
        "operating_expenditure",
        "subsidies_to_subordinate",
    ],
    "fiscal-final": [
        "income_item",
        "income",
        "name",
        "subtotal",
        "general",
        "fund",
        "state_capital",
    ],
    "general-budget-final": ["code", "name", "total", "basic", "project"],
    "basic-economic-final": ["code", "name", "amount"],
    "three-public-final": [
        "budget_total",
        "total",
        "budget_abroad",
        "abroad",
        "budget_vehicle_subtotal",
        "vehicle_subtotal",
        "budget_vehicle_purchase",
        "vehicle_purchase",
        "budget_vehicle_operation",
        "vehicle_operation",
        "budget_reception",
        "reception",
    ],
}
CARRY_COLUMNS = [
    "code",
    "name",
    "opening",
    "income",
    "expenditure_total",
    "basic",
    "project",
    "closing",
]


@pytest.fixture(scope="module")
def template() -> RecognisedDocument:
    return read_document(TEMPLATE)


@pytest.fixture(scope="module")
def social_work() -> RecognisedDocument:
    return read_document(SOCIAL_WORK)


@pytest.fixture(scope="module")
def report(social_work: RecognisedDocument) -> Report:
    return run_rules(to_subject(social_work))


def _amounts(table: Table) -> list[Decimal]:
    return [v for r in table.rows for v in r.values.values() if isinstance(v, Decimal)]


# --- the template -------------------------------------------------------------------------


def identified(doc: RecognisedDocument) -> list[str]:
    """The tables read as a known kind (a grid nobody announced, such as the 单位构成 list
    printed in the narrative, is read as ``unidentified-N`` beside them)."""
    return sorted(t for t in doc.tables if not t.startswith("unidentified"))


def test_the_template_is_read_as_the_nine_announced_tables(template: RecognisedDocument) -> None:
    assert identified(template) == sorted(ANNOUNCED)
    assert [u.table_id for u in template.unread if u.table_id] == []
    assert template.year == 2024
    assert document_kind(template) == "决算"


@pytest.mark.parametrize("table_id", sorted(TEMPLATE_COLUMNS))
def test_the_template_tables_are_empty_with_every_column_recognised(
    template: RecognisedDocument, table_id: str
) -> None:
    table = template.tables[table_id]
    assert [c.key for c in table.columns] == TEMPLATE_COLUMNS[table_id]
    assert _amounts(table) == []
    assert not [p for p in template.problems_of(table_id) if "header" in p.message_en]


@pytest.mark.parametrize("table_id", ["fund-final", "state-capital-final"])
def test_the_template_carry_over_tables_keep_every_column(
    template: RecognisedDocument, table_id: str
) -> None:
    assert [c.key for c in template.tables[table_id].columns] == CARRY_COLUMNS


def test_the_template_carry_over_tables_are_read_with_their_groups(
    template: RecognisedDocument,
) -> None:
    # 本年支出 > 合计 | 基本支出 | 项目支出, the 合计 printed on the table's 合计 line
    for table_id in ("fund-final", "state-capital-final"):
        table = template.tables[table_id]
        keys = [c.key for c in table.columns]
        assert keys[:7] == CARRY_COLUMNS[:7]
        assert [(r.kind, r.name) for r in table.rows] == [(TOTAL, "合计")]


def test_the_template_summary_keeps_the_lines_after_its_totals(
    template: RecognisedDocument,
) -> None:
    summary = template.tables["income-expenditure-final"]
    after = [(r.values.get("income_item"), r.name) for r in summary.rows if r.kind == TOTAL]
    assert after == [
        ("本年收入合计", "本年支出合计"),
        ("使用非财政拨款结余", "结余分配"),
        ("年初结转和结余", "年末结转和结余"),
        ("总计", "总计"),
    ]


def test_no_fatal_finding_on_the_empty_template(template: RecognisedDocument) -> None:
    report = run_rules(to_subject(template))
    assert [f.rule for f in report.findings if f.severity is Severity.FATAL] == []


# --- the real 决算 ------------------------------------------------------------------------


def test_every_announced_table_of_the_final_accounts_is_read(
    social_work: RecognisedDocument,
) -> None:
    assert identified(social_work) == sorted(ANNOUNCED)
    assert social_work.year == 2024  # 2024年度部门决算: the year it accounts for
    assert document_kind(social_work) == "决算"
    assert [u.table_id for u in social_work.unread if u.table_id] == []


WAN = Decimal(10000)

# (table, row code or printed name, column, figure in 万元): typed from
# `pdftotext -layout shanghai-putuo-social-work-2024-final.pdf -`
HAND_CHECKED = [
    ("income-expenditure-final", "201", "expenditure", "264.87"),
    ("income-expenditure-final", "208", "expenditure", "10.82"),
    ("income-expenditure-final", "210", "expenditure", "2.71"),
    ("income-expenditure-final", "221", "expenditure", "29.42"),
    ("income-expenditure-final", "本年支出合计", "income", "307.82"),
    ("income-expenditure-final", "本年支出合计", "expenditure", "307.82"),
    ("income-expenditure-final", "总计", "income", "307.82"),
    ("income-final", "合计", "fiscal_income", "307.82"),
    ("income-final", "2013901", "total", "51.32"),
    ("income-final", "2013950", "fiscal_income", "11.31"),
    ("income-final", "2080505", "total", "6.18"),
    ("income-final", "2101102", "total", "0.49"),
    ("income-final", "2210203", "fiscal_income", "11.72"),
    ("expenditure-final", "合计", "basic", "105.58"),
    ("expenditure-final", "合计", "project", "202.24"),
    ("expenditure-final", "201", "basic", "62.63"),
    ("expenditure-final", "2013999", "project", "202.24"),
    ("expenditure-final", "2080506", "basic", "4.64"),
    ("fiscal-final", "201", "general", "264.87"),
    ("fiscal-final", "221", "subtotal", "29.42"),
    ("fiscal-final", "本年支出合计", "general", "307.82"),
    ("general-budget-final", "合计", "project", "202.24"),
    ("general-budget-final", "20139", "basic", "62.63"),
    ("general-budget-final", "2210201", "total", "17.70"),
    ("basic-economic-final", "301", "amount", "95.36"),
    ("basic-economic-final", "30102", "amount", "39.72"),
    ("basic-economic-final", "30107", "amount", "10.16"),
    ("basic-economic-final", "30112", "amount", "0.09"),
    ("basic-economic-final", "302", "amount", "10.23"),
    ("basic-economic-final", "30229", "amount", "1.48"),
    ("basic-economic-final", "30239", "amount", "2.43"),
    ("basic-economic-final", "31099", "amount", "0.00"),
    ("basic-economic-final", "人员经费合计", "amount", "95.36"),
    ("basic-economic-final", "公用经费合计", "amount", "10.23"),
]


@pytest.mark.parametrize(("table_id", "row", "key", "printed"), HAND_CHECKED)
def test_hand_checked_cells(
    social_work: RecognisedDocument, table_id: str, row: str, key: str, printed: str
) -> None:
    table = social_work.tables[table_id]
    found = [r for r in table.rows if r.code == row or (not r.code and r.name == row)]
    assert len(found) == 1, [r.name for r in table.rows]
    assert found[0].values.get(key) == Decimal(printed) * WAN


def test_blank_cells_stay_blank(social_work: RecognisedDocument) -> None:
    # 2013999 其他社会工作事务支出 prints no 基本支出; the summary's 年初结转和结余 is blank
    spending = social_work.tables["expenditure-final"].row("2013999")
    assert spending is not None and spending.values.get("basic") is None
    summary = social_work.tables["income-expenditure-final"]
    opening = next(r for r in summary.rows if r.values.get("income_item") == "年初结转和结余")
    assert opening.values.get("income") is None


def test_the_final_accounts_reconcile(report: Report) -> None:
    outcomes = {r.rule.id: r.outcome for r in report.runs}
    for rule_id in (
        "ARITH-001",
        "ARITH-002",
        "ARITH-003",
        "FA-001",
        "FA-002",
        "FA-003",
        "FA-010",
        "FA-011",
        "FA-012",
        "FA-013",
        "FA-020",
        "FA-022",
        "FA-023",
        "FA-024",
    ):
        assert outcomes[rule_id] is Outcome.PASSED, rule_id
    assert [f.rule for f in report.findings if f.severity is Severity.FATAL] == []


def test_its_real_contradictions_are_reported(report: Report) -> None:
    # Checked by hand: "年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元，完成年初预算的
    # 95.89%": 307.82 / 321.02 = 95.89% is of the 全年预算; of a 年初预算 of 0 there is no rate.
    found = [f for f in report.findings if f.rule == "FA-021"]
    assert len(found) == 1
    assert "95.89%" in found[0].message_zh and "321.02万元" in found[0].message_zh
    assert found[0].location.page == 18
    # 302 商品和服务支出 10.23 against its 款 3.78 + 1.15 + 0.02 + 0.68 + 0.48 + 1.48 + 2.43 +
    # 0.20 = 10.22: a rounding difference, reported as such (提示), not as an error
    # "住房保障支出（类）29.42万元，占9.55%": 29.42 / 307.82 = 9.5575%, and no amounts printed as
    # 29.42 and 307.82 give less than 29.415 / 307.825 = 9.5557%: 9.56% (the four shares were
    # made to add up to 100.00%)
    share = [f for f in report.findings if f.rule == "FA-025"]
    assert len(share) == 1
    assert "9.55%" in share[0].message_zh and "9.56%" in share[0].message_zh
    rounding = [f for f in report.findings if f.rule == "ARITH-090"]
    assert len(rounding) == 1 and "302" in rounding[0].message_zh


# --- the pieces -------------------------------------------------------------------------


def test_a_merged_header_is_written_out_within_its_group() -> None:
    printed = [
        (
            "合计",
            "",
            "因公出国（境）费",
            "",
            "公务用车购置及运行维护费",
            "",
            "",
            "",
            "公务接待费",
            "",
        ),
        ("", "", "", "", "小计", "", "公务用车购置费", "", "", ""),
        ("预算数", "决算数") * 5,
    ]
    filled = filled_header(printed)
    assert filled[1] == (
        "合计",
        "合计",
        "因公出国（境）费",
        "因公出国（境）费",
        "小计",
        "小计",
        "公务用车购置费",
        "公务用车购置费",
        "公务接待费",
        "公务接待费",
    )
    assert filled[2] == printed[2]


def test_budget_statements_are_read_item_by_item() -> None:
    lines = [
        (1, 1, "  一般公共预算财政拨款支出年初预算为0万元，全年预算为321.02万元，支出决算为307.82"),
        (
            1,
            2,
            "万元，完成年初预算的95.89%。决算数小于预算数的主要原因：人员经费支出数小于预算数。其中：",
        ),
        (
            1,
            3,
            "  1、一般公共服务支出（类）社会工作事务（款）行政运行（项）。主要用于：行政单位人员",
        ),
        (1, 4, "支出。全年预算为52.00万元，支出决算为51.32万元，完成全年预算数的98.69%。"),
        (
            1,
            5,
            "  2、一般公共服务支出（类）社会工作事务（款）其他社会工作事务支出（项）。全年预算为",
        ),
        (1, 6, "202.24万元，支出决算为202.24万元。决算数与全年预算数持平。"),
    ]
    found = budget_statements(lines, stated_figures(lines, 2024))
    assert [(s.initial, s.full, s.outturn) for s in found] == [
        (Decimal(0), Decimal("3210200.00"), Decimal("3078200.00")),
        (None, Decimal("520000.00"), Decimal("513200.00")),
        (None, Decimal("2022400.00"), Decimal("2022400.00")),
    ]
    assert [(s.rate, s.rate_of) for s in found] == [
        (Decimal("0.9589"), "initial"),
        (Decimal("0.9869"), "full"),
        (None, ""),
    ]
    assert [s.direction for s in found] == ["less", "", "equal"]
    assert found[0].function is None
    assert found[1].function is not None and found[1].function.name("项") == "行政运行"
    assert [s.line for s in found] == [1, 3, 5]


def test_a_final_accounts_document_is_of_the_year_it_accounts_for() -> None:
    from yusuan.audit.seed_text import read_text

    text = "\n".join(
        [
            "某某局2024年度部门决算",
            "2025年9月30日公开",
            "收入支出决算总表",
            "单位：万元",
            "收入\t\t支出\t",
            "项目\t决算数\t项目\t决算数",
            "一、一般公共预算财政拨款收入\t100.00\t一、一般公共服务支出\t100.00",
            "本年收入合计\t100.00\t本年支出合计\t100.00",
            "年初结转和结余\t\t年末结转和结余\t",
            "总计\t100.00\t总计\t100.00",
        ]
    )
    doc = read_text(text, "final.txt")
    assert doc.year == 2024
    assert document_kind(doc) == "决算"
    assert list(doc.tables) == ["income-expenditure-final"]


def test_a_basic_expenditure_table_by_personnel_and_operating_columns() -> None:
    # the 财政部 template's layout: 合计 | 人员经费 | 公用经费 by 经济分类, one panel
    from yusuan.audit.seed_text import read_text

    text = "\n".join(
        [
            "2024年度一般公共预算财政拨款基本支出决算表",
            "单位：万元",
            "科目编码\t科目名称\t合计\t人员经费\t公用经费",
            "301\t工资福利支出\t80.00\t80.00\t",
            "30101\t基本工资\t80.00\t80.00\t",
            "302\t商品和服务支出\t20.00\t\t20.00",
            "30201\t办公费\t20.00\t\t20.00",
            "合计\t\t100.00\t80.00\t20.00",
        ]
    )
    table = read_text(text, "basic.txt").tables["basic-economic-final"]
    assert [c.key for c in table.columns] == ["code", "name", "amount", "personnel", "operating"]
    row = table.row("302")
    assert row is not None and row.values == {
        "amount": Decimal("200000.00"),
        "personnel": None,
        "operating": Decimal("200000.00"),
    }
    total = table.total_row()
    assert total is not None and total.values["amount"] == Decimal("1000000.00")


NUMBERED = "\n".join(
    [
        "某某厅2024年度部门决算",
        "收入支出决算总表",
        "单位：万元",
        "收入\t\t\t支出\t\t",
        "项目\t行次\t金额\t项目\t行次\t金额",
        "栏次\t\t1\t栏次\t\t2",
        "一、一般公共预算财政拨款收入\t1\t100.00\t一、一般公共服务支出\t32\t90.00",
        "二、事业收入\t2\t20.00\t二、教育支出\t33\t25.00",
        "本年收入合计\t3\t120.00\t本年支出合计\t34\t115.00",
        "年初结转和结余\t4\t10.00\t年末结转和结余\t35\t15.00",
        "总计\t5\t130.00\t总计\t36\t130.00",
        "收入决算表",
        "单位：万元",
        "项目\t\t本年收入合计\t财政拨款收入\t事业收入",
        "功能分类科目编码\t科目名称\t\t\t",
        "栏次\t\t1\t2\t3",
        "合计\t\t120.00\t100.00\t20.00",
        "201\t一般公共服务支出\t95.00\t80.00\t15.00",
        "205\t教育支出\t25.00\t20.00\t5.00",
    ]
)


def test_line_and_column_numbers_are_not_amounts() -> None:
    # the 财政部 layout (项目 | 行次 | 金额, a 栏次 row): hand-made, 10 + 120 − 115 = 15
    from yusuan.audit.seed_text import read_text

    doc = read_text(NUMBERED, "numbered.txt")
    summary = doc.tables["income-expenditure-final"]
    assert [c.key for c in summary.columns] == ["income_item", "income", "name", "expenditure"]
    first = summary.rows[0]
    assert first.code == "201"
    assert first.values["income"] == Decimal("1000000.00")
    assert first.values["expenditure"] == Decimal("900000.00")
    income = doc.tables["income-final"]
    assert [r.name for r in income.rows] == ["合计", "一般公共服务支出", "教育支出"]
    report = run_rules(to_subject(doc))
    outcomes = {r.rule.id: r.outcome for r in report.runs}
    assert outcomes["FA-001"] is Outcome.PASSED
    assert outcomes["FA-002"] is Outcome.PASSED
    assert outcomes["FA-010"] is Outcome.PASSED
    assert outcomes["ARITH-001"] is Outcome.PASSED
    assert [f.rule for f in report.findings if f.severity is Severity.FATAL] == []


def test_a_three_public_table_with_the_measures_above_the_items() -> None:
    # the 财政部 layout: 预算数 | 决算数 over the items (上海 prints the items over them)
    from yusuan.audit.seed_text import read_text

    text = "\n".join(
        [
            "2024年度财政拨款“三公”经费支出决算表",
            "单位：万元",
            "预算数\t\t\t\t\t\t决算数\t\t\t\t\t",
            "合计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费\t"
            "合计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费",
            "\t\t小计\t公务用车购置费\t公务用车运行维护费\t\t\t\t小计\t公务用车购置费\t公务用车运行维护费\t",
            "3.00\t0.00\t2.00\t0.00\t2.00\t1.00\t2.50\t0.00\t1.80\t0.00\t1.80\t0.70",
        ]
    )
    table = read_text(text, "three.txt").tables["three-public-final"]
    assert [c.key for c in table.columns] == [
        "budget_total",
        "budget_abroad",
        "budget_vehicle_subtotal",
        "budget_vehicle_purchase",
        "budget_vehicle_operation",
        "budget_reception",
        "total",
        "abroad",
        "vehicle_subtotal",
        "vehicle_purchase",
        "vehicle_operation",
        "reception",
    ]
    (row,) = table.rows
    assert row.values["budget_reception"] == Decimal("10000.00")
    assert row.values["vehicle_operation"] == Decimal("18000.00")


def test_a_misprinted_carry_over_is_found_at_its_line_and_page() -> None:
    from yusuan.audit.pdf_reader import read_grid, recognise_grid

    grid = read_grid(SOCIAL_WORK)
    block = next(b for b in grid.blocks if b.title.texts() == ["收入支出决算总表"])
    row = next(r for r in block.rows if r.cell(2) == "年末结转和结余")
    changed = recognise_grid(grid.replace_cell(row.line, 3, "10.00"))
    report = run_rules(to_subject(changed))
    found = {(f.rule, f.location.row, f.location.page) for f in report.findings}
    # 0 + 307.82 − 307.82 = 0, not 10.00; and 支出总计 307.82 ≠ 307.82 + 10.00
    assert ("FA-001", "年末结转和结余", 5) in found
    assert ("FA-002", "总计", 5) in found
    assert {f.rule for f in report.findings if f.severity is Severity.FATAL} == {
        "FA-001",
        "FA-002",
    }


@pytest.mark.parametrize(
    ("title", "table_id"),
    [
        ("收入支出决算总表", "income-expenditure-final"),
        ("2024年度部门收支决算总表", "income-expenditure-final"),
        ("收入决算表", "income-final"),
        ("支出决算表", "expenditure-final"),
        ("财政拨款收入支出决算总表", "fiscal-final"),
        ("一般公共预算财政拨款支出决算表", "general-budget-final"),
        ("一般公共预算财政拨款基本支出决算表", "basic-economic-final"),
        ("政府性基金预算财政拨款收入支出决算表", "fund-final"),
        ("国有资本经营预算财政拨款收入支出决算表", "state-capital-final"),
        ("国有资本经营预算财政拨款支出决算表", "state-capital-final"),
        ("财政拨款“三公”经费支出决算表", "three-public-final"),
        ("机关运行经费支出决算表", "operating-costs-final"),
        # a 预算 title is never read by a 决算 definition
        ("财政拨款收支总表", "fiscal"),
        ("2024年“三公”经费预算表", "three-public"),
    ],
)
def test_final_titles_are_identified(title: str, table_id: str) -> None:
    from yusuan.audit.recognise import identify

    found = identify(title)
    assert found is not None and found.table_id == table_id
