"""项目代码 (project code) in the web application: stored, converted both ways, entered in the
project form (with DAT-007 beside the field), and given by the API."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from webkit import client_for, live_check

from rulekit import clean_dataset
from yusuan.dataset import load_dataset, save_dataset
from yusuan.web.budgets.convert import create_budget, dataset_of

pytestmark = pytest.mark.django_db


def _form_data(page: Any) -> dict[str, str]:
    form = page.context["form"]
    data = {k: "" if v is None else str(v) for k, v in form.initial.items()}
    data.update(
        {
            "ind-TOTAL_FORMS": "0",
            "ind-INITIAL_FORMS": "0",
            "ind-MIN_NUM_FORMS": "0",
            "ind-MAX_NUM_FORMS": "1000",
        }
    )
    return data


def test_codes_go_into_the_database_and_come_back(tmp_path: Any) -> None:
    clean = clean_dataset()
    first, second = clean.projects[:2]
    coded = replace(
        clean,
        projects=(replace(first, code="14100021A001"), second, *clean.projects[2:]),
    )
    budget = create_budget(coded)
    assert budget.projects.get(name=first.name).code == "14100021A001"
    assert budget.projects.get(name=second.name).code == ""
    stored = dataset_of(budget)
    assert stored == coded
    save_dataset(stored, tmp_path / "export")
    assert load_dataset(tmp_path / "export").projects == coded.projects


def test_the_project_form_takes_the_code_and_checks_it(world: Any) -> None:
    earlier, later = world.a.projects.order_by("row")[:2]
    url = f"/work/b/{world.a.pk}/projects/{later.pk}/"
    client = client_for(world.users["unit_officer"])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="field-code"' in html and "项目代码" in html
    data = _form_data(page)
    bad = client.post(url, {**data, "code": "P-01"})
    assert bad.status_code == 200
    assert "项目代码只能包含字母和数字" in bad.content.decode()
    earlier.code = "P01"
    earlier.save()
    # the later project (by row) takes the earlier one's code: DAT-007 beside its code field
    checked = live_check(client, url, {**data, "code": "P01"})
    assert 'data-rule="DAT-007"' in checked.get("findings-code", ""), checked
    assert client.post(url, {**data, "code": "P02"}).status_code == 302
    later.refresh_from_db()
    assert later.code == "P02"
    assert dataset_of(world.a).project(later.name).code == "P02"  # type: ignore[union-attr]


def test_the_api_gives_each_project_its_code(world: Any) -> None:
    project = world.a.projects.order_by("row").first()
    project.code = "14100021A001"
    project.save()
    client = client_for(world.users["unit_officer"])
    listed = client.get(f"/api/budgets/{world.a.pk}/projects").json()
    assert [(p["name"], p["code"]) for p in listed][:1] == [(project.name, "14100021A001")]
    assert all(p["code"] == "" for p in listed[1:])
    assert client.get(f"/api/budgets/{world.b.pk}/projects").status_code == 404
    schema = client.get("/api/openapi.json").json()
    assert "code" in schema["components"]["schemas"]["ProjectOut"]["properties"]


def test_a_flat_file_import_sets_the_codes_and_the_export_writes_them(world: Any) -> None:
    client = client_for(world.users["unit_officer"])
    exported = client.get(f"/work/b/{world.a.pk}/yitihua/export/").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    code_at, name_at = rows[0].index("PRO_CODE"), rows[0].index("PRO_NAME")
    assert all(row[code_at] == "" for row in rows[1:])  # no project has a code yet
    codes: dict[str, str] = {}
    for row in rows[1:]:
        if row[name_at]:
            row[code_at] = codes.setdefault(row[name_at], f"A{len(codes) + 1:03d}")
    assert codes, "the clean budget has project lines"
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    upload = SimpleUploadedFile("flat.csv", out.getvalue().encode("utf-8"), "text/csv")
    response = client.post(f"/work/b/{world.a.pk}/yitihua/import/", {"flat": upload})
    assert response.status_code == 302, response.content.decode()
    assert {p.name: p.code for p in world.a.projects.all() if p.code} == codes
    again = client.get(f"/work/b/{world.a.pk}/yitihua/export/").content.decode("utf-8-sig")
    assert [row[code_at] for row in csv.reader(io.StringIO(again))][1:] == [
        row[code_at] for row in rows[1:]
    ]
