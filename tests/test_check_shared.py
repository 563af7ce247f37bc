"""What the check works out once and shares (per subject, per table, per figure) equals what a
fresh computation gives: the speed-ups of the check must not change a single finding.

Each test puts the shared or shortened path beside the plain computation it replaces, written
out here, on the example and on generated data.
"""

from __future__ import annotations

import difflib
import random
from collections import Counter
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paths import EXAMPLE
from yusuan.catalog.loader import (
    FundingSource,
    expense_group_codes,
    funding_source,
    funding_sources,
)
from yusuan.dataset import load_dataset
from yusuan.model.records import BasicCategory, Dataset
from yusuan.money import MoneyUnit, round_display, to_unit
from yusuan.publish.narrative import build_narrative, parse_texts
from yusuan.rules import subject_of_dataset
from yusuan.rules.base import MissingData
from yusuan.rules.checks import arithmetic, cross_table
from yusuan.rules.checks.catalogue import basic_category_misfits, running_misfits
from yusuan.rules.checks.cross_table import operating_cost_differences
from yusuan.rules.checks.projects import NEAR, _similar
from yusuan.rules.subject import Subject
from yusuan.synthetic import synthetic_dataset
from yusuan.tables import build_tables, three_public
from yusuan.tables import measures as m

ZERO = Decimal(0)


def _example() -> Dataset:
    return load_dataset(EXAMPLE)


def _subjects() -> list[Subject]:
    generated = synthetic_dataset(random.Random(5), lines=2_000, projects=60)
    return [subject_of_dataset(_example()), subject_of_dataset(generated)]


# --- PRJ-011: similarity bounds without a SequenceMatcher ---------------------------------------


def _similar_by_difflib(a: str, b: str) -> bool:
    """The test as it was written with difflib's three ratios, cheapest first."""
    if a == b:
        return True
    if min(len(a), len(b)) < 16 or min(len(a), len(b)) < NEAR * max(len(a), len(b)):
        return False
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return (
        matcher.real_quick_ratio() >= NEAR
        and matcher.quick_ratio() >= NEAR
        and matcher.ratio() >= NEAR
    )


# few letters, so that near texts (the case that matters) are common
TEXTS = st.text(alphabet="项目经费用于保障运行", min_size=0, max_size=60)


@settings(max_examples=400, deadline=None)
@given(TEXTS, TEXTS)
def test_similar_equals_difflib(a: str, b: str) -> None:
    assert _similar(a, b) == _similar_by_difflib(a, b)
    assert _similar(a, b, Counter(a), Counter(b)) == _similar_by_difflib(a, b)  # counted once


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="项目经费用于保障运行", min_size=16, max_size=90),
    st.integers(0, 8),
    st.integers(0, 89),
)
def test_similar_equals_difflib_on_edited_copies(a: str, edits: int, at: int) -> None:
    b = a
    for n in range(edits):  # a copy with a few characters changed: near the threshold
        i = (at + 7 * n) % len(b)
        b = b[:i] + "改" + b[i + 1 :]
    assert _similar(a, b) == _similar_by_difflib(a, b)
    assert _similar(a, b, Counter(a), Counter(b)) == _similar_by_difflib(a, b)


def test_similar_near_the_threshold() -> None:
    """Copies with one character in ten changed are similar (ratio 0.9), with more are not."""
    text = "本项目经费用于保障单位日常运行和履职需要" * 2  # 40 characters
    for changed in range(8):
        copy = "".join("改" if i % 5 == 0 and i // 5 < changed else ch for i, ch in enumerate(text))
        assert _similar(text, copy) == _similar_by_difflib(text, copy) == (changed <= 4)


# --- ARITH: balances and the printed figures ----------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False),
    st.sampled_from(list(MoneyUnit)),
)
def test_displayed_figure_is_the_rounded_figure(value: Decimal, unit: MoneyUnit) -> None:
    shown = arithmetic.Displayed(unit)
    fresh = round_display(to_unit(value, unit))
    assert shown(value) == fresh
    assert shown(value) == fresh  # the remembered one
    assert shown(value + Decimal("0.00")) == fresh  # the same amount written with more places


def test_balance_parts_and_difference_are_the_printed_cells() -> None:
    count = 0
    for subject in _subjects():
        for balance in arithmetic.every_balance(subject):
            parts = tuple(p if p is not None else ZERO for p in balance.part_cells)
            stated = balance.stated_cell if balance.stated_cell is not None else ZERO
            assert balance.parts == parts
            assert balance.difference == stated - sum(parts, ZERO)
            assert balance.blank_side == _blank_side(balance.stated_cell, balance.part_cells)
            count += 1
    assert count > 1_000


def _blank_side(stated: Decimal | None, cells: tuple[Decimal | None, ...]) -> str:
    printed = [p for p in cells if p is not None]
    if stated is None and any(printed):
        return "total"  # a blank total over printed parts
    if stated and cells and not printed:
        return "parts"  # blank parts under a printed total
    return ""


def test_blank_side_of_hand_made_balances() -> None:
    table = next(iter(_subjects()[0].tables.values()))
    row = table.rows[0]
    one, none = Decimal("1.00"), None
    cases = [
        (none, (one, none), "total"),
        (none, (none, none), ""),
        (none, (Decimal(0),), ""),  # only zeros printed: nothing left blank that matters
        (one, (none, none), "parts"),
        (Decimal(0), (none,), ""),
        (one, (), ""),
        (one, (one, none), ""),
    ]
    for stated, cells, side in cases:
        balance = arithmetic.Balance(table, row, "total", stated, cells, "合计")
        assert balance.blank_side == side == _blank_side(stated, cells)


def test_displayed_difference_with_a_shared_rounding_equals_a_fresh_one() -> None:
    for subject in _subjects():
        shared: dict[MoneyUnit, arithmetic.Displayed] = {}
        for balance in arithmetic.every_balance(subject):
            unit = balance.table.unit
            shown = shared.setdefault(unit, arithmetic.Displayed(unit))
            plain = round_display(to_unit(balance.stated, unit)) - sum(
                (round_display(to_unit(p, unit)) for p in balance.parts), ZERO
            )
            assert balance.displayed_difference(shown) == plain
            assert balance.displayed_difference() == plain


# --- XT: coded rows read with the column looked up once -----------------------------------------


def test_coded_rows_equal_figures_read_cell_by_cell() -> None:
    compared = 0
    for subject in _subjects():
        for table in subject.tables.values():
            coded = [row for row in table.rows if row.code]
            if not coded:
                continue
            for column in table.columns:
                expected = {row.code: cross_table._figure(table, row, column.key) for row in coded}
                assert cross_table._coded_rows(table, column.key) == expected
                compared += len(expected)
    assert compared > 1_000


# --- EXP and build: the written explanation built once ------------------------------------------


def test_written_explanation_is_built_once_and_equals_a_fresh_build() -> None:
    for dataset in (_example(), synthetic_dataset(random.Random(3), lines=500, projects=20)):
        subject = subject_of_dataset(dataset)
        texts, _ = parse_texts(dataset.explanation)
        fresh = build_narrative(dataset, build_tables(dataset), texts)
        assert subject.explanation_texts == texts
        assert subject.written_explanation == fresh
        assert subject.written_explanation is subject.written_explanation


# --- catalogue: a funding source looked up by index ---------------------------------------------


def test_funding_source_index_finds_what_a_search_finds() -> None:
    def searched(text: str) -> FundingSource | None:
        wanted = text.strip()
        for src in funding_sources():
            if wanted in (src.key, src.name) or wanted in src.aliases:
                return src
        return None

    written = [w for s in funding_sources() for w in (s.key, s.name, *s.aliases)]
    tried = [*written, *(f" {w}\t" for w in written), "", " ", "未知来源", "一般公共预算拨款x"]
    for text in tried:
        assert funding_source(text) is searched(text)
    assert sum(funding_source(text) is not None for text in tried) == 2 * len(written)


# --- rule results that two rules read (CAT-011/-013, XT-014 and DAT-006) ------------------------

SHARED_WORK = (basic_category_misfits, running_misfits, operating_cost_differences)


def test_shared_work_equals_a_fresh_run() -> None:
    for subject in [*_subjects(), subject_of_dataset(_misfiled(_example()))]:
        for work in SHARED_WORK:
            fresh = list(work.__wrapped__(subject))  # type: ignore[attr-defined]
            assert work(subject) == fresh
            again = work(subject)
            assert again == fresh
            again.clear()  # a caller's list is its own
            assert work(subject) == fresh


def test_shared_work_found_something_to_share() -> None:
    subject = subject_of_dataset(_misfiled(_example()))
    assert any(work(subject) for work in SHARED_WORK)


def test_what_shared_work_raises_is_raised_each_time() -> None:
    subject = replace(subject_of_dataset(_example()), facts=None)  # as a document: no lines
    for work in SHARED_WORK:
        for _ in range(2):
            with pytest.raises(MissingData):
                work(subject)


def _misfiled(dataset: Dataset) -> Dataset:
    """The dataset with some basic lines' 人员/公用 category swapped: what CAT-011 looks for."""
    lines = list(dataset.lines)
    swapped = 0
    for index, line in enumerate(lines):
        if line.category is not None and swapped < 5:
            other = (
                BasicCategory.OPERATING
                if line.category is BasicCategory.PERSONNEL
                else BasicCategory.PERSONNEL
            )
            lines[index] = replace(line, category=other)
            swapped += 1
    return replace(dataset, lines=tuple(lines))


# --- tables: sums with lines that cannot count skipped ------------------------------------------


def test_three_public_sums_equal_sums_over_every_line() -> None:
    for subject in _subjects():
        facts = subject.need_facts()
        plain = dict.fromkeys((key for key, _, _ in three_public.ITEMS), ZERO)
        for line in facts.lines:
            for key, group, item in three_public.ITEMS:
                if m.general(line) and line.line.economic_code in expense_group_codes(group, item):
                    plain[key] += line.amount
        found = three_public.item_sums(list(facts.lines))
        assert {k: found[k] for k in plain} == plain
        assert any(plain.values())


def test_lines_summed_by_code_equal_plain_sums() -> None:
    for subject in _subjects():
        facts = subject.need_facts()
        for merged, key in (
            (facts.by_function, lambda x: (x.line.function_code, x.source_column, x.is_basic)),
            (facts.by_economic, lambda x: (x.line.economic_code, x.source_column, x.is_basic)),
        ):
            plain: dict[object, Decimal] = {}
            for line in facts.lines:
                plain[key(line)] = plain.get(key(line), ZERO) + line.amount
            assert {key(x): x.amount for x in merged} == plain
            assert len(merged) == len(plain)
            assert all(x.cents is not None and x.amount == Decimal(x.cents) / 100 for x in merged)
