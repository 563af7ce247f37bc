"""``--export-dataset`` says plainly which splits it had to choose: on the command's output and
in a README.md in the exported folder (the seed: its tables print no function × economic
split of the basic spending, no economic class of project spending)."""

from __future__ import annotations

from pathlib import Path

import pytest

from golden import seed_tables as gold
from paths import SHARED
from yusuan.audit.export import dataset_of, grouped
from yusuan.audit.run import audit_command, read_path

SEED = SHARED / "seed" / gold.SEED_FILE


def test_alike_statements_are_said_once_with_how_many() -> None:
    assert grouped(
        [
            "选定：2040401 的基本/项目划分未公开，列项目支出",
            "选定：2040402 的基本/项目划分未公开，列项目支出",
            "选定：单位性质一律作行政单位",
        ]
    ) == [
        "选定：2040401 的基本/项目划分未公开，列项目支出（共2处 / 2 alike: 2040401、2040402）",
        "选定：单位性质一律作行政单位",
    ]


def test_the_output_and_the_readme_list_every_split_chosen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "linfen"
    audit_command([SEED], "text", None, target, False)
    said = capsys.readouterr().err
    choices = dataset_of(read_path(SEED)).choices
    assert len(choices) >= 3
    readme = (target / "README.md").read_text("utf-8")
    assert f"splits chosen, not published ({len(choices)})" in said
    assert f"## 选定的划分 / splits chosen ({len(choices)})" in readme
    for line in grouped(choices):
        assert line in said and f"- {line}" in readme
    assert "中共临汾市委组织部 2021年部门预算" in readme
