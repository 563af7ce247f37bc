"""Classification catalogues (分类目录) as versioned data files, and their loader.

The official lists (支出功能分类, 部门/政府预算支出经济分类 and their mapping, 政府采购品目, funding
sources, expense groups such as 三公经费) live in ``catalog/data`` as CSV files, one entry a row,
each row recording its source and confidence. Code never holds lists of official names.
"""

from yusuan.catalog.loader import (
    Catalogs,
    Classification,
    Entry,
    ExpenseGroupMember,
    FundingSource,
    catalogs_for,
    catalogs_of,
)

__all__ = [
    "Catalogs",
    "Classification",
    "Entry",
    "ExpenseGroupMember",
    "FundingSource",
    "catalogs_for",
    "catalogs_of",
]
