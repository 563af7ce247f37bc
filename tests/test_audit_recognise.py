"""The recognition layer shared by every reader, and a document worded, ordered and scaled
differently from the seed: tables are known by what they are, not by how the seed prints them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from yusuan.audit.document import RecognisedDocument, to_subject
from yusuan.audit.forms import is_value, split_glued, split_value
from yusuan.audit.recognise import (
    core_title,
    evidence_of,
    find_unit,
    identify,
    label,
    parse_amount,
    pattern_score,
    vocabulary,
)
from yusuan.audit.seed_text import read_text
from yusuan.audit.shape import CodedEntry, resolve_codes
from yusuan.catalog.loader import catalogs_for
from yusuan.money import MoneyUnit
from yusuan.rules import REGISTRY, Severity, load_rules, run_rules
from yusuan.tables.base import TOTAL


@pytest.mark.parametrize(
    ("title", "table_id"),
    [
        ("2021年预算收支总表", "income-expenditure"),
        ("2022年部门收支预算总表", "income-expenditure"),
        ("某某局财务收支预算总表", "income-expenditure"),
        ("2021年预算收入总表", "income"),
        ("部门收入预算总表", "income"),
        ("2021年预算支出汇总表", "expenditure"),
        ("部门支出总表", "expenditure"),
        ("部门支出预算总表", "expenditure"),
        ("2021年财政拨款收支总表", "fiscal"),
        ("一般公共预算支出表", "general-budget"),
        ("2021年一般公共预算支出预算表", "general-budget"),
        ("一般公共预算支出功能分类预算表", "general-budget"),
        ("一般公共预算基本支出表", "basic-economic"),
        ("一般公共预算安排基本支出分经济科目表", "basic-economic"),
        ("基本支出部门预算经济分类预算表", "basic-economic"),
        ("2021年政府性基金预算收入表", "fund-income"),
        ("政府性基金预算支出表", "fund-expenditure"),
        ("国有资本经营预算支出表", "state-capital"),
        ("政府采购预算资金明细表", "procurement"),
        ("2021年机关运行经费预算财政拨款情况统计表", "operating-costs"),
        ("2021年“三公”经费预算表", "three-public"),
        ("一般公共预算“三公”经费支出表", "three-public"),
        ("2020年部门收支决算总表", "income-expenditure-final"),
        ("2020年财政拨款收入支出决算总表", "fiscal-final"),
        ("2020年一般公共预算财政拨款支出决算表", "general-budget-final"),
    ],
)
def test_tables_are_known_by_what_they_are(title: str, table_id: str) -> None:
    found = identify(title)
    assert found is not None and found.table_id == table_id


def test_unknown_titles_are_not_guessed() -> None:
    assert identify("2022年部门国有资产占用情况表") is None


def test_title_patterns() -> None:
    assert pattern_score("政府性基金+支出", label("政府性基金预算支出预算表")) == 7
    assert pattern_score("政府性基金+支出", label("支出政府性基金")) == 0  # order matters


@pytest.mark.parametrize(
    ("table_id", "printed", "key"),
    [
        ("income", "一般公共预算拨款", "general"),
        ("income", "纳入预算管理的政府性基金", "fund"),
        ("income", "本年收入合计", "total"),
        ("expenditure", "小计", "total"),
        ("fiscal", "小计", "subtotal"),
        ("three-public", "小计", "vehicle_subtotal"),
        ("three-public", "因公出国 （境）费", "abroad"),
        ("three-public", "公务用车 运行维护 费", "vehicle_operation"),
        ("operating-costs", "2021年预算数", "amount"),
        ("procurement", "政府预算资金合计", "gov_total"),
        ("procurement", "项目名称", "project"),
    ],
)
def test_header_aliases_are_data(table_id: str, printed: str, key: str) -> None:
    assert vocabulary().spec(table_id).key_for(printed) == key


def test_units_and_exact_amounts() -> None:
    assert find_unit("单位：万元") is MoneyUnit.WAN
    assert find_unit("单位:元") is MoneyUnit.YUAN
    assert find_unit("编制单位：某某局 金额单位：亿元") is MoneyUnit.YI
    assert parse_amount("6,423.83", MoneyUnit.WAN) == Decimal("64238300.00")
    assert parse_amount("0.06", MoneyUnit.WAN) == Decimal("600.00")
    assert parse_amount("1,234.5", MoneyUnit.YUAN) == Decimal("1234.5")
    assert parse_amount("", MoneyUnit.WAN) is None
    assert parse_amount("—", MoneyUnit.WAN) is None
    with pytest.raises(ValueError):
        parse_amount("六百", MoneyUnit.WAN)


def _resolve(rows: list[tuple[str, str, str]]) -> list[str]:
    entries = [
        CodedEntry(code, name, Decimal(amount), n) for n, (code, name, amount) in enumerate(rows)
    ]
    return [r.code for r in resolve_codes(entries, (3, 2, 2), catalogs_for(2021).function)]


def test_split_codes_are_rebuilt_with_the_catalogue_names_and_sums() -> None:
    codes = _resolve(
        [
            ("201", "一般公共服务支出", "30"),
            ("31", "党委办公厅（室）及相关机构事务", "10"),
            ("02", "一般行政管理事务", "10"),
            ("32", "组织事务", "20"),  # 2013132 is no code: a new 款
            ("01", "行政运行", "5"),  # right after a 款: its 项
            ("02", "一般行政管理事务", "10"),  # 20102 政协事务 exists too: the name decides
            ("50", "事业运行", "5"),
            ("208", "社会保障和就业支出", "3"),
            ("05", "行政事业单位养老支出", "3"),
            ("01", "行政单位离退休", "1"),
            ("05", "机关事业单位基本养老保险缴费", "1"),  # cut name; 20805 is its own 款
            ("06", "机关事业单位职业年金缴", "1"),  # 20806 exists: the cut name decides
        ]
    )
    assert codes == [
        *("201", "20131", "2013102", "20132", "2013201", "2013202", "2013250"),
        *("208", "20805", "2080501", "2080505", "2080506"),
    ]


def test_full_codes_are_taken_as_printed() -> None:
    assert _resolve([("201", "x", "1"), ("20132", "x", "1"), ("2013201", "x", "1")]) == [
        "201",
        "20132",
        "2013201",
    ]


def test_indicator_values() -> None:
    assert split_value("<=20万元") == ("<=", "20", "万元")
    assert split_value("≤1210000万") == ("≤", "1210000", "万")
    assert split_value("+100%") == ("+", "100", "%")
    assert split_value("及时") == ("", "及时", "")
    assert is_value("100%") and is_value("=60个个")
    assert not is_value("2021年专家人才政治引领重点任务") and not is_value("及时")
    assert split_glued("培训次数(=1次") == ["培训次数(", "=1次"]
    assert split_glued("考试用车(<=6万元") == ["考试用车(", "<=6万元"]
    assert split_glued("党员电教片参评获三等奖以上(部)") == ["党员电教片参评获三等奖以上(部)"]


# --- a document unlike the seed ------------------------------------------------------------

VARIANT = "\n".join(
    "\t".join(cells)
    for cells in [
        ("一、部门主要职能",),
        ("负责全市有关工作。",),
        ("",),
        ("2022年部门收入预算总表",),
        ("编制单位：某某局", "", "单位：元"),
        ("科目编码", "科目名称", "合计", "一般公共预算拨款", "纳入预算管理的政府性基金"),
        ("", "合计", "1,700,000.00", "1,200,000.00", "500,000.00"),
        ("201", "一般公共服务支出", "1,200,000.00", "1,200,000.00", ""),
        ("20132", "组织事务", "1,200,000.00", "1,200,000.00", ""),
        ("2013201", "行政运行", "1,000,000.00", "1,000,000.00", ""),
        ("2013202", "一般行政管理事务", "200,000.00", "200,000.00", ""),
        ("212", "城乡社区支出", "500,000.00", "", "500,000.00"),
        ("21208", "国有土地使用权出让收入安排的支出", "500,000.00", "", "500,000.00"),
        ("2120899", "其他国有土地使用权出让收入安排的支出", "500,000.00", "", "500,000.00"),
        ("",),
        ("2022年部门支出预算总表",),
        ("单位：元",),
        ("科目编码", "科目名称", "项目支出", "基本支出", "合计"),
        ("", "合计", "700,000.00", "1,000,000.00", "1,700,000.00"),
        ("201", "一般公共服务支出", "200,000.00", "1,000,000.00", "1,200,000.00"),
        ("32", "组织事务", "200,000.00", "1,000,000.00", "1,200,000.00"),
        ("01", "行政运行", "", "1,000,000.00", "1,000,000.00"),
        ("02", "一般行政管理事务", "200,000.00", "", "200,000.00"),
        ("212", "城乡社区支出", "500,000.00", "", "500,000.00"),
        ("08", "国有土地使用权出让收入安排的支出", "500,000.00", "", "500,000.00"),
        ("99", "其他国有土地使用权出让收入安排的支出", "500,000.00", "", "500,000.00"),
        ("",),
        ("2022年国有资本经营预算支出表",),
        ("单位：万元",),
        ("科目编码", "科目名称", "合计", "基本支出", "项目支出"),
        ("合计", "", "", "", ""),
        ("本部门2022年无国有资本经营预算拨款安排的支出，故本表为空表。",),
        ("",),
        ("2022年一般公共预算“三公”经费支出预算表",),
        ("单位：元",),
        ("单位名称", "合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"),
        ("", "", "", "小计", "公务用车购置费", "公务用车运行费", ""),
        ("合计", "30,000.00", "", "20,000.00", "", "20,000.00", "10,000.00"),
        ("某某局", "30,000.00", "", "20,000.00", "", "20,000.00", "10,000.00"),
        ("",),
        ("2021年部门收支决算总表",),
        ("单位：万元",),
        ("项目", "决算数", "项目", "决算数"),
        ("一般公共预算财政拨款收入", "100.00", "一般公共服务支出", "100.00"),
        ("",),
        ("2022年部门国有资产占用情况表",),
        ("车辆", "2"),
        ("",),
        ("某某市市级预算部门项目支出绩效目标申报表",),
        ("（2022年度）",),
        ("项目名称", "", "测试项目", "", ""),
        ("主管部门及代码", "", "某某局-201001", "", "实施单位", "", "某某局"),
        ("项目属性", "", "延续项目", "", "项目期", "", "3年"),
        ("项目资金（万元）", "实施期资金总额:", "60", "年度资金总额:", "20"),
        ("", "其中:中央财政资金", "0", "其中:中央财政资金", "0"),
        ("", "省级财政资金", "0", "省级财政资金", "0"),
        ("", "市级财政资金", "60", "市级财政资金", "20"),
        ("", "县级财政资金", "0", "县级财政资金", "0"),
        ("", "单位自筹", "0", "单位自筹", "0"),
        ("项目概况", "", "概况文字。"),
        ("实施期目标", "", "", "", "年度目标", "", ""),
        ("总体目标", "目标甲", "", "", "目标乙", "", ""),
        ("", "一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"),
        ("绩效指标", "产出指标", "数量指标", "培训人数", "≥100人", "数量指标", "培训人", "≥100人"),
        ("", "", "", "培训天数(天)", "=5天", "", "培训天数(=5天"),
        ("", "质量指标", "培训合格率", "≥95%", "培训合格率", "≥95%", ""),
        ("", "效益指标", "社会效益", "干部能力提升", "提升", "社会效益", "干部能力"),
        (
            "",
            "满意度指",
            "服务对象满",
            "学员满意度",
            "≥90%",
            "服务对象满意度指标",
            "学员满",
            "≥90%",
        ),
        (
            "负责人:",
            "张三",
            "经办人:",
            "李四",
            "联系电话:",
            "0357-1234567",
            "填报日期:",
            "2022年1月10日",
        ),
    ]
)


@pytest.fixture(scope="module")
def variant() -> RecognisedDocument:
    return read_text(VARIANT, "variant.txt")


def test_variant_document_parts(variant: RecognisedDocument) -> None:
    assert variant.year == 2022
    assert variant.department == "某某局"
    budget = [t for t in variant.tables if not t.startswith("unidentified-")]
    assert [t for t in budget if not t.endswith("-final")] == [
        *("income", "expenditure", "state-capital", "three-public"),
    ]
    # the 决算 table and the table nobody describes are read too: nothing is left unread
    read_as = {t.meta.get("guess", t.id) for t in variant.tables.values()}
    assert "income-expenditure-final" in read_as
    assert len(variant.tables) == 6
    assert [t.text for t in variant.narrative] == ["一、部门主要职能", "负责全市有关工作。"]
    assert variant.unread == ()


GRIDS = "\n".join(
    "\t".join(cells)
    for cells in [
        ("2021年部门政府采购决算表",),
        ("单位：万元",),
        ("行次", "项目", "决算数"),
        ("1", "货物", "12.50"),
        ("2", "服务", "7.50"),
        ("",),
        ("2022年部门国有资产占用情况表",),
        ("车辆", "2"),
    ]
)


def test_a_table_nobody_identified_is_read_as_its_grid() -> None:
    doc = read_text(GRIDS, "grids.txt")
    assert list(doc.tables) == ["unidentified-1", "unidentified-2"]
    # a 决算 table with no definition of its own: every cell read, what its title suggests kept
    final = doc.tables["unidentified-1"]
    assert final.title == "2021年部门政府采购决算表"
    assert final.meta["guess"] == "procurement-final"
    assert [(c.label, c.kind) for c in final.columns] == [
        ("行次", "text"),  # row numbers, not amounts
        ("项目", "text"),
        ("决算数", "amount"),
    ]
    assert [r.values for r in final.rows] == [
        {"c1": "1", "c2": "货物", "c3": Decimal("125000.00")},
        {"c1": "2", "c2": "服务", "c3": Decimal("75000.00")},
    ]
    # a table of a kind nobody described: its one row, and the reader says so
    assets = doc.tables["unidentified-2"]
    assert [(r.name, r.values) for r in assets.rows] == [
        ("车辆", {"c1": "车辆", "c2": Decimal("20000")})
    ]
    notes = [p.message_zh for p in doc.problems if p.table.startswith("unidentified")]
    assert notes == [
        "未识别的表，2行（标题像procurement-final，但没有它的定义）",
        "未识别的表，1行",
    ]


def test_variant_tables_in_yuan_and_in_their_own_column_order(variant: RecognisedDocument) -> None:
    income = variant.tables["income"]
    assert income.unit is MoneyUnit.YUAN
    assert income.row("2013202").values == {
        "total": Decimal("200000.00"),
        "general": Decimal("200000.00"),
        "fund": None,
    }
    spending = variant.tables["expenditure"]
    assert [c.key for c in spending.value_columns()] == ["project", "basic", "total"]
    assert [r.code for r in spending.rows] == [
        *("", "201", "20132", "2013201", "2013202", "212", "21208", "2120899"),
    ]
    assert spending.rows[0].values["project"] == Decimal("700000.00")


def test_variant_empty_table_keeps_its_note(variant: RecognisedDocument) -> None:
    empty = variant.tables["state-capital"]
    assert empty.is_empty() and [r.kind for r in empty.rows] == [TOTAL]
    assert empty.notes == ("本部门2022年无国有资本经营预算拨款安排的支出，故本表为空表。",)


def test_variant_three_public_in_another_column_order(variant: RecognisedDocument) -> None:
    table = variant.tables["three-public"]
    assert [r.kind for r in table.rows] == [TOTAL, "detail"]
    unit = table.rows[1]
    assert unit.name == "某某局"
    assert unit.values["reception"] == Decimal("10000.00")
    assert unit.values["vehicle_operation"] == Decimal("20000.00")
    assert unit.values["vehicle_purchase"] is None


def test_variant_form(variant: RecognisedDocument) -> None:
    (form,) = variant.forms
    project = form.project
    assert (project.name, project.department, project.department_code) == (
        "测试项目",
        "某某局",
        "201001",
    )
    assert (project.person_in_charge, project.handler, project.phone) == (
        "张三",
        "李四",
        "0357-1234567",
    )
    assert project.filled_on == date(2022, 1, 10)
    assert (project.period_goal, project.year_goal) == ("目标甲", "目标乙")
    assert project.year_funds.city == Decimal("200000") and project.period_funds.total == Decimal(
        "600000"
    )
    assert [(i.level1, i.level2, i.name, i.display_value) for i in form.period_indicators] == [
        ("产出指标", "数量指标", "培训人数", "≥100人"),
        ("产出指标", "数量指标", "培训天数(天)", "=5天"),
        ("产出指标", "质量指标", "培训合格率", "≥95%"),
        ("效益指标", "社会效益", "干部能力提升", "提升"),
        ("满意度指标", "服务对象满意度", "学员满意度", "≥90%"),
    ]
    assert [(i.level2, i.name, i.display_value) for i in form.year_indicators] == [
        ("数量指标", "培训人数", "≥100人"),
        ("数量指标", "培训天数(天)", "=5天"),
        ("质量指标", "培训合格率", "≥95%"),
        ("社会效益", "干部能力提升", "提升"),  # value restored from the 实施期 half
        ("服务对象满意度指标", "学员满意度", "≥90%"),
    ]
    assert form.year_indicators[3].note


def test_variant_totals_reconcile(variant: RecognisedDocument) -> None:
    load_rules()
    ids = [r for r in REGISTRY if r.startswith("ARITH-")]
    report = run_rules(to_subject(variant), only=ids)
    assert [f for f in report.findings if f.severity is Severity.FATAL] == []


def test_a_cell_under_no_column_is_reported_not_dropped_silently() -> None:
    text = "\n".join(
        [
            "2022年机关运行经费预算财政拨款情况统计表",
            "单位：万元",
            "单位名称\t2022年预算数",
            "合计\t10.00",
            "某某局\t10.00\t3.00",
        ]
    )
    document = read_text(text)
    assert [r.name for r in document.tables["operating-costs"].rows] == ["合计", "某某局"]
    assert [(p.line, p.table) for p in document.problems] == [(5, "operating-costs")]


# --- titles numbered any way, contents, identification from the header ----------------------

NUMBERED = "\n".join(
    "\t".join(cells)
    for cells in [
        ("目录",),
        ("一、2022年度某某局部门收入预算总表",),
        ("二、2022年度某某局部门支出预算总表",),
        ("三、2022年度某某局部门政府采购预算表",),
        ("",),
        ("一、2022年度某某局部门收入预算总表",),
        ("部门：某某局", "单位：元"),
        ("科目编码", "科目名称", "合计", "一般公共预算拨款"),
        ("", "合计", "300.00", "300.00"),
        ("201", "一般公共服务支出", "300.00", "300.00"),
        ("20101", "人大事务", "300.00", "300.00"),
        ("2010101", "行政运行", "300.00", "300.00"),
        ("",),
        ("公开02表：2022年度某某局部门支出预算总表", "单位：万元"),
        ("科目编码", "科目名称", "合计", "基本支出", "项目支出"),
        ("", "合计", "0.03", "0.03", ""),
        ("2010101", "行政运行", "0.03", "0.03", ""),
        ("",),
        ("附表",),
        ("单位名称", "合计（元）", "因公出国（境）费", "公务接待费"),
        ("某某局", "120.00", "100.00", "20.00"),
    ]
)


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("一、2018年度某某局收支预算总表", "2018年度某某局收支预算总表"),
        ("公开01表：收支预算总表", "收支预算总表"),
        ("表3-1 一般公共预算支出表", "一般公共预算支出表"),
        ("(一)财政拨款收支总表（续）", "财政拨款收支总表"),
        ("部门：某某局", None),
        ("本表反映部门收支总表。", None),
    ],
)
def test_titles_numbered_any_way(line: str, title: str | None) -> None:
    assert core_title(line) == title


def test_numbered_titles_contents_and_a_table_known_by_its_header() -> None:
    doc = read_text(NUMBERED, "numbered.txt")
    assert list(doc.tables) == ["income", "expenditure", "three-public"]
    # the unit on the title's line, and in brackets in a header label
    assert doc.tables["income"].unit is MoneyUnit.YUAN
    assert doc.tables["expenditure"].unit is MoneyUnit.WAN
    assert doc.tables["expenditure"].rows[1].values["basic"] == Decimal("300.00")
    three = doc.tables["three-public"]
    assert three.unit is MoneyUnit.YUAN and three.rows[0].values["abroad"] == Decimal("100.00")
    # the contents announce three tables; the procurement table is not in the document
    assert doc.announced == ("income", "expenditure", "procurement")
    notes = [p.message_zh for p in doc.problems]
    assert "目录列出的表未读到：政府采购预算表（procurement）" in notes
    assert "表名不认识，按表头和行识别为“三公”经费表" in notes


def test_rows_of_another_classification_contradict_a_title() -> None:
    # a title naming a table by 功能分类 over rows of economic codes is not that table
    header = [("科目编码", "科目名称", "合计")]
    body = [("301", "工资福利支出", "5.00"), ("30101", "基本工资", "5.00")]
    found = identify("部门支出总表", evidence_of(header, body))
    assert found is None or found.spec.shape != "function"
    assert identify("部门支出总表", evidence_of(header, [("201", "一般公共服务", "5.00")]))


WRAPPED = "\n".join(
    "\t".join(cells)
    for cells in [
        ("2022年部门政府采购预算表",),
        ("单位：万元",),
        ("项目名称", "采购品目", "采购组织形", "合计"),
        ("", "", "式", ""),
        ("合计", "", "", "30.00"),
        ("培训项目", "A0602-办公设备", "分散采购", "30.00"),
        ("",),
        ("2022年部门一般公共预算基本支出表",),
        ("单位：万元",),
        ("科目编码", "科目名称", "基本支出"),
        ("", "合计", "12.00"),
        ("301", "工资福利支出", "12.00"),
        ("30101", "基本工资", "12.00"),
    ]
)


def test_a_header_cell_wrapped_onto_a_line_of_its_own_is_joined() -> None:
    doc = read_text(WRAPPED, "wrapped.txt")
    table = doc.tables["procurement"]
    assert [c.key for c in table.columns] == ["project", "item", "method", "total"]
    assert table.rows[1].values["method"] == "分散采购"
    assert not [p for p in doc.problems if "表头" in p.message_zh]


def test_an_economic_table_headed_basic_expenditure_keys_its_amount() -> None:
    # the rules read ``amount``: a table whose only amount column is headed 基本支出 has it
    table = read_text(WRAPPED, "wrapped.txt").tables["basic-economic"]
    assert [c.key for c in table.value_columns()] == ["amount"]
    assert table.row("30101").values["amount"] == Decimal("120000.00")
