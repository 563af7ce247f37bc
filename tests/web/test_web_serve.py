"""``yusuan serve`` prepares a fresh data folder; the production settings pass ``check --deploy``."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from paths import ROOT


def _manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yusuan.web.manage", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _env(data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(YUSUAN_DATA=str(data), **extra)
    return env


@pytest.mark.slow
def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    env = _env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="yusuan.web.settings_production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="budget.example.org",
    )
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = _env(tmp_path, DJANGO_SETTINGS_MODULE="yusuan.web.settings_production")
    env.pop("DJANGO_SECRET_KEY", None)
    result = _manage(["check"], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.slow
def test_first_start_migrates_loads_the_example_and_prints_demo_users_once(
    tmp_path: Path,
) -> None:
    script = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'yusuan.web.settings'\n"
        "from yusuan.web.serve import prepare\n"
        "print('\\n'.join(prepare()))\n"
        "from yusuan.web.budgets.models import Budget\n"
        "print('budgets', [(b.department.code, b.year, b.version, b.status) "
        "for b in Budget.objects.all()])\n"
    )
    env = _env(tmp_path / "data")
    first = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert "officer" in first.stdout and "预算处" in first.stdout
    assert "budgets [('104', 2021, 1, 'published')]" in first.stdout
    assert (tmp_path / "data" / "yusuan.sqlite3").is_file()
    key = tmp_path / "data" / "secret_key"
    assert key.stat().st_mode & 0o077 == 0
    again = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert "officer" not in again.stdout
    assert "budgets [('104', 2021, 1, 'published')]" in again.stdout
