"""Validation rules (检查规则): each with a stable id, severity, bilingual message, basis and fix.

``check_dataset(dataset)`` runs every rule over a dataset; ``run_rules(subject)`` over any
subject (a dataset, or tables read from a published document).
"""

from __future__ import annotations

from yusuan.gcpause import cyclic_gc_paused
from yusuan.model.records import Dataset
from yusuan.rules.base import REGISTRY, Finding, Location, Outcome, Rule, Severity
from yusuan.rules.engine import Report, load_rules, run_rules
from yusuan.rules.subject import Subject, subject_of_dataset


def check_dataset(dataset: Dataset, *, only: list[str] | None = None) -> Report:
    """Check a dataset with every rule, honouring the manifest's per-rule settings."""
    with cyclic_gc_paused():  # facts, tables and forms make no reference cycles
        subject = subject_of_dataset(dataset)
    return check_subject(subject, only=only)


def check_subject(subject: Subject, *, only: list[str] | None = None) -> Report:
    """``check_dataset`` on a subject already made from a dataset (``subject_of_dataset``), for a
    caller that goes on to use its tables, forms and explanation (``yusuan build``)."""
    dataset = subject.need_dataset()
    department = dataset.manifest.department.name
    with cyclic_gc_paused():  # rows, balances and findings make no reference cycles
        return run_rules(subject, only=only, title=f"{department}{dataset.year}年部门预算")


__all__ = [
    "REGISTRY",
    "Finding",
    "Location",
    "Outcome",
    "Report",
    "Rule",
    "Severity",
    "Subject",
    "check_dataset",
    "check_subject",
    "load_rules",
    "run_rules",
    "subject_of_dataset",
]
