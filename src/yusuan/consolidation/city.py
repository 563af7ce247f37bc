"""A city's 本级 totals (本级合计) across its departments' budgets of one fiscal year: expenditure
by 支出功能分类 (类/款/项) and by 部门预算支出经济分类 (类/款), every funding source, split into
基本支出 and 项目支出; beside the totals either one column per department or how many departments
spend under each row. Each is a ``Table`` (header as data) that the usual renderers print.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal

from yusuan.catalog.loader import Classification
from yusuan.console import InputError
from yusuan.consolidation.merge import Source
from yusuan.model.records import Department
from yusuan.money import ZERO, MoneyUnit
from yusuan.tables import measures as m
from yusuan.tables.base import (
    CODE,
    DETAIL,
    GROUP,
    NAME,
    QUANTITY,
    TOTAL,
    Column,
    Row,
    Table,
    header_grid,
)
from yusuan.tables.facts import (
    Facts,
    Line,
    classification_rollup,
    economic_segments,
    facts_of,
    function_segments,
)

FUNCTION_ID, FUNCTION_NAME = "city-function", "本级部门预算支出功能分类汇总表"
ECONOMIC_ID, ECONOMIC_NAME = "city-economic", "本级部门预算支出经济分类汇总表"
MEASURES = {key: m.TOTAL_BASIC_PROJECT[key] for key in ("total", "basic", "project")}
LABELS = (("total", "合计"), ("basic", "基本支出"), ("project", "项目支出"))
COUNT_KEY = "departments"


def same_year(sources: Sequence[Source]) -> int:
    """The one fiscal year of every input; ``InputError`` naming each input of another year."""
    if not sources:
        raise InputError("没有输入数据集", "no input dataset")
    year = sources[0].dataset.year
    others = [s for s in sources if s.dataset.year != year]
    if others:
        zh = "；".join(
            f"{s.path}/yusuan.toml [budget] year：{s.dataset.year}年，应与 {sources[0].path} "
            f"相同（{year}年）"
            for s in others
        )
        en = "; ".join(
            f"{s.path}/yusuan.toml [budget] year: {s.dataset.year}, expected {year} "
            f"as in {sources[0].path}"
            for s in others
        )
        raise InputError(
            f"各部门须为同一预算年度：{zh}", f"all departments must be of one year: {en}"
        )
    return year


def _combined(
    facts: Sequence[Facts],
    code_of: Callable[[Line], str],
    segments: Callable[[str], list[str]],
    classification: Classification,
    by_department: bool,
) -> list[Row]:
    """The city's rows: each department rolled up the classification, then added row by row."""
    per_department = [
        {
            r.code: r
            for r in classification_rollup(f.lines, MEASURES, code_of, segments, classification)
        }
        for f in facts
    ]
    codes = sorted(
        {c for rows in per_department for c in rows if c}, key=lambda c: tuple(segments(c))
    )
    parents = {s for c in codes for s in segments(c)[:-1]}
    rows = []
    for code in ["", *codes]:
        values: dict[str, Decimal | str | None] = {}
        for key, _ in LABELS:
            values[key] = sum(
                (Decimal(str(d[code].values[key])) for d in per_department if code in d), ZERO
            )
        spending = [
            i for i, d in enumerate(per_department) if code in d and d[code].values["total"]
        ]
        if by_department:
            for i, d in enumerate(per_department):
                values[f"d{i + 1}"] = d[code].values["total"] if code in d else ZERO
        else:
            values[COUNT_KEY] = Decimal(len(spending))
        if not code:
            rows.append(Row("", "合计", 0, values, TOTAL))
        else:
            name = classification.name(code)
            rows.append(
                Row(code, name, len(segments(code)), values, GROUP if code in parents else DETAIL)
            )
    return rows


def _table(
    table_id: str,
    name: str,
    year: int,
    departments: Sequence[Department],
    rows: list[Row],
    by_department: bool,
    display_unit: MoneyUnit,
) -> Table:
    extra = (
        [Column(f"d{i + 1}", d.name) for i, d in enumerate(departments)]
        if by_department
        else [Column(COUNT_KEY, "部门数", QUANTITY, 8)]
    )
    columns = (
        Column("code", "科目编码", CODE, 10),
        Column("name", "科目名称", NAME, 30),
        *(Column(key, label) for key, label in LABELS),
        *extra,
    )
    spec = [
        ("项目", 0, 0, 1, 2),
        (f"{year}年本级预算数", 0, 2, 1, len(LABELS)),
        ("科目编码", 1, 0, 1, 1),
        ("科目名称", 1, 1, 1, 1),
        *((label, 1, 2 + i, 1, 1) for i, (_, label) in enumerate(LABELS)),
    ]
    first = 2 + len(LABELS)
    if by_department:
        spec.append(("其中：各部门", 0, first, 1, len(extra)))
        spec += [(c.label, 1, first + i, 1, 1) for i, c in enumerate(extra)]
    else:
        spec.append(("部门数", 0, first, 2, 1))
    return Table(
        table_id,
        f"{year}年{name}",
        display_unit,
        header_grid(spec),
        columns,
        tuple(rows),
        notes=(f"汇总 {len(departments)} 个部门的部门预算（含所属单位）。",),
        name_en="City totals across departments",
        meta={"departments": str(len(departments))},
    )


def city_tables(sources: Sequence[Source], *, by_department: bool = False) -> list[Table]:
    """The city's totals by function class and by economic class (numbered 1 and 2)."""
    year = same_year(sources)
    facts = [facts_of(s.dataset) for s in sources]
    departments = [s.dataset.manifest.department for s in sources]
    unit = sources[0].dataset.manifest.display_unit
    catalogs = facts[0].catalogs
    function = _combined(
        facts, lambda x: x.line.function_code, function_segments, catalogs.function, by_department
    )
    economic = _combined(
        facts,
        lambda x: x.line.economic_code,
        economic_segments,
        catalogs.department_economic,
        by_department,
    )
    return [
        _number(
            _table(FUNCTION_ID, FUNCTION_NAME, year, departments, function, by_department, unit), 1
        ),
        _number(
            _table(ECONOMIC_ID, ECONOMIC_NAME, year, departments, economic, by_department, unit), 2
        ),
    ]


def _number(table: Table, number: int) -> Table:
    return replace(table, number=number)
