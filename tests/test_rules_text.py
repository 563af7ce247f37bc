"""Cases for the 文字质量 rules (TXT-*): repeated, cut-off, template-like, garbled and misnumbered
text fires, the clean dataset's text does not; and on the seed the rules find the published text
defects of the forms (expected values typed from ``tests/golden/seed_forms.py`` DEFECTS)."""

from __future__ import annotations

import pytest

from rulekit import (
    TRAINING,
    RuleCase,
    clean_dataset,
    document,
    finding_texts,
    project_findings,
    run,
    with_project,
)
from yusuan.model.records import Dataset
from yusuan.rules import Outcome, Subject, subject_of_dataset
from yusuan.rules.checks.text import garbled, numbering_problem, repetition


def spoil(**changes: object) -> Subject:
    return subject_of_dataset(with_project(clean_dataset(), TRAINING, **changes))


TWO_NUMBERS = "《干部教育培训工作条例》（中办发〔2015〕57号）和《干部教育培训工作条例》（中办发〔2019〕10号）。"

RUNAWAY = (
    "下设"
    + "、".join(f"第{n}科" for n in "一二三四五六七八九十")
    + "、"
    + "、".join(f"第十{n}科" for n in "一二三四五")
)

CASES = [
    RuleCase(
        "TXT-001",
        lambda: spoil(
            measures="《项目资金管理办法》、《项目资金管理办法》、《项目资金管理办法》。"
        ),
        expect="“《项目资金管理办法》”连续重复 3 次",
    ),
    RuleCase(
        "TXT-001",
        lambda: spoil(
            basis="《干部教育培训工作条例》（中办发〔2015〕57号）和《干部教育培训工作条例》"
            "（中办发〔2015〕57号）。"
        ),
        # one title with two numbers is not one document cited twice (TXT-006 says it)
        lambda: spoil(basis=TWO_NUMBERS),
        expect="把文件《干部教育培训工作条例》引用了 2 次",
        name="cited-twice",
    ),
    RuleCase(
        "TXT-006",
        lambda: spoil(basis=TWO_NUMBERS),
        lambda: spoil(
            basis="《干部教育培训工作条例》（中办发〔2015〕57号）和《关于落实干部教育培训工作条例"
            "的通知》（某组发〔2016〕3号）。"
        ),
        expect="把文件《干部教育培训工作条例》分别标注为 中办发〔2015〕57号、中办发〔2019〕10号",
    ),
    RuleCase(
        "TXT-001",
        lambda: spoil(overview=f"本部门{RUNAWAY}。"),
        expect="列举失控",
        name="runaway-list",
    ),
    RuleCase(
        "TXT-001",
        lambda: spoil(
            overview="下设办公室、组织一科、组织二科、干部一科、组织一科、组织二科、人才科。"
        ),
        lambda: spoil(overview="下设办公室、组织一科、组织二科、干部一科、人才科。"),
        expect="“组织一科、组织二科”重复出现 2 次",
        name="list-repeats",
    ),
    RuleCase(
        "TXT-002",
        lambda: spoil(measures="《某某市市级项目资金管理办法》、《市委组织部预算"),
        expect="“《”未闭合",
    ),
    RuleCase(
        "TXT-002",
        lambda: spoil(plan="按季度将村级组织运转补助资金拨付至各县市区，由各"),
        lambda: spoil(plan="按季度将村级组织运转补助资金拨付至各县市区，专款专用"),
        expect="最后一句只有“由各”",
        name="fragment",
    ),
    RuleCase(
        "TXT-002",
        lambda: spoil(plan="按进度支出，合理合标。各项支出根据进度拨付。预计每月"),
        lambda: spoil(plan="按进度支出，合理合标。各项支出根据进度拨付。预计40000元/月"),
        expect="前文有句号而最后一句没有",
        name="ends-on-a-figure",
    ),
    RuleCase(
        "TXT-002",
        lambda: spoil(
            measures="《市级项目资金管理办法》、《市委组织部拨付至各县市区,由各县市区拨付"
        ),
        # a stray 《 in a text that ends its sentence: complete, not cut off
        lambda: spoil(measures="《市委组织部拨付至各县市区,由各县市区拨付至村,用于保障正常运转。"),
        expect="“《”未闭合",
        name="stray-mark",
    ),
    RuleCase(
        "TXT-002",
        lambda: spoil(year_goal="，年满60周岁的村“两委”主干的生活补贴资金落实到位。"),
        expect="开头残缺",
        name="start",
    ),
    RuleCase(
        "TXT-002",
        lambda: spoil(necessity="提高全市干部的履职能力和水平，增强社区服务群众的"),
        expect="以虚词“的”结尾",
        name="function-word",
    ),
    RuleCase("TXT-003", lambda: spoil(plan="全年举办XX期培训班。"), expect="模板占位文字“XX”"),
    RuleCase(
        "TXT-003",
        lambda: spoil(year_goal="培训经费比上年增加（减少）10万元。"),
        lambda: document(clean_dataset()),
        expect="“增加（减少）”",
        name="alternatives",
    ),
    RuleCase(
        "TXT-003",
        lambda: spoil(overview="组织{单位名称}干部开展业务培训。"),
        expect="“{单位名称}”",
        name="braces",
    ),
    RuleCase(
        "TXT-004",
        lambda: spoil(measures="《市委组织部干部(干部)干部管理办法》。"),
        expect="“干部(干部)”重叠错乱",
    ),
    RuleCase(
        "TXT-004",
        lambda: spoil(plan="确保全市党员党员得到培训。"),
        lambda: spoil(plan="确保全市党员得到培训。"),
        expect="“党员党员”",
        name="doubled-word",
    ),
    RuleCase(
        "TXT-005",
        lambda: spoil(year_goal="2.举办培训班20期；3.培训干部1000人次。"),
        lambda: spoil(year_goal="1.举办培训班20期；2.培训干部1000人次。"),
        expect="编号从2开始",
    ),
]


# --- focused tests ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # parallel documents of different levels share most of their title
        "中央《关于深化人才发展体制机制改革的意见》;省委《关于深化人才发展体制机制改革的实施意见》;"
        "市委《关于深化人才发展体制机制改革的实施意见》。",
        # a title quoted inside another document's title
        "省委《关于加强“三基建设”的意见》(晋发〔2017〕27号),市委《关于贯彻落实省委<关于加强"
        "“三基建设”的意见>的实施意见》(临汾发〔2017〕13号)",
        # a list of documents by the same office
        "《市委组织部绩效管理手册》、《市委组织部财务管理制度》、《市委组织部预算管理制度》",
        # a term the text is about, repeated
        "加强非公经济组织和社会组织党建工作，提升非公经济组织和社会组织党建工作水平，增强非公经济"
        "组织和社会组织党建工作实效。",
    ],
)
def test_ordinary_repetition_is_not_runaway(text: str) -> None:
    assert repetition(text) is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("培训场次(次)", None),  # a unit in brackets is not a doubling
        ("天天", None),
        ("层层落实", None),
        ("《市委组织部干部(干部)干部管理", "干部(干部)"),
        ("流动党员党员得到培训", "党员党员"),
        ("按时完成。。", "。。"),
    ],
)
def test_garbled_doubling(text: str, found: str | None) -> None:
    assert garbled(text) == found


def test_numbering() -> None:
    assert numbering_problem("1.完成培训；2.提高能力。") is None
    assert numbering_problem("预计支出0.2万元，1-2月开展考核。") is None
    assert numbering_problem("目标1:开展培训;目标3:开展调研") is not None


# --- the seed -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(example: Dataset) -> Subject:
    return subject_of_dataset(example)


MEASURES = "保证项目实施的制度、措施"


def test_seed_runaway_repetition(seed: Subject) -> None:
    found = {(p, f): m for p, f, m in project_findings(seed, "TXT-001")}
    # DEFECTS: runaway repetition
    assert "《市委组织部加强管理细则》”连续重复 4 次" in found[("市派第一书记工作经费", MEASURES)]
    assert "《市委组织部办公》”连续重复 4 次" in found[("社区服务群众专项经费补助", MEASURES)]
    assert "干部一科、干部二科" in found[("组织事务专项发展支出", "项目概况")]
    assert "干部一百科" in found[("组织部效能建设支出", "项目概况")]
    assert "干部一百科" in found[("组织部效能建设支出", "立项依据")]
    # repeats both citations twice
    assert "《关于转发<关于选调生到村任职" in found[("选调生到村任职工作补助经费", "项目概况")]
    assert set(found) == {
        ("市派第一书记工作经费", MEASURES),
        ("社区服务群众专项经费补助", MEASURES),
        ("组织事务专项发展支出", "项目概况"),
        ("组织部效能建设支出", "项目概况"),
        ("组织部效能建设支出", "立项依据"),
        ("选调生到村任职工作补助经费", "项目概况"),
    }


def test_seed_one_title_two_numbers(seed: Subject) -> None:
    # 《关于进一步落实全省非公经济组织和社会组织党建工作经费的通知》 is cited as 晋组通字〔2017〕71号
    # and as 收组通字〔2019〕01号: two documents, or a wrong number, not one cited twice
    found = {(p, f): m for p, f, m in project_findings(seed, "TXT-006")}
    assert set(found) == {
        ("临汾市委非公和社会组织工委工作经费", "立项依据"),
        ("临汾市委非公和社会组织工委工作经费", MEASURES),
    }
    assert all("晋组通字〔2017〕71号、收组通字〔2019〕01号" in m for m in found.values())


def test_seed_truncated_texts(seed: Subject) -> None:
    found = {(p, f) for p, f, _ in project_findings(seed, "TXT-002")}
    # DEFECTS: "text truncated …" (field by field)
    assert {
        ("农村离任“两委”主干生活补贴", MEASURES),  # 《市委组织部预算
        ("农村离任“两委”主干生活补贴", "项目实施计划"),  # 拨付至各县市区,由各
        ("农村离任“两委”主干生活补贴", "项目概况"),  # 每人每月发
        ("临汾市委非公和社会组织工委工作经费", "项目设立必要性"),  # …作用。党的
        ("社区服务群众专项经费补助", "项目概况"),  # …具体实施。项目
        ("社区服务群众专项经费补助", "年度总体目标"),  # …教育管理党员,服
        ("干部人事档案管理经费", "项目概况"),  # 目前正在实施此项目工程。工程完成
        ("人才专项资金", "项目概况"),  # 集聚到党和人民
        ("人才专项资金", "项目实施计划"),  # 推动上
        ("人才工作经费", MEASURES),  # 《市委联系的高级专家管理办
        ("人才工作经费", "项目设立必要性"),  # 为用才之
        ("人才工作经费", "项目概况"),  # 用才的胆识、
        ("年度目标责任制考核工作经费", MEASURES),  # 《市委组织部干部(干部)干部管理
        ("年度目标责任制考核工作经费", "项目概况"),  # 为提供年度目
        ("干部教育培训经费", "年度总体目标"),  # 3:加大“走
    } <= found
    # complete sentences that merely lack the final 。 are not reported
    assert ("新录用公务员初任培训经费", "项目实施计划") not in found
    assert ("党建研究工作经费", "项目设立必要性") not in found
    assert ("组织工作业务费", "项目实施计划") not in found  # …根据进度支出。预计40000元/月
    assert ("村级组织运转补助经费", MEASURES) not in found  # 《市委组织部… 正常运转。
    # two columns run together in the source, split where the dataset chose (备注 选定)
    assert ("党建研究工作经费", "实施期总体目标") not in found  # …原创性和 | 自选课题…
    assert ("年度目标责任制考核工作经费", "实施期总体目标") not in found  # …对我市 | 0-6000册


def test_text_at_a_split_the_dataset_chose_is_not_judged() -> None:
    cut = "1.举办培训班20期，提高干部的履职能力和"
    spoiled = spoil(period_goal=cut, year_goal="3.培训干部1000人次。")
    assert run("TXT-002", spoiled).outcome is Outcome.FAILED
    assert run("TXT-005", spoiled).outcome is Outcome.FAILED
    chosen = spoil(
        period_goal=cut,
        year_goal="3.培训干部1000人次。",
        note="选定：实施期总体目标、年度总体目标两栏在来源中连成一格，拆分处为本数据所定",
    )
    for rule_id in ("TXT-002", "TXT-005"):
        result = run(rule_id, chosen)
        assert result.outcome is Outcome.PASSED, finding_texts(result)


def test_seed_garbled_doubling(seed: Subject) -> None:
    found = project_findings(seed, "TXT-004")
    assert ("年度目标责任制考核工作经费", MEASURES) in {(p, f) for p, f, _ in found}
    assert any("干部(干部)" in m for *_, m in found)


def test_seed_goal_numbering(seed: Subject) -> None:
    found = {(p, f): m for p, f, m in project_findings(seed, "TXT-005")}
    # DEFECTS: goal text starts without item 1; numbering restarts (目标4 then 3)
    assert "编号从2开始" in found[("党员教育中心工作经费", "实施期总体目标")]
    assert "编号从2开始" in found[("干部教育培训经费", "实施期总体目标")]
    assert "编号从3开始" in found[("干部教育培训经费", "年度总体目标")]


def test_seed_has_no_template_remnants(seed: Subject) -> None:
    result = run("TXT-003", seed)
    assert result.outcome is Outcome.PASSED, finding_texts(result)


def test_names_the_dataset_declares_are_not_remnants() -> None:
    # the clean dataset is 某某市委办公室 of 某某省某某市; its own name is no placeholder,
    # in the dataset and in the same forms read back from a document
    assert run("TXT-003", subject_of_dataset(clean_dataset())).outcome is Outcome.PASSED
    assert run("TXT-003", document(clean_dataset())).outcome is Outcome.PASSED
    spoiled = spoil(plan="由某某负责组织实施。")
    assert run("TXT-003", spoiled).outcome is Outcome.FAILED
