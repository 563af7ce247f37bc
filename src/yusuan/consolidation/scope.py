"""The words of a scope (口径): what a 部门预算 and a 单位预算 print for the body they are about.

Read from ``data/scopes.toml``; the tables and renderers ask ``words(level)`` instead of writing
部门 or 单位 themselves.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources

from yusuan.model.records import DEPARTMENT_SCOPE, Dataset, Manifest


@dataclass(frozen=True, slots=True)
class ScopeWords:
    """What one scope prints (every field is a key of its block in scopes.toml)."""

    level: str
    budget: str
    tables_heading: str
    explanation_heading: str
    self: str
    body_label: str
    title_prefix: str

    def table_title(self, title: str, name: str) -> str:
        """A table's title in this scope: ``title_prefix`` put before the table's ``name`` where
        the title shows it (2021年预算收支总表 -> 2021年单位预算收支总表)."""
        if not self.title_prefix or name not in title:
            return title
        return title.replace(name, f"{self.title_prefix}{name}", 1)


@cache
def all_words() -> dict[str, ScopeWords]:
    """Every scope's words, by level (部门, 单位)."""
    text = resources.files("yusuan.consolidation").joinpath("data/scopes.toml").read_text("utf-8")
    keys = [f.name for f in fields(ScopeWords) if f.name != "level"]
    found: dict[str, ScopeWords] = {}
    for level, block in tomllib.loads(text).items():
        missing = [k for k in keys if not isinstance(block.get(k), str)]
        if missing:
            raise ValueError(f"scopes.toml [{level}] lacks {', '.join(missing)}")
        found[level] = ScopeWords(level, *(str(block[k]) for k in keys))
    return found


def words(level: str = DEPARTMENT_SCOPE) -> ScopeWords:
    return all_words()[level]


def words_of(subject: Dataset | Manifest) -> ScopeWords:
    """The words of a dataset's (or manifest's) scope."""
    manifest = subject.manifest if isinstance(subject, Dataset) else subject
    return words(manifest.scope.level)
