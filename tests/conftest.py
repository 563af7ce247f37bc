"""Shared fixtures: the example dataset, its tables and its project forms."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from paths import EXAMPLE
from yusuan.dataset import load_dataset
from yusuan.model.records import Dataset
from yusuan.tables import build_tables
from yusuan.tables.base import Table
from yusuan.tables.forms import ProjectForm, forms_of

# CI must pass or fail for the code, not for the examples a run happened to draw: there the
# property tests draw the same examples every time. Locally they draw new ones, to find bugs.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def example() -> Dataset:
    return load_dataset(EXAMPLE)


@pytest.fixture(scope="session")
def example_tables(example: Dataset) -> dict[str, Table]:
    return {t.id: t for t in build_tables(example)}


@pytest.fixture(scope="module")
def forms(example: Dataset) -> list[ProjectForm]:
    return forms_of(example)
