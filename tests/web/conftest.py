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
def _static_root() -> None:
    from django.conf import settings

    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
