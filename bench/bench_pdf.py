"""Benchmark: the whole disclosure PDF (cover, contents, tables, forms) for the example and a
synthetic department.

Prints figures; asserts nothing. Run with ``.venv/bin/python bench/bench_pdf.py``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import EXAMPLE, best_of
from synthetic import synthetic_dataset

from yusuan.dataset import load_dataset
from yusuan.model.records import Dataset
from yusuan.render.fonts import pdf_font
from yusuan.render.pdf import pdf_bytes
from yusuan.tables import build_tables
from yusuan.tables.forms import forms_of

NARRATIVE = (
    ("一、部门职责", ("负责全市党的组织建设、干部队伍建设和人才工作。" * 6,)),
    ("二、收支预算总体情况", ("本部门收支预算均按照年度工作任务编制。" * 10,) * 3),
)


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def measure(label: str, dataset: Dataset, runs: int) -> None:
    tables, forms = build_tables(dataset), forms_of(dataset)
    name = dataset.manifest.department.name

    def work() -> bytes:
        return pdf_bytes(
            tables,
            forms,
            title=f"{name}{dataset.year}年部门预算",
            subtitle="部门预算公开",
            narrative=NARRATIVE,
        )

    timing = best_of(runs, work)
    seconds, cpu, pdf = timing.wall, timing.cpu, timing.result
    count = pages(pdf)
    print(
        f"  {label}: {len(tables)} tables + {len(forms)} forms -> {count} pages, "
        f"{len(pdf) / 1024:,.0f} KiB in {seconds:5.2f} s wall, {cpu:5.2f} s CPU "
        f"({count / seconds:5.1f} pages/s)"
    )


def main() -> None:
    font = pdf_font()
    print(f"yusuan PDF benchmark (best of N runs, wall clock; font {font.family}, ", end="")
    print(f"embedded: {'yes' if font.embedded else 'no'})")
    measure("example linfen-2021", load_dataset(EXAMPLE), 5)
    measure("synthetic 1,000 lines / 100 projects", synthetic_dataset(1_000, 100), 3)


if __name__ == "__main__":
    main()
