"""kill -9 during a save leaves the database consistent (SQLite file and PostgreSQL).

The real server (gunicorn on a free port, in a process group of its own) serves a draft budget;
a client logged in as the officer saves in a loop, alternating two slow single-transaction saves:
a paste of many lines (``add_lines``) and a new project with many indicators (``save_project``).
The test watches the database from outside and sends SIGKILL to the whole server while a write
transaction is open (SQLite: its rollback journal has existed for a while; PostgreSQL:
``pg_stat_activity`` shows the server's transaction open), restarts it and checks:

- every pasted batch is there completely or not at all;
- every saved project has its complete indicator tree, and no indicator is left without it;
- the budget's revision counter (the optimistic lock) equals its start plus one per batch and
  project present;
- the change history holds one creation record per row present and none for a lost save;
- the check of the budget loads (the review page and the findings API answer 200).

Nothing is mocked: the slowness comes from the size of the saves.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from paths import EXAMPLE, ROOT

SERVER = os.environ.get("YUSUAN_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
PASTE_LINES = 400  # lines per pasted batch
INDICATORS = 150  # indicators per saved project
KILLS = 3  # kill -9 rounds per database
PROJECT_PREFIX = "断电测试项目"
PASSWORD = "kill-test-officer-2026"

SETUP = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "yusuan.web.settings"
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from django.contrib.auth.models import User
from yusuan.dataset import load_dataset
from yusuan.web.budgets import models as db
from yusuan.web.budgets.convert import create_budget, to_yuan
from yusuan.web.budgets.forms import ProjectForm
budget = create_budget(load_dataset(sys.argv[1]))
top = budget.department.units.filter(parent=None).order_by("code").first()
user = User.objects.create_user("officer", password=sys.argv[2])
db.RoleAssignment.objects.create(user=user, role=db.Role.UNIT_OFFICER, unit=top)
line = budget.lines.filter(unit_code__in=top.subtree_codes(), kind="基本支出").first()
cells = [line.unit_code, line.function_code, line.economic_code, line.source, line.kind,
         line.category, line.project, str(to_yuan(line.amount_fen)), ""]
project = budget.projects.first()
fields = {k: "" if v is None else str(v) for k, v in ProjectForm.initial_of(project).items()}
fields["implementing_unit"] = top.name
indicator = budget.indicators.filter(project=project.name).first()
print(json.dumps({
    "budget": budget.pk, "revision": budget.revision, "cells": cells, "project": fields,
    "indicator": {"period": indicator.period, "level": indicator.level1 + "／" + indicator.level2,
                  "operator": indicator.operator, "value": indicator.value,
                  "unit": indicator.unit},
}))
"""

STATE = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "yusuan.web.settings"
import django
django.setup()
from collections import Counter
from yusuan.rules import check_dataset
from yusuan.web.budgets import models as db
from yusuan.web.budgets.convert import dataset_of
budget = db.Budget.objects.get(pk=int(sys.argv[1]))
prefix = sys.argv[2]
batches = Counter(budget.lines.filter(note__startswith="kill-").values_list("note", flat=True))
projects = list(budget.projects.filter(name__startswith=prefix).values_list("name", flat=True))
trees = Counter(budget.indicators.filter(project__startswith=prefix)
                .values_list("project", flat=True))
def created(model, **where):
    return model.history.filter(budget_id=budget.pk, history_type="+", **where).count()
print(json.dumps({
    "revision": budget.revision,
    "batches": batches,
    "projects": projects,
    "trees": trees,
    "history": {
        "lines": [created(db.Line, note__startswith="kill-"),
                  budget.lines.filter(note__startswith="kill-").count()],
        "projects": [created(db.Project, name__startswith=prefix), len(projects)],
        "indicators": [created(db.Indicator, project__startswith=prefix), sum(trees.values())],
    },
    "findings": len(check_dataset(dataset_of(budget)).findings),
}))
"""


class FormFields(HTMLParser):
    """The hidden inputs of a page (the CSRF token)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("name"):
            self.values[str(found["name"])] = found.get("value") or ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _python(script: str, env: dict[str, str], *args: str) -> Any:
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


class Server:
    """gunicorn serving the app, in its own process group so that SIGKILL reaches every
    process of it at once (master and workers), as a power cut or the OOM killer would."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        import requests

        self.port = _free_port()
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "yusuan.web.wsgi",
                    "--workers",
                    "2",
                    "--timeout",
                    "300",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                ],
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=out,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.base + "/accounts/login/", timeout=5).status_code == 200:
                    return
            time.sleep(0.2)
        raise AssertionError("the server did not start: " + self.log.read_text()[-2000:])

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def _login(base: str) -> Any:
    import requests

    session = requests.Session()
    page = session.get(base + "/accounts/login/", timeout=30)
    fields = FormFields()
    fields.feed(page.text)
    data = {
        "username": "officer",
        "password": PASSWORD,
        "csrfmiddlewaretoken": fields.values["csrfmiddlewaretoken"],
    }
    answer = session.post(base + "/accounts/login/", data=data, timeout=30)
    assert answer.url.endswith("/work/"), answer.text[-500:]
    return session


class Saver(threading.Thread):
    """Saves in a loop until the server dies: odd batches paste lines, even ones add a
    project with its indicators; records which batches were answered."""

    def __init__(self, base: str, setup: dict[str, Any], first: int) -> None:
        super().__init__(daemon=True)
        self.base, self.setup, self.batch = base, setup, first
        self.answered: dict[int, int] = {}
        self.in_flight: int | None = None
        self.stop = threading.Event()

    def _token(self, session: Any, path: str) -> str:
        fields = FormFields()
        fields.feed(session.get(self.base + path, timeout=120).text)
        return fields.values["csrfmiddlewaretoken"]

    def _paste(self, session: Any, batch: int) -> int:
        path = f"/work/b/{self.setup['budget']}/lines/paste/"
        cells = list(self.setup["cells"])
        cells[-1] = f"kill-{batch}"
        rows = "\n".join("\t".join(cells) for _ in range(PASTE_LINES))
        data = {"csrfmiddlewaretoken": self._token(session, path), "rows": rows}
        self.in_flight = batch
        answer = session.post(self.base + path, data=data, timeout=300, allow_redirects=False)
        return int(answer.status_code)

    def _project(self, session: Any, batch: int) -> int:
        path = f"/work/b/{self.setup['budget']}/projects/new/"
        data = {**self.setup["project"], "name": f"{PROJECT_PREFIX}{batch}", "revision": ""}
        data.update(
            {
                "csrfmiddlewaretoken": self._token(session, path),
                "ind-TOTAL_FORMS": str(INDICATORS),
                "ind-INITIAL_FORMS": "0",
                "ind-MIN_NUM_FORMS": "0",
                "ind-MAX_NUM_FORMS": "1000",
            }
        )
        for n in range(INDICATORS):
            for key, value in self.setup["indicator"].items():
                data[f"ind-{n}-{key}"] = value
            data[f"ind-{n}-name"] = f"第{batch}批指标{n}"
        self.in_flight = batch
        answer = session.post(self.base + path, data=data, timeout=300, allow_redirects=False)
        return int(answer.status_code)

    def run(self) -> None:
        import requests

        try:
            session = _login(self.base)
            while not self.stop.is_set():
                save = self._paste if self.batch % 2 else self._project
                status = save(session, self.batch)
                self.answered[self.batch] = status
                self.in_flight = None
                self.batch += 1
        except requests.RequestException:
            pass  # the server was killed


def _kill_when_writing(
    server: Server, writing: Callable[[], bool], saver: Saver, after: int
) -> bool:
    """SIGKILL the server once ``after`` saves are done and the next save's write transaction
    has been open for a while; False if none was seen within the time allowed."""
    deadline = time.monotonic() + 180
    since: float | None = None
    while time.monotonic() < deadline and saver.is_alive():
        saving = saver.in_flight is not None and len(saver.answered) >= after
        if saving and writing():
            since = since or time.monotonic()
            if time.monotonic() - since > 0.15:
                server.kill()
                return True
        else:
            since = None
        time.sleep(0.01)
    return False


def _check(state: dict[str, Any], start_revision: int, answered: dict[int, int]) -> None:
    """The invariants after a restart."""
    batches = {int(note.split("-")[1]): count for note, count in state["batches"].items()}
    assert all(count == PASTE_LINES for count in batches.values()), batches  # all or nothing
    projects = {int(name.removeprefix(PROJECT_PREFIX)) for name in state["projects"]}
    trees = {name: count for name, count in state["trees"].items()}
    for name in state["projects"]:
        assert trees.get(name) == INDICATORS, (name, trees.get(name))
    assert set(trees) <= set(state["projects"]), "indicators left without their project"
    assert state["revision"] == start_revision + len(batches) + len(projects)
    # one creation record per row the saves added, none for a save that was lost
    for kind in ("lines", "projects", "indicators"):
        created, present = state["history"][kind]
        assert created == present, (kind, created, present)
    # every save the server answered as done (a redirect) is there
    for batch, status in answered.items():
        if status == 302:
            assert batch in batches or batch in projects, batch


def _run(
    env: dict[str, str],
    tmp: Path,
    writing: Callable[[], bool],
    torn: Callable[[], bool] = lambda: False,
) -> dict[str, Any]:
    """Kill rounds against one database; ``torn`` tells, right after a kill, whether the
    database holds an unfinished transaction (SQLite: a hot journal)."""
    import requests

    setup = _python(SETUP, env, str(EXAMPLE), PASSWORD)
    server = Server(env, tmp / "gunicorn.log")
    answered: dict[int, int] = {}
    figures: dict[str, Any] = {"kills": 0, "lost_in_flight": 0, "torn": 0, "rounds": []}
    batch = 1
    try:
        for round_ in range(KILLS):
            server.start()
            # rounds alternate which save is cut: a paste (odd batch), a project (even batch)
            batch += (batch % 2) == (round_ % 2)  # round 0: odd, 1: even, 2: odd
            saver = Saver(server.base, setup, batch)
            saver.start()
            # the middle round lets a project and a paste finish first: committed saves too
            after = 2 if round_ == 1 else 0
            killed = _kill_when_writing(server, writing, saver, after=after)
            saver.stop.set()
            saver.join(timeout=300)
            assert killed, "no write transaction was seen: " + server.log.read_text()[-2000:]
            figures["kills"] += 1
            figures["torn"] += torn()
            answered.update(saver.answered)
            batch = saver.batch + 1
            state = _python(STATE, env, str(setup["budget"]), PROJECT_PREFIX)
            if saver.in_flight is not None:
                present = {int(n.split("-")[1]) for n in state["batches"]} | {
                    int(n.removeprefix(PROJECT_PREFIX)) for n in state["projects"]
                }
                figures["lost_in_flight"] += saver.in_flight not in present
            figures["rounds"].append((saver.in_flight, dict(saver.answered)))
            _check(state, setup["revision"], answered)
        server.start()
        session = _login(server.base)
        review = session.get(f"{server.base}/work/b/{setup['budget']}/", timeout=300)
        assert review.status_code == 200 and "检查结果" in review.text
        findings = session.get(f"{server.base}/api/budgets/{setup['budget']}/findings", timeout=300)
        assert findings.status_code == 200 and "findings" in findings.json()
        # and the budget still takes saves after the kills
        saver = Saver(server.base, setup, batch if batch % 2 else batch + 1)
        status = saver._paste(session, saver.batch)
        assert status == 302
        final = _python(STATE, env, str(setup["budget"]), PROJECT_PREFIX)
        _check(final, setup["revision"], {**answered, saver.batch: status})
        assert f"kill-{saver.batch}" in final["batches"]
    except requests.RequestException as error:
        raise AssertionError(f"{error}\n{server.log.read_text()[-2000:]}") from error
    finally:
        server.stop()
    figures["findings"] = final["findings"]
    return figures


def _env(data: Path, database_url: str = "") -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "YUSUAN_DATA", "DJANGO_SETTINGS_MODULE")
    }
    env.update(YUSUAN_DATA=str(data), DJANGO_SETTINGS_MODULE="yusuan.web.settings")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@pytest.mark.slow
def test_kill_9_during_saves_on_sqlite_leaves_the_budget_consistent(tmp_path: Path) -> None:
    data = tmp_path / "data"
    journal = data / "yusuan.sqlite3-journal"

    def writing() -> bool:
        # a write transaction holds the rollback journal (Django's SQLite: journal_mode DELETE)
        try:
            return journal.stat().st_size > 0
        except FileNotFoundError:
            return False

    figures = _run(_env(data), tmp_path, writing, writing)
    print("sqlite kill -9:", figures)
    assert figures["kills"] == KILLS
    assert figures["torn"] >= 1  # at least one kill left a transaction half done on disk


@pytest.fixture
def postgres_database() -> Iterator[str]:
    import psycopg

    try:
        admin = psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.Error as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and PostgreSQL at {SERVER} does not answer: {error}")
        pytest.skip(f"PostgreSQL at {SERVER} does not answer: {error}")
    name = f"yusuan_kill_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield name
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_kill_9_during_saves_on_postgresql_leaves_the_budget_consistent(
    tmp_path: Path, postgres_database: str
) -> None:
    import psycopg

    watcher = psycopg.connect(f"{SERVER}/{postgres_database}", autocommit=True)

    def writing() -> bool:
        # a transaction of the server that has written (it holds a transaction id)
        row = watcher.execute(
            "select count(*) from pg_stat_activity where datname = current_database() "
            "and pid <> pg_backend_pid() and backend_xid is not null"
        ).fetchone()
        return bool(row and row[0])

    try:
        figures = _run(_env(tmp_path / "data", f"{SERVER}/{postgres_database}"), tmp_path, writing)
    finally:
        watcher.close()
    print("postgresql kill -9:", figures)
    assert figures["kills"] == KILLS
