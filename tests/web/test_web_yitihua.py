"""The budget page's 预算管理一体化 flat file: export, import all or nothing, permissions."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from webkit import client_for

from yusuan.dataset.yitihua import flat_csv_text
from yusuan.web.budgets.convert import dataset_of, to_fen

pytestmark = pytest.mark.django_db


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _upload(rows: list[list[str]], name: str = "一体化导出.csv") -> SimpleUploadedFile:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def test_export_is_the_cores_flat_file_in_either_header_style(world: Any) -> None:
    client = client_for(world.child_officer)  # may see the budget: may export it
    response = client.get(f"/work/b/{world.a.pk}/yitihua/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    assert content.decode("utf-8-sig") == flat_csv_text(dataset_of(world.a))
    rows = _rows(content)
    assert rows[0][:2] == ["FISCAL_YEAR", "AGENCY_CODE"]
    assert len(rows) == 1 + world.a.lines.count()
    chinese = _rows(client.get(f"/work/b/{world.a.pk}/yitihua/export/?headers=chinese").content)
    assert chinese[0][:2] == ["预算年度", "单位代码"]


def test_import_replaces_the_lines_and_keeps_projects_and_indicators(world: Any) -> None:
    client = client_for(world.users["unit_officer"])
    rows = _rows(client.get(f"/work/b/{world.a.pk}/yitihua/export/").content)
    amount_at = rows[0].index("AMT")
    rows[1][amount_at] = "1234.56"
    projects, indicators = world.a.projects.count(), world.a.indicators.count()
    revision = world.a.revision
    response = client.post(f"/work/b/{world.a.pk}/yitihua/import/", {"flat": _upload(rows)})
    assert response.status_code == 302, response.content.decode()
    world.a.refresh_from_db()
    first = world.a.lines.order_by("row").first()
    assert first is not None and first.amount_fen == to_fen(Decimal("1234.56")) == 123456
    assert world.a.lines.count() == len(rows) - 1
    assert (world.a.projects.count(), world.a.indicators.count()) == (projects, indicators)
    assert world.a.revision == revision + 1


def test_a_bad_file_changes_nothing_and_every_problem_is_shown_located(world: Any) -> None:
    client = client_for(world.users["unit_officer"])
    rows = _rows(client.get(f"/work/b/{world.a.pk}/yitihua/export/").content)
    header = rows[0]
    rows[1][header.index("AMT")] = "12.345"
    rows[2][header.index("FUND_TYPE_CODE")] = "999"
    before = [(x.pk, x.amount_fen) for x in world.a.lines.order_by("row")]
    response = client.post(f"/work/b/{world.a.pk}/yitihua/import/", {"flat": _upload(rows)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "文件有以下 2 处问题，未导入" in page
    amount_cell = f"{chr(ord('A') + header.index('AMT'))}2"
    fund_cell = f"{chr(ord('A') + header.index('FUND_TYPE_CODE'))}3"
    assert f"一体化导出.csv 第2行 “AMT”列 （单元格 {amount_cell}）" in page
    assert f"一体化导出.csv 第3行 “FUND_TYPE_CODE”列 （单元格 {fund_cell}）" in page
    assert "资金性质代码“999”不在对照表" in page
    assert [(x.pk, x.amount_fen) for x in world.a.lines.order_by("row")] == before


def test_a_missing_column_is_refused_and_a_wrong_kind_of_file_too(world: Any) -> None:
    client = client_for(world.users["unit_officer"])
    response = client.post(
        f"/work/b/{world.a.pk}/yitihua/import/", {"flat": _upload([["AGENCY_CODE"], ["201001"]])}
    )
    assert "缺少必填列 EXP_FUNC_CODE（支出功能分类科目代码）" in response.content.decode()
    response = client.post(
        f"/work/b/{world.a.pk}/yitihua/import/",
        {"flat": SimpleUploadedFile("x.pdf", b"%PDF", content_type="application/pdf")},
    )
    assert "请上传 .csv 或 .xlsx 文件" in response.content.decode()


def test_only_who_may_edit_every_unit_imports_and_other_departments_see_nothing(
    world: Any,
) -> None:
    rows = _rows(
        client_for(world.users["unit_officer"]).get(f"/work/b/{world.a.pk}/yitihua/export/").content
    )
    officer = client_for(world.child_officer)  # edits 201002 only, not its parent 201001
    assert officer.get(f"/work/b/{world.a.pk}/yitihua/import/").status_code == 403
    response = officer.post(f"/work/b/{world.a.pk}/yitihua/import/", {"flat": _upload(rows)})
    assert response.status_code == 403
    reviewer = client_for(world.users["department"])  # sees the budget, edits no row
    assert (
        reviewer.post(f"/work/b/{world.a.pk}/yitihua/import/", {"flat": _upload(rows)}).status_code
        == 403
    )
    outsider = client_for(world.officer_b)
    assert outsider.get(f"/work/b/{world.a.pk}/yitihua/export/").status_code == 404
    assert (
        outsider.post(f"/work/b/{world.a.pk}/yitihua/import/", {"flat": _upload(rows)}).status_code
        == 404
    )
    assert client_for().get(f"/work/b/{world.a.pk}/yitihua/export/").status_code == 302


def test_a_budget_that_is_no_longer_a_draft_is_not_imported_into(world: Any) -> None:
    from yusuan.web.budgets import models as db

    client = client_for(world.users["unit_officer"])
    rows = _rows(client.get(f"/work/b/{world.a.pk}/yitihua/export/").content)
    db.Budget.objects.filter(pk=world.a.pk).update(status=db.Status.UNIT_SUBMITTED)
    before = [(x.pk, x.amount_fen) for x in world.a.lines.order_by("row")]
    response = client.post(f"/work/b/{world.a.pk}/yitihua/import/", {"flat": _upload(rows)})
    assert response.status_code == 403
    assert [(x.pk, x.amount_fen) for x in world.a.lines.order_by("row")] == before


def test_the_workbook_import_is_open_to_the_unit_whose_subtree_is_the_department(
    world: Any,
) -> None:
    """Both imports replace every unit's rows: the officer of the department's top unit (its
    subtree is every unit) may import a workbook, the officer of a child unit may not."""
    top = client_for(world.users["unit_officer"])
    assert top.get(f"/work/b/{world.a.pk}/import/").status_code == 200
    child = client_for(world.child_officer)
    assert child.get(f"/work/b/{world.a.pk}/import/").status_code == 403


def test_the_line_and_project_lists_print_amounts_as_people_read_them(world: Any) -> None:
    """Thousands separators and two decimals (the core's format_amount), and a heading over the
    column of edit links."""
    from yusuan.money import format_amount

    client = client_for(world.users["unit_officer"])
    project = world.a.projects.order_by("row").first()
    page = client.get(f"/work/b/{world.a.pk}/projects/").content.decode()
    assert "<th>操作</th>" in page
    shown = format_amount(Decimal(project.year_total) / 100)
    assert f'<td class="num">{shown}</td>' in page
    assert "," in shown  # the fixture's first project has 1,000.00 元 or more
