"""The consolidation commands under injected faults: a documented exit status, a message, no
traceback, no stray or partial output, inputs untouched (the same test as every command's)."""

from __future__ import annotations

from pathlib import Path

import pytest

import test_reliability_cli as reliability
from faultkit import Case, _dataset

CONSOLIDATION_CASES = (
    Case("tables-unit", lambda w: ["tables", _dataset(w), "--unit", "1040011", "-f", "csv"]),
    Case(
        "build-each-unit",
        lambda w: [
            "build",
            _dataset(w),
            "-o",
            str(w / "out"),
            "--force",
            "--each-unit",
            "--only",
            "xlsx",
        ],
        "out",
    ),
    Case(
        "consolidate-split",
        lambda w: ["consolidate", "split", _dataset(w), "-o", str(w / "out")],
        "out",
    ),
    Case(
        "consolidate-department",
        lambda w: ["consolidate", "department", _dataset(w), "-o", str(w / "out")],
        "out",
    ),
    Case(
        "consolidate-city",
        lambda w: ["consolidate", "city", _dataset(w), "-o", str(w / "out.csv"), "-f", "csv"],
        "out.csv",
    ),
)


@pytest.mark.parametrize("case", CONSOLIDATION_CASES, ids=lambda c: c.name)
def test_consolidation_commands_under_faults(case: Case, tmp_path: Path) -> None:
    reliability.test_every_command_under_faults_ends_in_a_documented_status(case, tmp_path)
