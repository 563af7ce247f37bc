"""The figures a narrative states, read back with the sentence they stand in.

Three sources: hand-written lines (every way a figure is printed), yusuan's own narrative of
examples/linfen-2021 (whose ``Figure`` records say exactly what each sentence states), and the
real narratives in /work/shared/realdocs read with ``pdftotext -layout``. The expected values of
the real documents were typed by hand from the PDF pages (``pdftoppm -png``), with their pages.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from paths import EXAMPLE, SHARED
from yusuan.audit import narrative as n
from yusuan.audit.narrative import (
    StatedFigure,
    generated_lines,
    narrative_lines,
    stated_figures,
    text_lines,
)
from yusuan.dataset import load_dataset
from yusuan.money import round_display
from yusuan.publish.narrative import build_narrative, figure_source_value
from yusuan.rules import subject_of_dataset
from yusuan.rules.checks.narrative import Resolver, target_value

REALDOCS = SHARED / "realdocs"
WAN = Decimal(10_000)


def wan(text: str) -> Decimal:
    return Decimal(text) * WAN


def read(text: str, year: int = 2021) -> tuple[StatedFigure, ...]:
    return stated_figures(text_lines(text), year)


def one(figures: tuple[StatedFigure, ...], text: str, page: int | None = None) -> StatedFigure:
    found = [f for f in figures if f.text == text and (page is None or f.page == page)]
    assert len(found) == 1, (text, [(f.text, f.page, f.line) for f in figures])
    return found[0]


# --- how figures are printed -----------------------------------------------------------------


def test_units_separators_shares_and_changes() -> None:
    figures = read(
        "一、收入预算情况\n"
        "  本年收入预算合计1,234.56万元，其中：一般公共预算1,000.00万元，占81.00%；"
        "政府性基金234.56万元，占19.00%。\n"
        "  基本支出预算数为3.5亿元，与上年相比增加500万元，增长16.67%。\n"
        "  公务接待费8,000元，比上年预算减少2,000元，下降20.00%。\n"
        "  培训费预算10.00万元，与上年持平。\n"
    )
    total = one(figures, "1,234.56万元")
    assert (total.amount, total.unit, total.places) == (wan("1234.56"), "万元", 2)
    assert total.subject == n.INCOME_TOTAL and total.topic == "income"
    general = one(figures, "1,000.00万元")
    assert general.subject == n.GENERAL and general.share == Decimal("0.81")
    assert general.share_text == "81.00%" and general.lead == total.index
    basic = one(figures, "3.5亿元")
    assert basic.amount == Decimal(350_000_000) and basic.subject == n.BASIC
    assert basic.change is not None and basic.change.direction == n.UP
    assert basic.change.amount == wan("500") and basic.change.rate == Decimal("0.1667")
    reception = one(figures, "8,000元")
    assert reception.amount == Decimal(8000) and reception.subject == n.RECEPTION
    assert reception.change is not None and reception.change.direction == n.DOWN
    assert reception.change.amount == Decimal(2000) and reception.change.rate_text == "20.00%"
    training = one(figures, "10.00万元")
    assert training.change is not None and training.change.direction == n.FLAT


def test_layout_breaks_spaced_characters_and_page_numbers() -> None:
    """A number split from its unit across lines and pages, a page number in the middle of a
    paragraph, every character spaced out, a change in the next sentence."""
    figures = read(
        "  三、支出预算情况说明\n"
        "  江苏省某某厅 2019 年度收入、\n"
        "                    支出预算总计 13,377.11\n"
        "万元，与上年相比收、支预算总计各增加 3,226.63 万元，增长\n"
        "\f              - 9 -\n"
        "31.79%。\n"
        "  项 目 支 出 预 算 数 为 4,968.34 万 元 。 与 上 年 相 比 减 少\n"
        "1,653.66 万元，下降 24.97%。\n",
        2019,
    )
    both = one(figures, "13,377.11万元")
    assert both.subject == n.GRAND_TOTAL and both.page == 1
    assert both.change is not None and both.change.rate_text == "31.79%"
    project = one(figures, "4,968.34万元")
    assert project.subject == n.PROJECT and project.page == 2
    assert project.change is not None and project.change.amount == wan("1653.66")
    assert project.change.direction == n.DOWN


def test_function_items_by_code_by_names_and_under_a_class_heading() -> None:
    figures = read(
        "六、一般公共预算支出情况\n"
        "  （一）一般公共服务支出（类）\n"
        "  1．2013102 党委办公厅（室）及相关机构事务（款）一般行政管理事务（项）：1,440.00万元。\n"
        "  2.组织事务（款）行政运行（项）700.08万元，主要用于机关运行。\n"
        "  3.“住房保障支出（类）住房改革支出（款）住房公积金（项）”62.62万元。\n"
        "  4.社会保障和就业支出143.35万元。\n"
    )
    coded = one(figures, "1,440.00万元").function
    assert coded is not None and coded.code == "2013102"
    assert coded.name("款") == "党委办公厅(室)及相关机构事务"
    named = one(figures, "700.08万元").function
    assert named is not None and named.names == (("款", "组织事务"), ("项", "行政运行"))
    assert named.context == "一般公共服务支出"
    full = one(figures, "62.62万元").function
    assert full is not None and full.name("类") == "住房保障支出"
    bare = one(figures, "143.35万元").function
    assert bare is not None and bare.names == (("类", "社会保障和就业支出"),)


def test_codes_inside_the_level_brackets_and_class_totals() -> None:
    """上海's "公共安全支出（204类）司法（06款）行政运行（01项）" pieces the code together; a 类
    total named bare ("…支出合计"), or under its 类 heading, is that 类, never the document's."""
    figures = read(
        "  财政拨款支出主要内容如下：\n"
        "  1、公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元。\n"
        "  2、住房保障支出（221类）住房改革支出（02款）住房公积金（01项）208.8万元。\n"
        "  社会保障和就业支出合计1,890.27万元。\n"
        "  （一）一般公共服务支出（类）\n"
        "  支出合计3,918.30万元。\n",
        2026,
    )
    run = one(figures, "1672.67万元").function
    assert run is not None and run.code == "2040601" and run.name("项") == "行政运行"
    fund = one(figures, "208.8万元").function
    assert fund is not None and fund.code == "2210201"
    total = one(figures, "1,890.27万元")
    assert total.subject == n.FUNCTION and total.function is not None
    assert total.function.names == (("类", "社会保障和就业支出"),)
    under = one(figures, "3,918.30万元")
    assert under.subject == n.FUNCTION and under.function is not None
    assert under.function.name("类") == "一般公共服务支出"


def test_grand_totals_are_not_the_years_totals() -> None:
    """收入支出总计 / 收入总计 include the carry-overs; 本年收入合计 does not."""
    figures = read(
        "  某某局2024年度收入支出总计307.82万元。\n"
        "  收入预算总计320.00万元，其中：财政拨款收入预算总计300.00万元。\n"
        "  本年收入合计290.00万元。支出总计320.00万元。\n",
        2024,
    )
    assert one(figures, "307.82万元").subject == n.GRAND_TOTAL
    assert one(figures, "300.00万元").subject == n.FISCAL_INCOME
    assert one(figures, "290.00万元").subject == n.INCOME_TOTAL
    assert [f.subject for f in figures if f.text == "320.00万元"] == [
        n.INCOME_GRAND,
        n.EXPENDITURE_GRAND,
    ]


def test_a_reason_without_a_full_stop_does_not_swallow_the_list_after_it() -> None:
    """ "…增加的主要原因是工作量增加" (no 。) then "…如下：1、…": the list's figures are read,
    and the lead-in's topic applies only after it, not to the income figures before it."""
    figures = read(
        "  2026年，某某局收入预算9628.22万元，其中：财政拨款收入9628.22万元。"
        "财政拨款收入支出增加的主要原因是工作量增加 财政拨款支出主要内容如下："
        "1、公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元。\n",
        2026,
    )
    total, fiscal = (f for f in figures if f.text == "9628.22万元")
    assert total.subject == n.INCOME_TOTAL and total.topic == ""
    assert fiscal.subject == n.FISCAL_INCOME
    item = one(figures, "1672.67万元")
    assert item.subject == n.FUNCTION and item.topic == "fiscal-expenditure"


def test_final_accounts_measures_and_the_item_they_are_of() -> None:
    """A 决算's narrative: 年初预算 / 全年预算 / 决算 figures, of the total they follow or of the
    科目 the enumerated sentence names; "完成全年预算数的98.69%" is the 决算's share of it."""
    figures = read(
        "  一般公共预算财政拨款支出年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元。"
        "其中：\n"
        "  1、一般公共服务支出（类）社会工作事务（款）行政运行（项）。主要用于：人员支出。"
        "全年预算为52.00万元，支出决算为51.32万元，完成全年预算数的98.69%。\n",
        2024,
    )
    measures = [(f.text, f.measure, f.subject) for f in figures]
    assert measures == [
        ("0万元", n.INITIAL, n.GENERAL_EXPENDITURE),
        ("321.02万元", n.ADJUSTED, n.GENERAL_EXPENDITURE),
        ("307.82万元", n.FINAL, n.GENERAL_EXPENDITURE),
        ("52.00万元", n.ADJUSTED, n.FUNCTION),
        ("51.32万元", n.FINAL, n.FUNCTION),
    ]
    item = one(figures, "51.32万元")
    assert item.function is not None and item.function.name("项") == "行政运行"
    assert (item.share_text, item.share_of) == ("98.69%", n.ADJUSTED)


def test_a_completion_rate_of_an_unnamed_budget_is_no_share() -> None:
    """ "完成预算的83.33%" names neither 年初 nor 全年: a completion rate of the 决算 before it,
    of ``BUDGET``, never a share of some whole."""
    figures = read(
        "  “三公”经费财政拨款支出年初预算为3.00万元，支出决算为2.50万元，完成预算的83.33%。\n",
        2024,
    )
    budget, outturn = figures
    assert (budget.measure, outturn.measure) == (n.INITIAL, n.FINAL)
    assert budget.share is None
    assert (outturn.share, outturn.share_of) == (Decimal("0.8333"), n.BUDGET)
    assert n.BUDGET in n.COMPLETED


def test_a_figure_knows_where_it_stands_in_its_paragraph() -> None:
    text = "  本年收入合计120.00万元，其中：财政拨款收入100.00万元。\n"
    total, fiscal = read(text, 2024)
    assert (total.offset, fiscal.offset) == (6, 24)
    assert text.strip()[fiscal.offset :].startswith("100.00万元")


def test_prior_restated_and_reason_figures() -> None:
    figures = read(
        "2024年部门预算编制说明\n"
        "  财政拨款支出主要内容如下：\n"
        "  1.“教育支出（类）其他教育支出（款）其他教育支出（项）”25.00万元，主要用于其他教育支出。"
        "2023年当年预算执行数为0.00万元，2024年预算安排25.00万元，比2023年预算执行数增加100.00%。"
        "主要原因一是纳入2023年预算管理的700万元收入不再安排。\n",
        2024,
    )
    item, prior, restated = figures
    assert item.role == "current" and item.topic == "fiscal-expenditure"
    assert prior.role == "prior" and prior.amount == 0
    assert restated.role == "restated" and restated.function == item.function
    assert restated.change is not None and restated.change.prior == 0
    assert restated.change.rate_text == "100.00%"
    assert len(figures) == 3, "the figure in the reason is an aside"


def test_a_percentage_without_its_sign_is_kept_as_printed() -> None:
    (figure,) = read(
        "三、支出预算情况\n  本年支出合计中，基本支出100.00万元，占76.23，项目支出在外。\n"
    )
    assert figure.share_text == "76.23" and figure.share == Decimal("0.7623")


# --- yusuan's own narrative: its Figure records are the oracle ------------------------------


def test_generated_narrative_reads_back_figure_for_figure() -> None:
    """Every figure read from the text is one the narrative's records say it states, and the
    table cell the rules take it to mean holds exactly the value of the record's source."""
    dataset = load_dataset(EXAMPLE)
    narrative = build_narrative(dataset)
    figures = stated_figures(generated_lines(narrative))
    subject = subject_of_dataset(dataset)
    resolver = Resolver(subject, figures)
    tables = subject.tables
    by_heading = {s.heading: s for s in narrative.sections}
    unresolved = []
    for figure in figures:
        section = by_heading[figure.section]
        records = [
            r
            for r in section.figures
            if r.amount is not None and round_display(r.amount / WAN) * WAN == figure.amount
        ]
        assert records, (figure.section, figure.text)
        cells = resolver.cells(figure)
        if not cells:
            unresolved.append(figure.text)
            continue
        target = next(t for t in cells[0] if target_value(subject, t) is not None)
        value = target_value(subject, target)
        assert value is not None
        sources = {figure_source_value(r, tables, dataset) for r in records}
        assert value.value in sources, (figure.text, target, sources)
        shares = [r.share for r in records if r.share is not None]
        if figure.share is not None:
            assert any(round_display(s * 100) / 100 == figure.share for s in shares)
    assert len(figures) == 59
    assert unresolved == ["11,355.56万元"], "only 涉及项目资金 (the forms) names no table cell"


# --- real narratives ---------------------------------------------------------------------


def real(name: str, year: int) -> tuple[StatedFigure, ...]:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: install poppler-utils (scripts/system-packages.sh)")
    return stated_figures(narrative_lines(REALDOCS / f"{name}.pdf"), year)


@pytest.fixture(scope="module")
def cppcc() -> tuple[StatedFigure, ...]:
    return real("jiangsu-cppcc-office-2019-budget-narrative", 2019)


@pytest.fixture(scope="module")
def procuratorate() -> tuple[StatedFigure, ...]:
    return real("jiangsu-procuratorate-2019-budget", 2019)


@pytest.fixture(scope="module")
def putuo() -> tuple[StatedFigure, ...]:
    return real("shanghai-putuo-wanli-street-2024-budget", 2024)


def test_narrative_lines_knows_pages() -> None:
    lines = narrative_lines(REALDOCS / "jiangsu-cppcc-office-2019-budget-narrative.pdf")
    assert max(page for page, _, _ in lines) == 18
    assert any(page == 9 and "第三部分" in text for page, _, text in lines)


def test_cppcc_narrative(cppcc: tuple[StatedFigure, ...]) -> None:
    """江苏省政协办公厅 2019, pages 9–17 (typed from the PDF)."""
    assert len(cppcc) == 63
    both = cppcc[0]
    assert (both.text, both.page, both.subject) == ("13,377.11万元", 9, n.GRAND_TOTAL)
    assert both.change is not None and both.change.amount == wan("3226.63")
    assert both.change.rate == Decimal("0.3179")
    income = [f for f in cppcc if f.topic == "income" and f.share is not None]
    assert [(f.subject, f.amount, f.share_text) for f in income] == [
        (n.GENERAL, wan("13297.11"), "99.4%"),
        (n.FUND, 0, "0%"),
        (n.SPECIAL_ACCOUNT, 0, "0%"),
        (n.OTHER_FUNDS, wan("80"), "0.6%"),
        (n.CARRYOVER, 0, "0%"),
    ]
    item = one(cppcc, "415.33万元")  # "…基本养老保险缴\n费支出\n  （项）415.33 万元" (page 13)
    assert item.page == 13 and item.function is not None
    assert item.function.name("项") == "机关事业单位基本养老保险缴费支出"
    assert item.function.context == "社会保障和就业支出"
    assert item.change is not None and item.change.rate_text == "1.84%"
    abroad = one(cppcc, "106万元", page=15)
    assert abroad.subject == n.ABROAD and abroad.share_of == "三公经费"
    assert abroad.share == Decimal("0.1606")
    services = one(cppcc, "1,274.42万元")
    assert (services.subject, services.page) == (n.SERVICES, 17)


def test_procuratorate_narrative(procuratorate: tuple[StatedFigure, ...]) -> None:
    """江苏省人民检察院 2019, pages 25–32: the 说明 after the tables."""
    assert min(f.page for f in procuratorate) == 25
    project = next(f for f in procuratorate if f.text == "4335.3万元" and f.change is not None)
    assert (project.page, project.subject, project.topic) == (26, n.PROJECT, OVERVIEW)
    assert project.change is not None and project.change.amount == wan("1237.7")
    assert project.change.rate_text == "13.22%" and project.change.direction == n.DOWN
    basic = next(f for f in procuratorate if f.subject == n.BASIC and f.share is not None)
    assert (basic.page, basic.share_text, basic.amount) == (26, "65.56%", wan("15844.04"))
    pension = one(procuratorate, "1064.46万元")
    assert pension.page == 28 and pension.function is not None
    assert pension.function.name("项") == "机关事业单位基本养老保险费"
    training = one(procuratorate, "700万元", page=31)
    assert training.subject == n.TRAINING
    assert training.change is not None and training.change.direction == n.FLAT
    assert all(f.role != "prior" for f in procuratorate)
    assert not any(f.amount == wan("240") for f in procuratorate), "reasons are asides"


OVERVIEW = n.OVERVIEW


def test_putuo_narrative(putuo: tuple[StatedFigure, ...]) -> None:
    """上海市普陀区万里街道 2024, pages 6–9 and 32."""
    income = putuo[0]
    assert (income.subject, income.amount, income.page) == (n.INCOME_TOTAL, wan("15621.11"), 6)
    housing = [
        f for f in putuo if f.page == 9 and f.function and f.function.name("项") == "住房公积金"
    ]
    assert [(f.role, f.text) for f in housing] == [
        ("current", "350.35万元"),
        ("restated", "352.67万元"),
    ]
    restated = housing[1]
    assert restated.change is not None and restated.change.prior == wan("348.52")
    assert restated.change.rate_text == "0.53%"
    vehicle = one(putuo, "46.56万元")
    assert (vehicle.subject, vehicle.page) == (n.VEHICLE, 32)
    operating = one(putuo, "443.18万元")
    assert operating.subject == n.OPERATING_COSTS
    reserved = one(putuo, "664.98万元")
    assert reserved.subject == "", "中小企业预留 is no figure of a table"


def test_lines_without_indentation_read_the_same(putuo: tuple[StatedFigure, ...]) -> None:
    """A reader that keeps only the words of each line (``RecognisedDocument.narrative``)."""
    path: Path = REALDOCS / "shanghai-putuo-wanli-street-2024-budget.pdf"
    flat = [(p, line, " ".join(t.split())) for p, line, t in narrative_lines(path)]
    again = stated_figures(flat, 2024)
    assert [(f.text, f.subject, f.page) for f in again] == [
        (f.text, f.subject, f.page) for f in putuo
    ]
