"""政府性基金预算收入表: government-fund appropriations by function code (one 合计 column)."""

from __future__ import annotations

from yusuan.consolidation.scope import words_of
from yusuan.tables import measures as m
from yusuan.tables.base import Table
from yusuan.tables.facts import Facts, title
from yusuan.tables.function_table import basic_project_table

ID = "fund-income"
NAME_ZH = "政府性基金预算收入表"


def build(facts: Facts) -> Table:
    year = facts.year
    return basic_project_table(
        facts,
        table_id=ID,
        title=title(year, NAME_ZH),
        name_en="Government fund budget revenue",
        select=m.fund,
        with_split=False,
        empty_note=f"{words_of(facts.dataset).self}{year}年无政府性基金预算拨款收入，故本表为空表。",
    )
