"""Last year from the database (the prior-year figures of last year's budget), the comparison
columns chosen in the settings form, and 目录年度 (the catalogue year of a budget year).

Two years of the example: 2021 as the seed has it (approved), 2022 the same budget one year later
(a draft). Expected figures are the seed's (本年收入合计 123,478,300.00 元, 201 一般公共服务支出
39,183,000.00 元, 一般公共预算 64,238,300.00 元, 基本支出 9,922,700.00 元) and hand sums."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from webkit import client_for

from paths import EXAMPLE
from yusuan.dataset import load_dataset, save_dataset
from yusuan.model.records import Dataset
from yusuan.rules import check_dataset
from yusuan.tables import build_tables
from yusuan.web.budgets import models as db
from yusuan.web.budgets.convert import (
    catalog_year_problem,
    create_budget,
    dataset_of,
    prior_budget,
    stored_dataset_of,
)
from yusuan.web.budgets.entry import report_with_line
from yusuan.web.budgets.publication import fingerprint

pytestmark = pytest.mark.django_db

# the 2022 line made larger: row 30 of the seed (1040010 2013250 基本支出 一般公共预算 89,000.00)
GROWN_ROW = 30
GROWTH_FEN = 1_500_000_000  # 15,000,000.00 元: 12.15% of 本年收入合计, 38.28% of 201
# every change the growth brings over the threshold (≥10% and ≥10万元):
# 本年收入合计/本年支出合计 123,478,300 -> 138,478,300 (12.15%); 基本支出 9,922,700 ->
# 24,922,700; 一般公共预算 64,238,300 -> 79,238,300 (23.35%); 201 39,183,000 -> 54,183,000
REASONS = (
    "## 变动原因\n\n"
    "- 本年收入合计：新增专项工作任务\n"
    "- 本年支出合计：新增专项工作任务\n"
    "- 基本支出：新增专项工作任务\n"
    "- 一般公共预算：新增专项工作任务\n"
    "- 201：新增专项工作任务\n"
)


def _year(dataset: Dataset, year: int) -> Dataset:
    return dataclasses.replace(dataset, manifest=dataclasses.replace(dataset.manifest, year=year))


@pytest.fixture
def years() -> tuple[db.Budget, db.Budget]:
    example = load_dataset(EXAMPLE)
    last = create_budget(example, status=db.Status.APPROVED)
    return last, create_budget(_year(example, 2022))


def _grow(budget: db.Budget) -> db.Line:
    line = budget.lines.get(row=GROWN_ROW)
    line.amount_fen += GROWTH_FEN
    line.save()
    return line


def _exp003(dataset: Dataset) -> list[str]:
    return [f.message_zh for f in check_dataset(dataset).findings if f.rule == "EXP-003"]


def _figures(dataset: Dataset) -> dict[tuple[str, str], Decimal]:
    return {(f.category, f.key): f.amount for f in dataset.prior_year}


def test_the_2022_check_has_the_figures_of_the_2021_budget(years: Any) -> None:
    last, this = years
    assert prior_budget(this) == last
    assert prior_budget(last) is None
    figures = _figures(dataset_of(this))
    assert figures[("合计", "本年收入合计")] == Decimal("123478300.00")
    assert figures[("功能分类", "201")] == Decimal("39183000.00")
    assert figures[("收入来源", "一般公共预算")] == Decimal("64238300.00")
    # the budget's own rows are unchanged: the figures are derived, never stored
    assert stored_dataset_of(this).prior_year == ()
    assert not db.PriorYear.objects.filter(budget=this).exists()
    # the same budget both years: no change needs a reason
    assert _exp003(dataset_of(this)) == []


def test_a_large_change_without_reason_is_shown_and_the_reason_silences_it(
    years: Any, make_user: Any
) -> None:
    _last, this = years
    _grow(this)
    found = _exp003(dataset_of(this))
    assert len(found) == 5
    income = next(m for m in found if "“本年收入合计”" in m)
    assert "本年13,847.83万元，上年12,347.83万元，变动1,500.00万元（12.15%）" in income
    assert any("“一般公共服务支出”本年5,418.30万元，上年3,918.30万元" in m for m in found)
    reviewer = make_user("perf", "performance")
    page = client_for(reviewer).get(f"/work/b/{this.pk}/").content.decode()
    assert page.count("data-rule='EXP-003'") == 5  # one finding a change, as any finding
    assert "与上年比较" in page and "2021年部门预算第1版（已批复）" in page
    assert "12,347.83" in page  # the change table: last year's 本年收入合计 in 万元
    this.narrative_text = REASONS
    this.save()
    assert _exp003(dataset_of(this)) == []
    page = client_for(reviewer).get(f"/work/b/{this.pk}/").content.decode()
    assert "data-rule='EXP-003'" not in page
    assert "新增专项工作任务" in page  # the reason beside its change


def test_the_live_check_compares_the_unsaved_line_with_last_year(years: Any) -> None:
    _last, this = years
    line = this.lines.get(row=GROWN_ROW)
    line.amount_fen += GROWTH_FEN  # not saved
    report = report_with_line(this, line)
    assert len([f for f in report.findings if f.rule == "EXP-003"]) == 5
    assert _exp003(dataset_of(this)) == []


def test_the_decided_version_of_last_year_is_used(years: Any, make_user: Any) -> None:
    last, this = years
    draft = create_budget(load_dataset(EXAMPLE))  # 2021 version 2, a draft
    assert draft.version == 2
    assert prior_budget(this) == last  # the approved version, not the newer draft
    last.status = db.Status.UNIT_SUBMITTED
    last.save()
    assert prior_budget(this) == draft  # none decided: the latest version
    page = client_for(make_user("perf", "performance")).get(f"/work/b/{this.pk}/").content
    assert "2021年部门预算第2版（编制中）" in page.decode()
    assert "上年预算尚未批复" in page.decode()


def test_a_typed_figure_that_disagrees_is_a_notice_and_the_budget_wins(
    years: Any, make_user: Any
) -> None:
    _last, this = years
    db.PriorYear.objects.create(
        budget=this, row=2, category="合计", key="本年收入合计", amount_fen=100
    )
    db.PriorYear.objects.create(budget=this, row=3, category="其他", key="某项", amount_fen=500)
    figures = _figures(dataset_of(this))
    assert figures[("合计", "本年收入合计")] == Decimal("123478300.00")
    assert figures[("其他", "某项")] == Decimal("5.00")  # another key: kept as typed
    page = client_for(make_user("perf", "performance")).get(f"/work/b/{this.pk}/").content
    assert "与上年数据集“2021年部门预算第1版（已批复）”的表计算得" in page.decode()


def test_the_published_site_and_the_export_compare_with_last_year(
    years: Any, make_user: Any, tmp_path: Path
) -> None:
    _last, this = years
    _grow(this)
    this.prior_columns = "上年预算数、增减额、增减%"
    this.save()
    table = next(t for t in build_tables(dataset_of(this)) if t.id == "expenditure")
    total = table.total_row()
    assert total is not None
    assert total.values["prior_total"] == Decimal("123478300.00")
    assert total.values["change_total"] == Decimal("15000000.00")
    officer = make_user("perf", "performance")
    page = client_for(officer).get(f"/work/b/{this.pk}/site/explanation.html").content.decode()
    # the explanation's change sentence (138,478,300 − 123,478,300 = 15,000,000 元: 12.15%)
    assert "本年收入合计13,847.83万元，与上年相比增加1,500.00万元，增长12.15%" in page
    assert "项目支出11,355.56万元，与上年预算持平" in page
    export = client_for(officer).get(f"/work/b/{this.pk}/export/")
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(export.streaming_content))
    exported = load_dataset(path)
    assert _figures(exported)[("合计", "本年收入合计")] == Decimal("123478300.00")
    # the export, checked on its own, says what the web check says
    assert _exp003(exported) == _exp003(dataset_of(this))


def test_the_package_is_rebuilt_when_last_years_budget_changes(years: Any) -> None:
    last, this = years
    before = fingerprint(this)
    last.status = db.Status.PUBLISHED
    last.save()
    assert fingerprint(this) != before


def test_adjusting_does_not_store_the_derived_figures(years: Any, make_user: Any) -> None:
    from yusuan.web.budgets.workflow import adjust

    _last, this = years
    this.status = db.Status.APPROVED
    this.save()
    new = adjust(make_user("dept", "department", department=this.department), this, "调整")
    assert not db.PriorYear.objects.filter(budget=new).exists()
    assert _figures(dataset_of(new)) == _figures(dataset_of(this))


# --- the comparison columns in the settings form -----------------------------------------------


def test_an_officer_chooses_the_comparison_columns(years: Any, make_user: Any) -> None:
    _last, this = years
    officer = make_user("officer", "unit_officer", unit=this.department.units.first())
    url = f"/work/b/{this.pk}/settings/"
    form = client_for(officer).get(url).content.decode()
    for label in ("上年预算数", "增减额", "增减%"):
        assert label in form
    posted = client_for(officer).post(
        url, {"prior_columns": ["change_pct", "prior"], "revision": this.revision}
    )
    assert posted.status_code == 302
    this.refresh_from_db()
    assert this.prior_columns == "上年预算数、增减%"  # printing order, whatever the order sent
    assert dataset_of(this).manifest.prior_columns == ("prior", "change_pct")
    page = client_for(officer).get(f"/work/b/{this.pk}/site/tables/index.html")
    assert page.status_code == 200
    tables = client_for(officer).get(f"/api/budgets/{this.pk}/tables").json()
    spending = next(t for t in tables if t["id"] == "expenditure")
    labels = " ".join(str(c) for c in spending["columns"])
    assert "上年预算数" in labels and "增减%" in labels and "增减额" not in labels
    # none chosen: no columns
    client_for(officer).post(url, {"revision": this.revision})
    this.refresh_from_db()
    assert this.prior_columns == ""


def test_another_departments_settings_are_not_found(world: Any) -> None:
    client = client_for(world.users["unit_officer"])
    url = f"/work/b/{world.b.pk}/settings/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"prior_columns": ["prior"]}).status_code == 404
    world.b.refresh_from_db()
    assert world.b.prior_columns == ""


def test_only_who_may_edit_the_draft_changes_the_settings(years: Any, make_user: Any) -> None:
    last, this = years
    reviewer = make_user("perf", "performance")
    url = f"/work/b/{this.pk}/settings/"
    assert client_for(reviewer).post(url, {"prior_columns": ["prior"]}).status_code == 403
    officer = make_user("officer", "unit_officer", unit=last.department.units.first())
    # the approved 2021 version is not a draft
    assert client_for(officer).get(f"/work/b/{last.pk}/settings/").status_code == 403
    stale = client_for(officer).post(url, {"prior_columns": ["prior"], "revision": 99})
    assert stale.status_code == 200 and "保存失败" in stale.content.decode()
    this.refresh_from_db()
    assert this.prior_columns == ""
    assert client_for(officer).post(url, {"prior_columns": ["其他"]}).status_code == 200


# --- 目录年度 -----------------------------------------------------------------------------


def _spending_names(dataset: Dataset) -> dict[str, str]:
    table = next(t for t in build_tables(dataset) if t.id == "expenditure")
    return {row.code: row.name for row in table.rows if row.code}


def test_the_catalogue_year_of_a_budget_year_goes_into_the_manifest(years: Any) -> None:
    _last, this = years
    assert dataset_of(this).catalog_year == 2022
    assert _spending_names(dataset_of(this))["20805"] == "行政事业单位养老支出"
    before = fingerprint(this)
    db.CatalogYear.objects.create(budget_year=2022, catalog_year=2019)
    assert dataset_of(this).manifest.catalog_year == 2019
    # function/history.csv: 20805's name up to 2019
    assert _spending_names(dataset_of(this))["20805"] == "行政事业单位离退休"
    assert fingerprint(this) != before


def test_the_admin_refuses_a_year_without_catalogue_data(make_user: Any) -> None:
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("root", password="pw-root-2026")
    client = client_for(admin)
    page = client.post(
        "/admin/budgets/catalogyear/add/", {"budget_year": 2022, "catalog_year": 2017}
    )
    assert page.status_code == 200
    assert "2017年没有分类目录数据" in page.content.decode()
    assert not db.CatalogYear.objects.exists()
    done = client.post(
        "/admin/budgets/catalogyear/add/", {"budget_year": 2022, "catalog_year": 2021}
    )
    assert done.status_code == 302
    assert db.CatalogYear.objects.get().catalog_year == 2021


def test_a_dataset_naming_another_catalogue_year_is_refused(years: Any) -> None:
    _last, this = years
    db.CatalogYear.objects.create(budget_year=2022, catalog_year=2021)
    dataset = stored_dataset_of(this)
    assert dataset.manifest.catalog_year == 2021
    assert catalog_year_problem(dataset) == ""
    assert catalog_year_problem(_catalog(dataset, 0)) == ""  # none named: the bureau's is used
    other = _catalog(dataset, 2019)
    assert catalog_year_problem(other).startswith(
        "数据集的目录年度为2019年，财政部门为2022年预算设定的目录年度为2021年"
    )
    with pytest.raises(ValueError, match="目录年度"):
        create_budget(other)


def _importer(budget: db.Budget, make_user: Any) -> Any:
    """An officer of every top unit: may edit every unit's rows, so may import."""
    top = list(budget.department.units.filter(parent=None))
    user = make_user("importer", "unit_officer", unit=top[0])
    for unit in top[1:]:
        db.RoleAssignment.objects.create(user=user, role="unit_officer", unit=unit)
    return user


def test_the_import_page_refuses_another_catalogue_year(
    years: Any, make_user: Any, tmp_path: Path
) -> None:
    _last, this = years
    db.CatalogYear.objects.create(budget_year=2022, catalog_year=2021)
    path = tmp_path / "book.xlsx"
    save_dataset(_catalog(stored_dataset_of(this), 2019), path)
    lines_before = this.lines.count()
    with path.open("rb") as handle:
        page = client_for(_importer(this, make_user)).post(
            f"/work/b/{this.pk}/import/", {"workbook": handle}
        )
    assert page.status_code == 200
    assert "数据集的目录年度为2019年，财政部门为2022年预算设定的目录年度为2021年" in (
        page.content.decode()
    )
    assert this.lines.count() == lines_before


def test_a_flat_import_does_not_store_the_derived_figures(years: Any, make_user: Any) -> None:
    _last, this = years
    client = client_for(_importer(this, make_user))
    flat = client.get(f"/work/b/{this.pk}/yitihua/export/").content
    upload = SimpleUploadedFile("一体化.csv", flat, content_type="text/csv")
    response = client.post(f"/work/b/{this.pk}/yitihua/import/", {"flat": upload})
    assert response.status_code == 302
    assert not db.PriorYear.objects.filter(budget=this).exists()
    assert _figures(dataset_of(this))[("合计", "本年收入合计")] == Decimal("123478300.00")


def _catalog(dataset: Dataset, year: int) -> Dataset:
    manifest = dataclasses.replace(dataset.manifest, catalog_year=year)
    return dataclasses.replace(dataset, manifest=manifest)


def test_a_draft_of_last_year_is_read_again_after_each_save() -> None:
    """Last year's figures are worked out once per state of last year's budget: a draft saved
    again (its revision moves on) gives its new figures, never the ones worked out before."""
    example = load_dataset(EXAMPLE)
    last = create_budget(example)  # still a draft
    this = create_budget(_year(example, 2022))
    assert _figures(dataset_of(this))[("合计", "本年收入合计")] == Decimal("123478300.00")
    _grow(last)
    db.Budget.objects.filter(pk=last.pk).update(revision=F("revision") + 1)  # as a save does
    # 123,478,300.00 + 15,000,000.00 (GROWTH_FEN) = 138,478,300.00
    assert _figures(dataset_of(this))[("合计", "本年收入合计")] == Decimal("138478300.00")
