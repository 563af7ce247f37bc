"""Helpers for rule tests: a clean, realistic dataset that no rule objects to, ways to spoil it,
and a uniform way to declare "this rule fires here and stays quiet there".

Every rule test module declares ``CASES = [RuleCase(...), ...]``; ``tests/test_rules_registry.py``
runs them all and checks that every registered rule has a case.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from goldenkit import typographic
from yusuan.audit.document import RecognisedDocument, to_subject
from yusuan.model.records import (
    BasicCategory,
    BudgetLine,
    Dataset,
    Department,
    ExpenseKind,
    Funds,
    Indicator,
    Manifest,
    ProcurementItem,
    Project,
    Unit,
    UnitKind,
)
from yusuan.money import MoneyUnit
from yusuan.rules import REGISTRY, Finding, Severity, Subject, run_rules, subject_of_dataset
from yusuan.rules.engine import RuleRun, load_rules, run_rule
from yusuan.rules.subject import DOCUMENT
from yusuan.synthetic import explanation_text
from yusuan.tables.base import Row, Table

B, P = ExpenseKind.BASIC, ExpenseKind.PROJECT
PERSONNEL, OPERATING = BasicCategory.PERSONNEL, BasicCategory.OPERATING
GENERAL, FUND = "一般公共预算", "政府性基金预算"


def yuan(text: str) -> Decimal:
    return Decimal(text)


def line(
    unit: str,
    function: str,
    economic: str,
    amount: str,
    kind: ExpenseKind = B,
    category: BasicCategory | None = PERSONNEL,
    project: str = "",
    source: str = GENERAL,
) -> BudgetLine:
    return BudgetLine(
        unit,
        function,
        economic,
        source,
        kind,
        yuan(amount),
        category if kind is B else None,
        project if kind is P else "",
    )


TRAINING = "干部培训经费"
VILLAGE = "村级组织运转补助经费"


def clean_lines() -> tuple[BudgetLine, ...]:
    return (
        # basic expenditure of the office (行政单位) on 行政运行
        line("201001", "2013201", "30101", "1200000.00"),
        line("201001", "2013201", "30102", "800000.00"),
        line("201001", "2013201", "30103", "100000.00"),
        line("201001", "2013201", "30110", "90000.00"),
        line("201001", "2013201", "30201", "60000.00", category=OPERATING),
        line("201001", "2013201", "30211", "50000.00", category=OPERATING),
        line("201001", "2013201", "30215", "10000.00", category=OPERATING),
        line("201001", "2013201", "30217", "20000.00", category=OPERATING),
        line("201001", "2013201", "30231", "30000.00", category=OPERATING),
        line("201001", "2013201", "30228", "25000.00", category=OPERATING),
        line("201001", "2080505", "30108", "160000.00"),
        line("201001", "2080506", "30109", "80000.00"),
        line("201001", "2210201", "30113", "120000.00"),
        line("201001", "2080501", "30302", "40000.00"),
        # a 事业单位 on 事业运行
        line("201002", "2013250", "30101", "300000.00"),
        line("201002", "2013250", "30107", "100000.00"),
        line("201002", "2013250", "30201", "20000.00", category=OPERATING),
        # projects
        line("201001", "2013202", "30216", "300000.00", P, project=TRAINING),
        line("201001", "2013202", "30202", "50000.00", P, project=TRAINING),
        line("201001", "2013202", "30211", "150000.00", P, project=TRAINING),
        line("201001", "2120899", "39999", "2000000.00", P, project=VILLAGE, source=FUND),
    )


def _indicators(project: str, cost: tuple[str, str, str, str]) -> list[Indicator]:
    out = []
    for period in ("实施期", "年度"):
        out += [
            Indicator(project, period, "产出指标", "数量指标", "完成数量", ">=", "20", "期"),
            Indicator(project, period, "产出指标", "质量指标", "合格率", ">=", "95", "%"),
            Indicator(project, period, "产出指标", "时效指标", "完成及时性", "", "及时", ""),
            Indicator(project, period, "产出指标", "成本指标", *cost),
            Indicator(
                project, period, "效益指标", "社会效益指标", "工作能力提升", "", "明显提升", ""
            ),
            Indicator(
                project,
                period,
                "满意度指标",
                "服务对象满意度指标",
                "服务对象满意度",
                ">=",
                "90",
                "%",
            ),
        ]
    return out


def clean_projects() -> tuple[tuple[Project, ...], tuple[Indicator, ...]]:
    training_funds = Funds(total=yuan("500000.00"), city=yuan("500000.00"))
    village_funds = Funds(total=yuan("2000000.00"), city=yuan("2000000.00"))
    common = {
        "department": "某某市委办公室",
        "department_code": "201001",
        "implementing_unit": "某某市委办公室",
        "attribute": "延续项目",
        "period": "1年",
        "measures": "按照《某某市市级项目资金管理办法》执行，专款专用。",
        "person_in_charge": "张明",
        "handler": "李华",
        "phone": "0351-1234567",
        "filled_on": date(2021, 1, 15),
    }
    projects = (
        Project(
            TRAINING,
            period_funds=training_funds,
            year_funds=training_funds,
            overview="组织全市干部开展业务培训。",
            basis="《干部教育培训工作条例》。",
            necessity="提高干部履职能力。",
            plan="全年分四期举办培训班。",
            period_goal="完成年度干部培训任务。",
            year_goal="举办培训班20期，培训干部1000人次。",
            **common,
        ),
        Project(
            VILLAGE,
            period_funds=village_funds,
            year_funds=village_funds,
            overview="保障村级组织正常运转。",
            basis="《关于加强村级组织运转经费保障的意见》。",
            necessity="保障村级组织履行职能。",
            plan="按季度拨付补助资金。",
            period_goal="保障全市村级组织运转。",
            year_goal="按时足额拨付村级组织运转补助。",
            **common,
        ),
    )
    indicators = _indicators(TRAINING, ("培训费支出", "<=", "30", "万元")) + _indicators(
        VILLAGE, ("补助资金支出", "<=", "200", "万元")
    )
    return projects, tuple(indicators)


def clean_dataset() -> Dataset:
    units = (
        Unit("201001", "某某市委办公室", UnitKind.ADMINISTRATIVE),
        Unit("201002", "某某市委办公室信息中心", UnitKind.INSTITUTION, "201001"),
    )
    manifest = Manifest(
        Department("201", "某某市委办公室", "某某省某某市", "市级"),
        2021,
        units,
        display_unit=MoneyUnit.WAN,
    )
    projects, indicators = clean_projects()
    procurement = (
        ProcurementItem(
            "201001",
            P,
            TRAINING,
            "30202",
            "印刷费",
            "C081401",
            "",
            Decimal(20),
            "批次",
            GENERAL,
            yuan("30000.00"),
        ),
    )
    dataset = Dataset(
        manifest,
        clean_lines(),
        projects,
        indicators,
        procurement,
        explanation=explanation_text(manifest.department.name),
    )
    return with_unchanged_last_year(dataset)


def with_unchanged_last_year(dataset: Dataset) -> Dataset:
    """Last year the same as this year, read off the dataset's own tables the way a
    ``prior_dataset`` is (every category, complete): the clean dataset compares every figure with
    last year, unchanged, so the change rules (EXP-003) and the prior-year input rules run."""
    from yusuan.tables.prior_figures import prior_figures

    return replace(dataset, prior_year=tuple(prior_figures(dataset, "上年")))


# --- spoiling --------------------------------------------------------------------------------


def with_lines(dataset: Dataset, *lines: BudgetLine) -> Dataset:
    return replace(dataset, lines=dataset.lines + lines)


def with_project(dataset: Dataset, name: str, **changes: object) -> Dataset:
    return replace(
        dataset,
        projects=tuple(replace(p, **changes) if p.name == name else p for p in dataset.projects),
    )


def with_indicator(
    dataset: Dataset, name: str, period: str | None = None, **changes: object
) -> Dataset:
    """Change every indicator of this name (in this period, if given)."""
    return replace(
        dataset,
        indicators=tuple(
            replace(i, **changes)
            if i.name == name and (period is None or i.period == period)
            else i
            for i in dataset.indicators
        ),
    )


def document(dataset: Dataset) -> Subject:
    """The dataset's tables as if read from a published document (no budget lines behind them)."""
    subject = subject_of_dataset(dataset)
    return replace(subject, dataset=None, facts=None, kind=DOCUMENT)


def clean_subject() -> Subject:
    """The clean dataset, checked as a dataset."""
    return subject_of_dataset(clean_dataset())


def clean_document() -> Subject:
    """The clean dataset's tables, checked as a published document."""
    return document(clean_dataset())


def with_table(subject: Subject, table_id: str, **changes: object) -> Subject:
    """Change one table of the subject (its rows, its notes …)."""
    tables: dict[str, Table] = dict(subject.tables)
    tables[table_id] = replace(tables[table_id], **changes)
    return replace(subject, tables=tables)


def with_cell(
    subject: Subject,
    table_id: str,
    row_code: str,
    column: str,
    value: Decimal | str,
    row_name: str | None = None,
) -> Subject:
    """Change one cell of one table (as a misprint in a published document would)."""
    table = subject.tables[table_id]
    rows = []
    done = False
    for row in table.rows:
        if not done and row.code == row_code and (row_name is None or row.name == row_name):
            values = dict(row.values)
            values[column] = value
            rows.append(replace(row, values=values))
            done = True
        else:
            rows.append(row)
    assert done, f"no row {row_code!r} in {table_id}"
    return with_table(subject, table_id, rows=tuple(rows))


def with_row(
    subject: Subject, table_id: str, row_code: str, change: Callable[[Row], Row]
) -> Subject:
    rows = tuple(change(r) if r.code == row_code else r for r in subject.tables[table_id].rows)
    return with_table(subject, table_id, rows=rows)


def without_table(subject: Subject, table_id: str) -> Subject:
    return replace(subject, tables={k: v for k, v in subject.tables.items() if k != table_id})


# --- declaring cases -------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleCase:
    """A rule fires on ``fires()`` (with a finding whose text contains ``expect``) and passes on ``quiet()``."""

    rule: str
    fires: Callable[[], Subject]
    quiet: Callable[[], Subject] = clean_subject
    expect: str = ""
    name: str = ""

    @property
    def id(self) -> str:
        return f"{self.rule}{'-' + self.name if self.name else ''}"


def run(rule_id: str, subject: Subject) -> RuleRun:
    rules = load_rules()
    return run_rule(rules[rule_id], subject)


def project_findings(subject: Subject, rule_id: str) -> list[tuple[str, str, str]]:
    """The rule's findings on the subject: project, field and Chinese message of each."""
    result = run(rule_id, subject)
    return [(f.location.project, f.location.field, f.message_zh) for f in result.findings]


def arith_fatal(doc: RecognisedDocument) -> list[Finding]:
    """The fatal findings of the 表内平衡 rules (ARITH-*) on a document read back."""
    load_rules()
    only = sorted(rule for rule in REGISTRY if rule.startswith("ARITH-"))
    report = run_rules(to_subject(doc), only=only)
    return [f for f in report.findings if f.severity is Severity.FATAL]


def finding_texts(result: RuleRun) -> list[str]:
    return [f"{f.message_zh} | {f.message_en} | {f.location.describe()}" for f in result.findings]


def values_of(mapping: Mapping[str, object]) -> dict[str, object]:
    return dict(mapping)


# --- read-back documents against their dataset -------------------------------------------------

# Findings a document read back from yusuan's own output may give that its dataset's check does
# not: ARITH-090, a rounding difference of the printed figures, and XT-015, 机关运行经费 against the
# 公用经费 items of the economic table, which a dataset is checked for exactly by XT-014 instead;
# CAT-015, a 政府性基金预算收入表 listed by expenditure codes, as yusuan's template (after the
# seed's) lists it: a document's layout, which a dataset does not choose.
DOCUMENT_ONLY = frozenset({"ARITH-090", "XT-015", "CAT-015"})


def finding_identity(finding: Finding) -> tuple[str, Severity, tuple[tuple[str, str], ...]]:
    """A finding by rule, severity and values (not location: a document may repeat one per table;
    not the operators' typography: yusuan prints the dataset's >= as ≥)."""
    return (
        finding.rule,
        finding.severity,
        tuple(sorted((k, typographic(str(v))) for k, v in finding.values.items())),
    )


def new_findings(doc: RecognisedDocument, dataset: Dataset) -> list[Finding]:
    """The document's findings that the dataset's own check does not give (DOCUMENT_ONLY aside,
    and the text fields whose split the dataset chose: a document cannot know that choice)."""
    from yusuan.rules.checks.text import chosen_fields

    own = {finding_identity(f) for f in run_rules(subject_of_dataset(dataset)).findings}
    chosen = {(p.name, label) for p in dataset.projects for label in chosen_fields(p)}
    return [
        f
        for f in run_rules(to_subject(doc)).findings
        if f.rule not in DOCUMENT_ONLY
        and finding_identity(f) not in own
        and (f.location.project, f.location.field) not in chosen
    ]
