"""The web suite again, on PostgreSQL (``DATABASE_URL`` chosen as in production).

Runs the other web tests in a subprocess against the server at ``YUSUAN_POSTGRES_URL`` (default
``postgresql://postgres@127.0.0.1:5432``), in a database named for the run. Skips when no server
answers — except under ``CI=true``, where a missing server is a failure.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SERVER = os.environ.get("YUSUAN_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")


def _server_answers(url: str) -> str:
    import psycopg

    try:
        with psycopg.connect(f"{url}/postgres", connect_timeout=3) as connection:
            connection.execute("select 1")
    except psycopg.Error as error:
        return str(error)
    return ""


@pytest.mark.slow
def test_the_web_suite_passes_on_postgresql() -> None:
    if os.environ.get("YUSUAN_TEST_DATABASE_URL"):
        pytest.skip("already running on PostgreSQL")
    problem = _server_answers(SERVER)
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and PostgreSQL at {SERVER} does not answer: {problem}")
        pytest.skip(f"PostgreSQL at {SERVER} does not answer: {problem}")
    env = {**os.environ, "YUSUAN_TEST_DATABASE_URL": SERVER}
    # without these the child's pytest-django would load the settings before the web conftest
    # chooses the database, and run on this process's SQLite data folder
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "YUSUAN_DATA"):
        env.pop(name, None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(HERE),
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            "not slow",
            "--deselect",
            f"{HERE / Path(__file__).name}",
        ],
        cwd=HERE.parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
