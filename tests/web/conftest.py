"""The web application's test set-up: Django settings, a fresh data folder, the database.

SQLite (in memory) by default; with ``YUSUAN_TEST_DATABASE_URL`` (a PostgreSQL server URL) the
same tests run against PostgreSQL, in a database named for this run so parallel runs never
collide (``test_web_postgresql.py`` does that for the whole web suite).
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable
from typing import Any

import pytest

os.environ["DJANGO_SETTINGS_MODULE"] = "yusuan.web.settings"
os.environ["YUSUAN_DATA"] = tempfile.mkdtemp(prefix="yusuan-web-test-")
_server = os.environ.get("YUSUAN_TEST_DATABASE_URL", "")
if _server:
    os.environ["DATABASE_URL"] = f"{_server.rstrip('/')}/yusuan_{uuid.uuid4().hex[:12]}"
else:
    os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()  # test modules import the models at collection, before pytest-django sets up

from django.conf import settings  # noqa: E402

if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # a file, not shared memory: the browser test's live server answers requests concurrently
    settings.DATABASES["default"]["TEST"] = {
        **settings.DATABASES["default"].get("TEST", {}),
        "NAME": str(settings.DATA_DIR / "test.sqlite3"),
    }

from paths import EXAMPLE  # noqa: E402


@pytest.fixture
def seed_budget(db: None) -> Any:
    """The example dataset imported as a draft budget (2021, version 1)."""
    from yusuan.dataset import load_dataset
    from yusuan.web.budgets.convert import create_budget

    return create_budget(load_dataset(EXAMPLE))


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    """A user with one role assignment: ``make_user("name", "unit_officer", unit=...)``."""
    from django.contrib.auth.models import User

    from yusuan.web.budgets.models import RoleAssignment

    def make(name: str, role: str | None = None, **scope: Any) -> Any:
        user = User.objects.create_user(name, password="pw-" + name + "-2026")
        if role is not None:
            RoleAssignment.objects.create(user=user, role=role, **scope)
        return user

    return make


@pytest.fixture(scope="session", autouse=True)
def _test_settings() -> None:
    from django.conf import settings

    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    # the tests make many users: a fast hasher here (production keeps Django's PBKDF2)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class World:
    """Two departments built from the clean test budget: A (201, reviewed by a finance office)
    and B (305, the same budget under another department), one user per role scoped to A."""

    def __init__(self, make_user: Callable[..., Any]) -> None:
        from dataclasses import replace

        from rulekit import clean_dataset
        from yusuan.model.records import Department
        from yusuan.web.budgets.convert import create_budget
        from yusuan.web.budgets.models import FinanceOffice

        clean = clean_dataset()
        other = replace(
            clean.manifest, department=Department("305", "某某市教育局", "某某省某某市", "市级")
        )
        self.a = create_budget(clean)
        self.b = create_budget(replace(clean, manifest=other))
        self.office = FinanceOffice.objects.create(name="行政政法处")
        department_a = self.a.department
        department_a.office = self.office
        department_a.save()
        self.unit_a = department_a.units.get(code="201001")  # 201002 lies below it
        self.child_a = department_a.units.get(code="201002")
        self.unit_b = self.b.department.units.get(code="201001")
        self.users = {
            "unit_officer": make_user("officer", "unit_officer", unit=self.unit_a),
            "unit_reviewer": make_user("unitreview", "unit_reviewer", unit=self.unit_a),
            "department": make_user("dept", "department", department=department_a),
            "business_office": make_user("office", "business_office", office=self.office),
            "performance": make_user("perf", "performance"),
            "budget_office": make_user("budget", "budget_office"),
            "admin": make_user("admin", "admin"),
        }
        self.officer_b = make_user("officer_b", "unit_officer", unit=self.unit_b)
        self.child_officer = make_user("child", "unit_officer", unit=self.child_a)


@pytest.fixture
def world(make_user: Callable[..., Any]) -> World:
    return World(make_user)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Login failures are counted in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
