"""国有资本经营预算支出表: state-capital operating budget expenditure by function code."""

from __future__ import annotations

from yusuan.consolidation.scope import words_of
from yusuan.tables import measures as m
from yusuan.tables.base import Table
from yusuan.tables.facts import Facts, title
from yusuan.tables.function_table import basic_project_table

ID = "state-capital"
NAME_ZH = "国有资本经营预算支出预算表"


def build(facts: Facts) -> Table:
    year = facts.year
    return basic_project_table(
        facts,
        table_id=ID,
        title=title(year, NAME_ZH),
        name_en="State capital operating budget expenditure",
        select=m.state_capital,
        empty_note=f"{words_of(facts.dataset).self}{year}年无国有资本经营预算拨款安排的支出，故本表为空表。",
    )
