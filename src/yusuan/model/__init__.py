"""Domain records of a departmental budget (部门预算): immutable, each remembering its origin.

Like beancount's directives, every record is a frozen dataclass carrying an ``Origin`` (the
file and row it was read from), so that any figure in any table can be traced back to a line
of the dataset.
"""

from yusuan.model.records import (
    BASIC,
    PERIOD_IMPLEMENTATION,
    PERIOD_YEAR,
    PROJECT,
    BasicCategory,
    BudgetLine,
    Dataset,
    Department,
    ExpenseKind,
    Funds,
    Indicator,
    Manifest,
    Origin,
    PriorYearFigure,
    ProcurementItem,
    Project,
    RevenueItem,
    Unit,
    UnitKind,
)

__all__ = [
    "BASIC",
    "PERIOD_IMPLEMENTATION",
    "PERIOD_YEAR",
    "PROJECT",
    "BasicCategory",
    "BudgetLine",
    "Dataset",
    "Department",
    "ExpenseKind",
    "Funds",
    "Indicator",
    "Manifest",
    "Origin",
    "PriorYearFigure",
    "ProcurementItem",
    "Project",
    "RevenueItem",
    "Unit",
    "UnitKind",
]
