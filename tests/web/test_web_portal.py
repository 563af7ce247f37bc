"""The public portal: published budgets only, the core's pages and files, JSON for every page,
never a finding."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin

import pytest
from django.test import Client

from yusuan.render.json_out import table_object
from yusuan.tables import build_tables
from yusuan.web.budgets import models as db
from yusuan.web.budgets.convert import dataset_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(seed_budget: Any) -> Any:
    seed_budget.status = db.Status.PUBLISHED
    seed_budget.save()
    return seed_budget


def test_the_index_lists_published_budgets_only(published: Any, world: Any) -> None:
    page = Client().get("/").content.decode()
    assert "104 中共临汾市委组织部" in page and "2021年部门预算" in page
    assert "某某市委办公室" not in page  # world's budgets are drafts
    data = Client().get("/?format=json").json()
    assert [(b["department"]["code"], b["year"], b["version"]) for b in data["budgets"]] == [
        ("104", 2021, 1)
    ]
    assert Client().get("/?q=教育局&format=json").json()["budgets"] == []


def test_a_table_page_is_the_cores_table_and_its_json_the_cores_contract(published: Any) -> None:
    client = Client()
    index = client.get("/p/104/2021/site/index.html?format=json").json()
    general = next(t for t in index["tables"] if t["id"] == "general-budget")
    html = client.get(f"/p/104/2021/site/{general['page']}").content.decode()
    assert "2013201" in html and "700.08" in html  # 行政运行, 700.08 万元 in the seed
    data = client.get(f"/p/104/2021/site/{general['page']}?format=json").json()
    expected = next(t for t in build_tables(dataset_of(published)) if t.id == "general-budget")
    assert data == table_object(expected)


def test_every_public_page_has_json(published: Any) -> None:
    client = Client()
    index = client.get("/p/104/2021/site/index.html?format=json").json()
    pages = ["index.html", "tables/index.html", "projects/index.html", "explanation.html"]
    pages += [t["page"] for t in index["tables"]] + [p["page"] for p in index["projects"]]
    for page in pages:
        response = client.get(f"/p/104/2021/site/{page}?format=json")
        assert response.status_code == 200, page
        assert response["Content-Type"] == "application/json"


def test_findings_are_never_public(published: Any) -> None:
    client = Client()
    # the seed has 3 fatal findings; none of them may reach the public
    for page in ("index.html", "downloads.html", "findings.html"):
        response = client.get(f"/p/104/2021/site/{page}")
        if page == "findings.html":
            assert response.status_code == 404
        else:
            text = response.content.decode()
            assert "检查结果" not in text and "IND-008" not in text
    assert client.get("/p/104/2021/检查结果.html").status_code == 404


def test_the_downloads_are_the_cores_package(published: Any) -> None:
    client = Client()
    downloads = client.get("/p/104/2021/site/downloads.html?format=json").json()
    paths = sorted(d["path"] for d in downloads)
    assert paths == [
        "data/datapackage.json",
        "data/tables.json",
        "中共临汾市委组织部2021年部门预算.pdf",
        "中共临汾市委组织部2021年部门预算.xlsx",
    ]
    page = client.get("/p/104/2021/site/downloads.html").content.decode()
    links = [
        urljoin("/p/104/2021/site/downloads.html", h) for h in re.findall(r'href="([^"]+)"', page)
    ]
    linked = [link for link in links if link.endswith("tables.json")]
    assert linked and client.get(linked[0]).status_code == 200
    workbook = client.get("/p/104/2021/" + paths[3])
    assert workbook.status_code == 200
    assert b"".join(workbook.streaming_content)[:2] == b"PK"
    pdf = client.get("/p/104/2021/" + paths[2])
    assert b"".join(pdf.streaming_content)[:5] == b"%PDF-"
    tables = client.get("/p/104/2021/data/tables.json")
    assert json.loads(b"".join(tables.streaming_content))[0]["id"] == "income-expenditure"


def test_unpublished_missing_and_outside_paths_are_not_found(published: Any, world: Any) -> None:
    client = Client()
    assert client.get("/p/201/2021/site/index.html").status_code == 404  # a draft
    assert client.get("/p/104/2020/site/index.html").status_code == 404
    assert client.get("/p/104/2021/site/nothing.html").status_code == 404
    assert client.get("/p/104/2021/site/static/../../__init__.py").status_code == 404
    assert client.get("/p/104/2021/../../settings.py").status_code == 404


def test_the_site_assets_are_served(published: Any) -> None:
    from yusuan.render.site import STATIC

    asset = next(p for p in sorted(STATIC.rglob("*.css")))
    relative = asset.relative_to(STATIC).as_posix()
    response = Client().get(f"/p/104/2021/site/static/{relative}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == asset.read_bytes()


def test_the_api_schema_and_the_public_list(published: Any) -> None:
    schema = Client().get("/api/openapi.json").json()
    assert "/api/budgets/" in schema["paths"]
    assert "/api/budgets/{budget_id}/lines/{line_id}" in schema["paths"]
    listed = Client().get("/api/public/budgets").json()
    assert [(b["department_code"], b["year"]) for b in listed] == [("104", 2021)]
