"""Cases for the 绩效指标 rules (IND-*): a spoiled indicator fires, the clean dataset's indicators
(产出/数量 完成数量 >=20期 … 满意度 服务对象满意度 >=90%) do not; the framework is data; and on
the seed the rules find the published defects of the indicator tables (expected values typed from
``tests/golden/seed_forms.py`` and the seed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from rulekit import (
    TRAINING,
    RuleCase,
    clean_dataset,
    finding_texts,
    project_findings,
    run,
    with_indicator,
    with_project,
)
from yusuan.catalog.performance import performance_framework
from yusuan.model.records import Dataset, Indicator
from yusuan.rules import Outcome, Subject, subject_of_dataset
from yusuan.rules.checks.indicators import read_value
from yusuan.rules.subject import DOCUMENT


def spoil(indicator: str, period: str | None = None, /, **changes: object) -> Subject:
    """The clean dataset with the training project's indicator ``name`` changed."""
    dataset = clean_dataset()
    return subject_of_dataset(
        replace(
            dataset,
            indicators=tuple(
                replace(i, **changes)
                if i.project == TRAINING and i.name == indicator and period in (None, i.period)
                else i
                for i in dataset.indicators
            ),
        )
    )


def keep(test: Callable[[Indicator], bool]) -> Subject:
    dataset = clean_dataset()
    return subject_of_dataset(
        replace(
            dataset,
            indicators=tuple(i for i in dataset.indicators if i.project != TRAINING or test(i)),
        )
    )


def add(*rows: tuple[str, str, str, str, str, str, str]) -> Subject:
    """Add indicators to the training project in both periods: (一级, 二级, 三级, op, value, unit)."""
    dataset = clean_dataset()
    extra = tuple(
        Indicator(TRAINING, period, *row) for period in ("实施期", "年度") for row in rows
    )
    return subject_of_dataset(replace(dataset, indicators=dataset.indicators + extra))


def texts(**changes: object) -> Subject:
    """The clean dataset with the training project's texts changed."""
    return subject_of_dataset(with_project(clean_dataset(), TRAINING, **changes))


def multi_year(subject: Subject) -> Subject:
    """The subject's dataset with the training project running three years."""
    assert subject.dataset is not None
    return subject_of_dataset(with_project(subject.dataset, TRAINING, period="3年"))


COST = ("产出指标", "成本指标")
QUANTITY = ("产出指标", "数量指标")

CASES = [
    RuleCase(
        "IND-001",
        lambda: keep(lambda i: i.level1 != "满意度指标"),
        expect="年度绩效指标中没有“满意度指标”",
    ),
    RuleCase(
        "IND-001",
        lambda: keep(lambda i: i.level2 != "成本指标"),
        expect="没有“产出指标—成本指标”",
        name="cost",
    ),
    RuleCase(
        "IND-001",
        lambda: spoil("服务对象满意度", level1="效益指标", level2="社会效益指标"),
        expect="没有“满意度指标”",
        name="satisfaction-filed-as-benefit",
    ),
    RuleCase(
        "IND-002",
        lambda: multi_year(keep(lambda i: i.period != "年度")),
        lambda: keep(lambda i: i.period != "年度"),  # a one-year project: one set is enough
        expect="申报表没有年度绩效指标",
    ),
    RuleCase(
        "IND-002",
        lambda: keep(lambda i: False),
        expect="申报表没有任何绩效指标",
        name="none",
    ),
    RuleCase(
        "IND-003",
        # an unlabelled row (一级 inherited) whose 二级 cell holds the indicator's own name
        lambda: spoil("服务对象满意度", level1="效益指标", level2="学员满意度"),
        lambda: spoil("服务对象满意度", level1="效益指标"),
        expect="“满意度指标／学员满意度”不在指标体系中",
    ),
    RuleCase(
        "IND-003",
        lambda: spoil("工作能力提升", level2="工作成效"),
        lambda: spoil("工作能力提升", level1="效益", level2="社会效益"),
        expect="“效益指标／工作成效”不在指标体系中",
        name="unknown-second-level",
    ),
    RuleCase(
        "IND-018",
        lambda: texts(plan="全年举办培训班20期，每期预计3万元。"),
        lambda: texts(plan="全年举办培训班20期，每期预计2.5万元。"),
        expect="所述“每期预计3万元”，按20期计为 60.00万元，多于年度资金总额 50.00万元",
    ),
    RuleCase(
        "IND-018",
        lambda: texts(plan="按进度支出，预计40000元/月。"),
        lambda: texts(plan="按进度支出，预计41666.67元/月。"),
        expect="按12个月计为 48.00万元，少于年度资金总额 50.00万元",
        name="per-month",
    ),
    RuleCase(
        "IND-018",
        # a rate in an indicator's name, counted by a quantity indicator (完成数量 >=20期)
        lambda: add(("产出指标", "成本指标", "按照每期3万元标准举办", "<=", "60", "万元")),
        lambda: add(("产出指标", "成本指标", "按照每期2.5万元标准举办", "<=", "50", "万元")),
        expect="指标“按照每期3万元标准举办”所述“每期3万元”",
        name="indicator-name",
    ),
    RuleCase("IND-004", lambda: spoil("合格率", operator="+"), expect="运算符“+”不是比较符号"),
    RuleCase(
        "IND-004",
        lambda: spoil("合格率", operator=""),
        lambda: spoil("合格率", operator="≥"),
        expect="缺少运算符",
        name="missing",
    ),
    RuleCase("IND-005", lambda: spoil("完成数量", "年度", unit="期期"), expect="“期期”重复"),
    RuleCase("IND-005", lambda: spoil("培训费支出", unit=""), expect="缺少计量单位", name="none"),
    RuleCase(
        "IND-005",
        lambda: spoil("培训费支出", unit="万"),
        lambda: spoil("培训费支出", value="300000", unit="元"),
        expect="只有数量级“万”",
        name="magnitude",
    ),
    RuleCase("IND-006", lambda: spoil("培训费支出", unit="人"), expect="不是货币单位"),
    RuleCase(
        "IND-006",
        lambda: spoil("完成数量", unit="万元"),
        expect="是资金额，不是产出数量",
        name="quantity-in-money",
    ),
    RuleCase("IND-007", lambda: spoil("合格率", value="950"), expect="“>=950%”不在0–100%之间"),
    RuleCase(
        "IND-008",
        lambda: spoil("培训费支出", "年度", value="60"),
        expect="年度成本指标“培训费支出”为“<=60万元”（60.00万元），超过年度资金总额 50.00万元",
    ),
    RuleCase(
        "IND-008",
        lambda: spoil("培训费支出", value="1210000", unit="万"),
        lambda: spoil("培训费支出", value="500000", unit="元"),
        expect="1,210,000.00万元",
        name="magnitude-only",
    ),
    RuleCase(
        "IND-009",
        lambda: add((*COST, "资料费支出", "<=", "25", "万元")),
        lambda: add((*COST, "资料费支出", "<=", "20", "万元")),
        expect="2项成本指标合计 55.00万元，超过年度资金总额 50.00万元",
    ),
    RuleCase(
        "IND-010",
        lambda: add(
            (*QUANTITY, "培训人数(人)", "<=", "500", "人"),
            (*QUANTITY, "培训天数(天)", "=", "12", "天"),
            (*COST, "每人每天培训费", "<=", "380", "元"),
        ),
        lambda: add(
            (*QUANTITY, "培训人数(人)", "<=", "50", "人"),
            (*QUANTITY, "培训天数(天)", "=", "12", "天"),
            (*COST, "每人每天培训费", "<=", "380", "元"),
        ),
        expect="培训人数(人) <=500人 × 培训天数(天) =12天 × 每人每天培训费 <=380元 = 228.00万元",
    ),
    RuleCase(
        "IND-010",
        lambda: add(
            (*QUANTITY, "补助人数", ">=", "1000", "人"),
            (*COST, "补助标准", "=", "500", "元/人·月"),
        ),
        expect="补助人数 >=1000人 × 12个月 × 补助标准 =500元/人·月 = 600.00万元",
        name="per-month",
    ),
    RuleCase(
        "IND-011",
        lambda: spoil("合格率", "年度", name="完成数量"),
        expect="年度指标“完成数量”列出了 2 次",
    ),
    RuleCase(
        "IND-012",
        lambda: spoil("培训费支出", "年度", operator="="),
        lambda: subject_of_dataset(
            with_indicator(
                replace(
                    clean_dataset(),
                    projects=tuple(
                        replace(p, period="3年") if p.name == TRAINING else p
                        for p in clean_dataset().projects
                    ),
                ),
                "培训费支出",
                "年度",
                operator="=",
            )
        ),
        expect="实施期为“<=30万元”，年度却为“=30万元”",
    ),
    RuleCase(
        "IND-013",
        lambda: spoil("培训费支出", operator="", value="低", unit=""),
        expect="属于定量的“成本指标”，指标值却是文字“低”",
    ),
    RuleCase(
        "IND-013",
        lambda: spoil("合格率", operator="", value="提高", unit=""),
        expect="是一个比率",
        name="rate",
    ),
    RuleCase(
        "IND-014",
        lambda: spoil("完成及时性", value="各项工作完成及时性"),
        expect="指标值“各项工作完成及时性”是一个指标名称",
    ),
    RuleCase(
        "IND-015",
        lambda: spoil("服务对象满意度", operator="", value="增强", unit=""),
        expect="指标值“增强”不是百分比",
    ),
    RuleCase(
        "IND-015",
        lambda: spoil("服务对象满意度", operator="<="),
        expect="是上限而非下限",
        name="maximum",
    ),
    RuleCase(
        "IND-016",
        lambda: spoil("服务对象满意度", name="人员到位率"),
        expect="列在“服务对象满意度指标”下，但它不是满意度的度量",
    ),
    RuleCase(
        "IND-016",
        lambda: spoil("完成及时性", name="会议参会率", operator=">=", value="95", unit="%"),
        expect="与时间无关",
        name="timeliness",
    ),
    RuleCase(
        "IND-017",
        lambda: spoil("完成数量", name="培训班次", unit="人"),
        lambda: spoil("完成数量", name="培训班次"),
        expect="用“人”计量，名称却应以“次、期或班”计",
    ),
    RuleCase(
        "IND-017",
        lambda: spoil("完成数量", name="完成数量(个)"),
        expect="名称却应以“个”计",
        name="bracketed-unit",
    ),
]


# --- the framework is data ----------------------------------------------------------------


def test_framework_has_both_schemes_with_sources() -> None:
    framework = performance_framework()
    assert framework.schemes == ("2015", "2021")
    for entry in framework.entries:
        assert entry.source and entry.confidence in ("high", "medium", "low"), entry
        assert entry.kind in (
            ("",) if entry.is_level1 else ("quantitative", "qualitative", "either")
        )
    # 2021 moves 成本 to the first level
    assert framework.place("2021", "成本指标", "经济成本指标").known
    assert not framework.place("2021", "产出指标", "成本指标").known
    assert framework.place("2015", "产出指标", "成本指标").known


@pytest.mark.parametrize(
    ("level1", "level2"),
    [
        ("产出指标", "数量"),
        ("产出", "数量指标"),
        ("效益指标", "社会效益"),
        ("效益指标", "可持续影响"),
        ("效益指标", "可持续影响指标"),
        ("满意度", "服务对象满意度"),
        ("满意度指标", "服务对象满意度指标"),
        ("满意度指标", "社会公众或服务对象满意度"),
    ],
)
def test_variants_printed_in_real_forms_are_known(level1: str, level2: str) -> None:
    assert performance_framework().place("2015", level1, level2).known


@pytest.mark.parametrize(
    ("printed", "operator", "number", "unit", "text"),
    [
        ((">=", "90", "%"), ">=", "90", "%", ""),
        (("≥", "90", "%"), ">=", "90", "%", ""),
        (("＝", "3", "部"), "=", "3", "部", ""),
        (("", "≤1210000万", ""), "<=", "1210000", "万", ""),
        (("+", "100", "%"), None, "100", "%", ""),
        (("", "及时", ""), None, None, "", "及时"),
        (("<=", "1,200", "万元"), "<=", "1200", "万元", ""),
    ],
)
def test_values_are_read(
    printed: tuple[str, str, str], operator: str | None, number: str | None, unit: str, text: str
) -> None:
    value = read_value(*printed)
    assert value.canonical == operator
    assert (str(value.number) if value.number is not None else None) == number
    assert value.unit == unit and value.text == text


# --- the seed -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(example: Dataset) -> Subject:
    return subject_of_dataset(example)


def _projects(subject: Subject, rule_id: str) -> set[str]:
    return {p for p, _, _ in project_findings(subject, rule_id)}


def test_seed_impossible_cost_is_fatal(seed: Subject) -> None:
    # 农村（社区）党员教育培训经费: 对市县的补助支出 ≤1210000万 against 年度资金总额 166万元
    found = project_findings(seed, "IND-008")
    assert len(found) == 2  # both periods
    for project, field, message in found:
        assert project == "农村（社区）党员教育培训经费"
        assert field.endswith("对市县的补助支出")
        assert "≤1210000万" in message and "1,210,000.00万元" in message
    assert any("166.00万元" in m for *_, m in found)
    assert run("IND-008", seed).severity.value == "致命"


def test_seed_quantity_times_unit_cost(seed: Subject) -> None:
    # 新录用公务员初任培训经费: 500 x 12 x 380元 = 228万元 > 年度资金总额 175万元
    found = project_findings(seed, "IND-010")
    assert len(found) == 1
    project, field, message = found[0]
    assert project == "新录用公务员初任培训经费" and field.startswith("年度")
    assert "228.00万元" in message and "175.00万元" in message


def test_seed_period_and_year_values_contradict(seed: Subject) -> None:
    found = {
        (p, m.split("指标“")[1].split("”")[0]) for p, _, m in project_findings(seed, "IND-012")
    }
    assert {
        ("临汾市委非公和社会组织工委工作经费", "每期印刷成本"),  # <=3万元 / =3万元
        ("新录用公务员初任培训经费", "每人每天培训费"),  # <=380元 / =380元
        ("人才专项资金", "引进本科以上学历毕业生"),  # ≥300人 / =300人
        ("人才专项资金", "各项人才工作及时性"),  # 及时 / 技术
        ("扶持壮大村级集体经济发展经费", "扶持村集体经济发展村数量"),  # =60个 / =60个个
    } == found


def test_seed_malformed_values(seed: Subject) -> None:
    units = project_findings(seed, "IND-005")
    assert any("“=60个个”" in m and "重复" in m for *_, m in units)
    assert any("网络舆情监测服务费" in m and "≤49800" in m for *_, m in units)
    assert any("≤1210000万" in m and "数量级“万”" in m for *_, m in units)
    operators = project_findings(seed, "IND-004")
    assert {p for p, _, _ in operators} == {"“大组工网”及党建网站运行维护费"}
    assert all("“+100%”" in m for *_, m in operators)
    kinds = project_findings(seed, "IND-006")
    assert {(p, m.split("指标值“")[1].split("”")[0]) for p, _, m in kinds} == {
        ("农村离任“两委”主干生活补贴", "<=7031人"),
        ("选调生到村任职工作补助经费", "=100%"),  # 预算执行率 as a cost
    }


def test_seed_missing_categories(seed: Subject) -> None:
    found = project_findings(seed, "IND-001")
    no_cost = {p for p, _, m in found if "成本指标”" in m}
    no_satisfaction = {p for p, _, m in found if "“满意度指标”" in m}
    # DEFECTS: no 成本指标
    assert no_cost == {
        "社区服务群众专项经费补助",
        "非公和社会组织党建工作指导员补助经费",
        "人才专项资金",
    }
    # seed_forms: five forms print their 服务对象满意度 row without the 一级 label (the dataset
    # inherits 效益指标 from the cell above): that row is their satisfaction indicator
    assert no_satisfaction == set()
    # 选调生到村任职工作补助经费 is a one-year project with 实施期 indicators only: enough
    assert _projects(seed, "IND-002") == set()
    # the only 二级 outside the framework: 扶持村民满意度's 二级 cell prints the indicator's name
    levels = {
        m.split("一级/二级指标“")[1].split("”")[0] for *_, m in project_findings(seed, "IND-003")
    }
    assert levels == {"满意度指标／扶持村民满意度"}


def test_seed_values_that_measure_nothing(seed: Subject) -> None:
    text_values = {
        (p, m.split("文字“")[1].rstrip("”")) for p, _, m in project_findings(seed, "IND-013")
    }
    assert text_values == {
        ("组织部效能建设支出", "低"),  # 项目成本核算 / 低
        ("党员教育中心工作经费", "增强"),  # 增强典型人物社会知晓率 / 增强
    }
    assert _projects(seed, "IND-014") == {"年度目标责任制考核工作经费"}  # 各项工作完成及时性
    # "增强党组织办事效率,更好地服务 增强" under 服务对象满意度 measures no satisfaction at all:
    # IND-016 says so; IND-015 (how satisfaction is measured) does not contradict it
    assert _projects(seed, "IND-015") == set()
    assert _projects(seed, "IND-011") == {"扶持壮大村级集体经济发展经费"}  # 扶持村民满意度 twice


def test_seed_misfiled_indicators_and_units(seed: Subject) -> None:
    misfiled = {(p, f.split("／")[1]) for p, f, _ in project_findings(seed, "IND-016")}
    assert {
        ("新录用公务员初任培训经费", "人员到位率(%)"),  # staffing rate as satisfaction
        ("组织工作业务费", "人员到位率"),
        ("党员教育中心工作经费", "会议参会率"),  # participation rate as timeliness
        ("组织事务专项发展支出", "费用结算及时性"),  # timeliness under 质量指标
        ("组织事务专项发展支出", "干部、人才、党员满意度"),  # satisfaction as 社会效益
        ("农村（社区）党员教育培训经费", "培训党员数量"),  # a quantity under 质量指标
        ("农村离任“两委”主干生活补贴", "正常离任、累计担任村党组织书记"),
        ("非公和社会组织党建工作指导员补助经费", "增强党组织办事效率,更好地服务"),
        ("非公和社会组织联合党组织补助经费", "增强党组织办事效率,更好地服务"),
    } <= misfiled
    units = {(p, f.split("／")[1]) for p, f, _ in project_findings(seed, "IND-017")}
    assert units == {
        ("公务员在职培训经费", "轮训班次(人)"),  # 班次 measured in 人
        ("公务员在职培训经费", "外出示范班次"),
        ("干部人事档案管理经费", "数字化制作次数"),  # 次数 measured in 份
        ("人才工作经费", "人才或人才工作者专题培训班"),  # 培训班 measured in 人
    }


@pytest.mark.parametrize("rule_id", ["IND-007", "IND-009"])
def test_seed_quiet_where_the_forms_are_right(seed: Subject, rule_id: str) -> None:
    # no percentage above 100; 组织工作业务费's 保障职工总成本 ≤48万元 is a total, not a part
    result = run(rule_id, seed)
    assert result.outcome is Outcome.PASSED, finding_texts(result)


SATISFACTION_RULES = ("IND-001", "IND-003", "IND-015", "IND-016")


def test_an_unlabelled_satisfaction_row_belongs_to_satisfaction() -> None:
    # printed without its 一级 label, the row inherits 效益指标 from the merged cell above; its
    # 二级 (服务对象满意度指标) is the framework's 满意度 second level, so the form has one
    subject = spoil("服务对象满意度", level1="效益指标")
    for rule_id in SATISFACTION_RULES:
        result = run(rule_id, subject)
        assert result.outcome is Outcome.PASSED, finding_texts(result)


def test_one_qualitative_row_under_satisfaction_gets_one_consistent_finding() -> None:
    # a row that measures no satisfaction, filed under 满意度: misfiled (IND-016); not also
    # "a satisfaction target that is not a percentage" (IND-015), nor a missing 满意度 (IND-001)
    subject = spoil("服务对象满意度", name="增强党组织办事效率", operator="", value="增强", unit="")
    outcomes = {rule_id: run(rule_id, subject) for rule_id in SATISFACTION_RULES}
    assert len(outcomes["IND-016"].findings) == 2  # 实施期 and 年度
    for rule_id in ("IND-001", "IND-003", "IND-015"):
        assert outcomes[rule_id].outcome is Outcome.PASSED, finding_texts(outcomes[rule_id])


def test_seed_rates_against_the_funds(seed: Subject) -> None:
    # DEFECTS (tests/golden/seed_forms.py): 30期 x 30万元 = 900 > 850; ≥179 (180) communities x
    # 1万元 > 174; ≥1000人 x 500元 x 12 = 600 > 234.16. The rates that agree stay quiet:
    # 266人 x 5000元 = 133万元, 40000元/月 x 12 = 48万元, 60村 x 20万元 = 1200万元
    found = {
        (p, m.split("所述“")[1].split("”")[0], m.split("计为 ")[1].split("，")[0])
        for p, _, m in project_findings(seed, "IND-018")
    }
    assert found == {
        ("干部教育培训经费", "每期预计30万元", "900.00万元"),
        ("社区服务群众专项经费补助", "每个社区补助1万元", "179.00万元"),
        ("非公和社会组织党建工作指导员补助经费", "每人每月500元", "600.00万元"),
    }


def test_a_bound_on_another_sum_is_no_rate() -> None:
    # 不低于10万元 bounds what every community spends, not what these funds pay
    subject = texts(overview="要求每期培训经费不低于10万元。全年举办培训班20期。")
    assert run("IND-018", subject).outcome is Outcome.PASSED


def test_a_cost_within_half_a_printed_unit_of_a_documents_funds_is_not_more() -> None:
    # the training project's 年度资金总额 is 50.00万元; a document prints it rounded to 0.01万元,
    # so it may be up to 500,049.99元: a cost of ≤500,040元 is more only than the exact funds
    def cost(yuan: str) -> Subject:
        return spoil("培训费支出", "年度", value=yuan, unit="元")

    printed = replace(cost("500040"), kind=DOCUMENT)
    assert run("IND-008", printed).outcome is Outcome.PASSED
    assert run("IND-008", cost("500040")).outcome is Outcome.FAILED
    assert run("IND-008", replace(cost("500060"), kind=DOCUMENT)).outcome is Outcome.FAILED
