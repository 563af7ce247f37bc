"""A deterministic synthetic department of any size, for benchmarks (see yusuan.synthetic)."""

from __future__ import annotations

import random

from yusuan.model.records import Dataset
from yusuan.synthetic import synthetic_dataset as _synthetic


def synthetic_dataset(lines: int, projects: int, *, year: int = 2021, seed: int = 7) -> Dataset:
    return _synthetic(random.Random(seed), lines=lines, projects=projects, year=year)
