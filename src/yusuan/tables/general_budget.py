"""一般公共预算支出表: general-public-budget expenditure by function code (to 项), 基本 / 项目."""

from __future__ import annotations

from yusuan.consolidation.scope import words_of
from yusuan.tables import measures as m
from yusuan.tables.base import Table
from yusuan.tables.facts import Facts, title
from yusuan.tables.function_table import basic_project_table

ID = "general-budget"
NAME_ZH = "一般公共预算支出预算表"


def build(facts: Facts) -> Table:
    year = facts.year
    return basic_project_table(
        facts,
        table_id=ID,
        title=title(year, NAME_ZH),
        name_en="General public budget expenditure",
        select=m.general,
        empty_note=f"{words_of(facts.dataset).self}{year}年无一般公共预算拨款安排的支出，故本表为空表。",
    )
