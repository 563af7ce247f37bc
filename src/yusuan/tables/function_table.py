"""The shape shared by the expenditure tables by function: 合计 / 基本支出 / 项目支出 by 类/款/项."""

from __future__ import annotations

from collections.abc import Callable

from yusuan.tables import measures as m
from yusuan.tables.base import CODE, NAME, Column, Table, header_grid
from yusuan.tables.facts import Facts, Line, function_rollup


def basic_project_table(
    facts: Facts,
    *,
    table_id: str,
    title: str,
    name_en: str,
    select: Callable[[Line], bool],
    empty_note: str = "",
    with_split: bool = True,
) -> Table:
    """An expenditure-by-function table over the lines ``select`` accepts.

    ``with_split`` adds the 基本支出 / 项目支出 columns; ``empty_note`` is the customary sentence
    printed when the table has nothing (没有数据的表格应当列出空表并说明).
    """
    year = facts.year
    value_columns = (
        (("total", "合计"), ("basic", "基本支出"), ("project", "项目支出"))
        if with_split
        else (("total", "合计"),)
    )
    columns = (
        Column("code", "科目编码", CODE, 10),
        Column("name", "科目名称", NAME, 30),
        *(Column(key, label) for key, label in value_columns),
    )
    header = header_grid(
        [
            ("项目", 0, 0, 1, 2),
            (f"{year}年预算数", 0, 2, 1, len(value_columns)),
            ("科目编码", 1, 0, 1, 1),
            ("科目名称", 1, 1, 1, 1),
            *((label, 1, 2 + i, 1, 1) for i, (_, label) in enumerate(value_columns)),
        ]
    )
    lines = [x for x in facts.by_function if select(x)]
    measures = {key: m.TOTAL_BASIC_PROJECT[key] for key, _ in value_columns}
    rows = function_rollup(facts, lines, measures)
    notes = (empty_note,) if empty_note and not lines else ()
    return Table(
        table_id,
        title,
        facts.dataset.manifest.display_unit,
        header,
        columns,
        tuple(rows),
        notes,
        name_en=name_en,
    )
