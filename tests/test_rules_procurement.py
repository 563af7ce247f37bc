"""Cases for the 政府采购 rules (PRC-*): items belong to projects, fit their budget lines, and
are described completely; and the seed's real procurement defects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest

from golden import seed_tables as gold
from paths import EXAMPLE
from rulekit import (
    TRAINING,
    B,
    RuleCase,
    clean_dataset,
    clean_document,
    document,
    finding_texts,
    run,
    with_cell,
)
from yusuan.dataset import load_dataset
from yusuan.model.records import Dataset
from yusuan.rules import Outcome, Subject, subject_of_dataset
from yusuan.rules.checks.procurement import purchases


def with_item(dataset: Dataset, **changes: object) -> Dataset:
    """Change the clean dataset's procurement item."""
    first = replace(dataset.procurement[0], **changes)
    return replace(dataset, procurement=(first, *dataset.procurement[1:]))


def item(**changes: object) -> Callable[[], Subject]:
    return lambda: subject_of_dataset(with_item(clean_dataset(), **changes))


def item_document(**changes: object) -> Callable[[], Subject]:
    return lambda: document(with_item(clean_dataset(), **changes))


def basic_item(amount: str) -> Callable[[], Subject]:
    """A basic-expenditure purchase of office supplies by the office (30201 budget: 6+2 万元)."""
    return item(
        kind=B,
        project="办公用品",
        economic_code="30201",
        economic_name="办公费",
        item_code="A0901",
        quantity=Decimal(10),
        quantity_unit="箱",
        amount=Decimal(amount),
    )


CASES = [
    RuleCase("PRC-001", item(project="干部培训费"), expect="干部培训经费", name="dataset"),
    RuleCase(
        "PRC-001",
        item_document(project="干部培训费"),
        clean_document,
        expect="干部培训费",
        name="document",
    ),
    RuleCase(
        "PRC-002",
        # the project's 30202 lines are 5.00万元
        item(amount=Decimal("60000.00")),
        item(amount=Decimal("50000.00")),
        expect="30202",
        name="project",
    ),
    RuleCase(
        "PRC-002",
        # the office and its centre have 30201 basic lines of 6.00 + 2.00 万元
        basic_item("90000.00"),
        basic_item("80000.00"),
        expect="基本支出",
        name="basic",
    ),
    RuleCase("PRC-003", item(source="单位资金"), expect="单位资金"),
    RuleCase("PRC-004", item(quantity_unit=""), expect="没有计量单位", name="no-unit"),
    RuleCase("PRC-004", item(quantity=None), expect="没有数量", name="no-quantity"),
    RuleCase("PRC-005", item(quantity=Decimal(0)), expect="数量", name="quantity"),
    RuleCase("PRC-005", item(amount=Decimal("-30000.00")), expect="金额", name="amount"),
    RuleCase(
        "PRC-005",
        item_document(amount=Decimal("-30000.00")),
        clean_document,
        expect="金额",
        name="document",
    ),
    RuleCase("PRC-006", item(economic_code="30101", economic_name="基本工资"), expect="301"),
    RuleCase(
        "PRC-007",
        # a document that prints a quantity on the 合计 row summing 批次 and 箱
        lambda: with_cell(
            document(with_second_item(clean_dataset(), "箱")),
            "procurement",
            "",
            "quantity",
            Decimal(24),
            row_name="合计",
        ),
        lambda: document(with_second_item(clean_dataset(), "批次")),
        expect="20 批次、4 箱",
    ),
]


def with_second_item(dataset: Dataset, unit: str) -> Dataset:
    """A second purchase for the training project (30202 budget 5万元: 3万 + 1万 fit)."""
    second = replace(
        dataset.procurement[0],
        item_code="A0901",
        quantity=Decimal(4),
        quantity_unit=unit,
        amount=Decimal("10000.00"),
    )
    return replace(dataset, procurement=(*dataset.procurement, second))


def test_the_document_view_reads_the_published_rows() -> None:
    (found,) = purchases(clean_document())
    (declared,) = clean_dataset().procurement
    assert (found.kind, found.project, found.economic_code, found.economic_name) == (
        declared.kind.value,
        declared.project,
        declared.economic_code,
        declared.economic_name,
    )
    assert (found.item_code, found.quantity, found.quantity_unit, found.amount) == (
        declared.item_code,
        declared.quantity,
        declared.quantity_unit,
        declared.amount,
    )
    assert found.unit_code == declared.unit_code
    assert found.location.table and found.at("item_name").column == "采购品目"


def test_no_procurement_is_not_applicable() -> None:
    subject = subject_of_dataset(replace(clean_dataset(), procurement=()))
    for rule_id in ("PRC-001", "PRC-002", "PRC-004", "PRC-005", "PRC-006"):
        assert run(rule_id, subject).outcome is Outcome.NOT_APPLICABLE, rule_id


def test_items_of_one_project_and_code_are_added_up() -> None:
    dataset = clean_dataset()
    first = replace(dataset.procurement[0], amount=Decimal("30000.00"))
    second = replace(first, item_code="A0901", amount=Decimal("30000.00"))  # 6 万 > 5 万
    subject = subject_of_dataset(replace(dataset, procurement=(first, second)))
    result = run("PRC-002", subject)
    assert result.outcome is Outcome.FAILED
    assert "2项" in result.findings[0].message_zh and "1.00万元" in result.findings[0].message_zh


def test_amount_rules_need_the_lines() -> None:
    assert run("PRC-002", clean_document()).outcome is Outcome.COULD_NOT_RUN
    assert run("PRC-003", clean_document()).outcome is Outcome.COULD_NOT_RUN


def test_a_document_without_forms_cannot_match_projects() -> None:
    subject = replace(clean_document(), forms=())
    assert run("PRC-001", subject).outcome is Outcome.COULD_NOT_RUN


def test_project_names_match_regardless_of_punctuation_width() -> None:
    subject = item(project=f" {TRAINING} ")()
    assert run("PRC-001", subject).outcome is Outcome.PASSED
    assert run("PRC-002", subject).outcome is Outcome.PASSED


# --- the seed ----------------------------------------------------------------------------------

# procurement.csv rows of examples/linfen-2021 (header = row 1) for the seed's printed lines
PROCUREMENT_ROWS = {239: 2, 240: 3, 242: 4, 243: 5, 244: 6, 245: 7, 246: 8, 247: 9}


def _defect(field: str) -> dict[str, object]:
    (found,) = [
        d for d in gold.PUBLISHED_DEFECTS if d["table"] == "PROCUREMENT" and d["field"] == field
    ][:1]
    return found


@pytest.fixture(scope="module")
def seed() -> Subject:
    return subject_of_dataset(load_dataset(EXAMPLE))


def test_seed_project_that_matches_no_project(seed: Subject) -> None:
    defect = _defect("project")
    result = run("PRC-001", seed)
    assert [f.location.line for f in result.findings] == [
        PROCUREMENT_ROWS[int(str(defect["line"]))]
    ]
    message = result.findings[0].message_zh
    assert f"“{defect['printed']}”" in message
    assert f"“{defect['expected']}”" in message  # the closest project is suggested


def test_seed_quantity_without_unit(seed: Subject) -> None:
    defect = _defect("quantity_unit")
    result = run("PRC-004", seed)
    assert [f.location.line for f in result.findings] == [
        PROCUREMENT_ROWS[int(str(defect["line"]))]
    ]
    assert "A09" in result.findings[0].message_zh and "260" in result.findings[0].message_zh


def test_seed_document_finds_the_same(seed: Subject) -> None:
    subject = document(load_dataset(EXAMPLE))
    assert "年度目标任务考核工作" in " ".join(finding_texts(run("PRC-001", subject)))
    assert "260" in " ".join(finding_texts(run("PRC-004", subject)))


def test_seed_items_fit_their_budget_lines(seed: Subject) -> None:
    # The example's project lines were split so that every item fits (README); the item on the
    # invalid code 31080 is left to CAT-006, the unknown project to PRC-001.
    for rule_id in ("PRC-002", "PRC-003", "PRC-005", "PRC-006"):
        result = run(rule_id, seed)
        assert result.outcome is Outcome.PASSED, (rule_id, finding_texts(result))


def test_seed_quantities_of_different_units_added_up() -> None:
    # yusuan leaves a sum of different units blank; the published document prints 373 on the
    # summary rows: put the printed figure back as a document would have it.
    defect = _defect("quantity")
    printed = Decimal(str(defect["printed"]))
    subject = document(load_dataset(EXAMPLE))
    assert run("PRC-007", subject).outcome is Outcome.PASSED
    unit = "中共临汾市委组织部"
    for code, name in (
        ("", "合计"),
        ("104", unit),
        ("104001", unit),
        ("1040010", unit),
        ("", "项目支出"),
    ):
        subject = with_cell(subject, "procurement", code, "quantity", printed, row_name=name)
    result = run("PRC-007", subject)
    rows = [f.location.row for f in result.findings]
    # 合计, the department 104, the units 104001 and 1040010, and the 项目支出 group
    assert rows == ["合计", f"104 {unit}", f"104001 {unit}", f"1040010 {unit}", "项目支出"]
    assert all(str(f.values["quantity"]) == defect["printed"] for f in result.findings)
    assert "50 批次、5 张、58 个、260（无单位）" in result.findings[0].message_zh
