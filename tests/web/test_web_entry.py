"""Entry forms: saving, the live check beside the field, optimistic locking, the unit limit."""

from __future__ import annotations

import re
from typing import Any

import pytest
from webkit import client_for, line_data, live_check

from yusuan.web.budgets import models as db
from yusuan.web.budgets.entry import CONFLICT_MESSAGE

pytestmark = pytest.mark.django_db


def _line_post(line: db.Line, **changes: str) -> dict[str, object]:
    return line_data(line, **changes)


def test_an_officer_changes_a_line_and_the_history_keeps_who(world: Any) -> None:
    officer = world.users["unit_officer"]
    line = world.a.lines.get(row=2)  # 201001 2013201 30101 人员经费 1,200,000.00
    url = f"/work/b/{world.a.pk}/lines/{line.pk}/"
    assert client_for(officer).get(url).status_code == 200
    response = client_for(officer).post(url, _line_post(line, amount="1250000.50"))
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.amount_fen, line.revision) == (125000050, 1)
    latest = line.history.first()
    assert (latest.amount_fen, latest.history_user.username) == (125000050, "officer")


def test_the_second_of_two_saves_from_the_same_revision_is_refused(world: Any) -> None:
    line = world.a.lines.get(row=2)
    url = f"/work/b/{world.a.pk}/lines/{line.pk}/"
    first, second = client_for(world.users["unit_officer"]), client_for(world.users["unit_officer"])
    assert first.post(url, _line_post(line, amount="1300000.00")).status_code == 302
    refused = second.post(url, _line_post(line, amount="1100000.00"))
    assert refused.status_code == 200
    assert CONFLICT_MESSAGE in refused.content.decode()
    assert 'value="1100000.00"' in refused.content.decode()  # the input is kept in the form
    line.refresh_from_db()
    assert line.amount_fen == 130000000


def test_the_live_check_reports_what_the_unsaved_line_would_cause(world: Any) -> None:
    line = world.a.lines.get(row=2)  # 人员经费 must sit on 301/303 (rule CAT-011)
    url = f"/work/b/{world.a.pk}/lines/{line.pk}/"
    client = client_for(world.users["unit_officer"])
    checked = live_check(client, url, _line_post(line, economic_code="30299"))
    assert 'data-rule="CAT-011"' in checked["general"]
    assert "30299" in checked["general"]
    line.refresh_from_db()
    assert line.economic_code == "30101"  # a check saves nothing
    clean = live_check(client, url, _line_post(line))
    assert "CAT-011" not in clean["general"]
    # every field's box comes back (empty ones clear an earlier check's findings)
    assert clean["findings-amount"] == "" and "findings-economic_code" in clean


def test_the_live_check_shows_an_input_error_beside_its_field(world: Any) -> None:
    line = world.a.lines.get(row=2)
    url = f"/work/b/{world.a.pk}/lines/{line.pk}/"
    checked = live_check(
        client_for(world.users["unit_officer"]), url, _line_post(line, amount="1.234")
    )
    assert "finding" in checked["findings-amount"] and "2" in checked["findings-amount"]
    assert checked["findings-unit_code"] == ""


def test_the_live_check_needs_the_csrf_token(world: Any) -> None:
    line = world.a.lines.get(row=2)
    url = f"/work/b/{world.a.pk}/lines/{line.pk}/"
    client = client_for(world.users["unit_officer"], enforce_csrf_checks=True)
    refused = client.post(url, {**_line_post(line), "_check": "1"}, headers={"HX-Request": "true"})
    assert refused.status_code == 403
    page = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    data = {**_line_post(line), "csrfmiddlewaretoken": token.group(1)}
    assert "general" in live_check(client, url, data)


def test_a_bad_code_is_a_form_error_in_chinese(world: Any) -> None:
    line = world.a.lines.get(row=2)
    url = f"/work/b/{world.a.pk}/lines/{line.pk}/"
    response = client_for(world.users["unit_officer"]).post(
        url, _line_post(line, economic_code="301")
    )
    assert "经济分类科目应为5位款级编码" in response.content.decode()


def test_an_indicator_finding_appears_beside_the_indicator_and_goes_when_fixed(world: Any) -> None:
    project = world.a.projects.get(name="干部培训经费")  # 年度资金总额 500,000.00
    indicators = list(world.a.indicators.filter(project=project.name))
    url = f"/work/b/{world.a.pk}/projects/{project.pk}/"
    client = client_for(world.users["unit_officer"])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {k: "" if v is None else str(v) for k, v in form.initial.items()}
    data.update(
        {
            "ind-TOTAL_FORMS": str(len(indicators) + 1),
            "ind-INITIAL_FORMS": str(len(indicators)),
            "ind-MIN_NUM_FORMS": "0",
            "ind-MAX_NUM_FORMS": "1000",
        }
    )
    for n, i in enumerate(indicators):
        data.update(
            {
                f"ind-{n}-row": str(i.row),
                f"ind-{n}-period": i.period,
                f"ind-{n}-level": f"{i.level1}／{i.level2}",
                f"ind-{n}-name": i.name,
                f"ind-{n}-operator": i.operator,
                f"ind-{n}-value": i.value,
                f"ind-{n}-unit": i.unit,
            }
        )
    new = len(indicators)
    data.update(
        {
            f"ind-{new}-period": "年度",
            f"ind-{new}-level": "产出指标／成本指标",
            f"ind-{new}-name": "教材印制费",
            f"ind-{new}-operator": "<=",
            f"ind-{new}-value": "80",  # 80万元 on a 50万元 project: IND-008, fatal
            f"ind-{new}-unit": "万元",
        }
    )
    checked = live_check(client, url, data)
    assert "input-error" not in "".join(checked.values()), checked
    beside = checked[f"findings-ind-{new}"]
    assert 'data-rule="IND-008"' in beside and "教材印制费" in beside
    assert 'data-fatal="1"' in checked["general"]
    assert all("IND-008" not in checked[f"findings-ind-{n}"] for n in range(new))
    data[f"ind-{new}-value"] = "8"
    fixed = live_check(client, url, data)
    assert "IND-008" not in "".join(v for k, v in fixed.items() if k.startswith("findings-ind-"))
    assert client.post(url, data).status_code == 302
    saved = world.a.indicators.get(project=project.name, name="教材印制费")
    assert (saved.period, saved.level1, saved.level2, saved.operator, saved.value) == (
        "年度",
        "产出指标",
        "成本指标",
        "<=",
        "8",
    )


def test_an_officer_cannot_change_a_line_of_a_unit_above_its_own(world: Any) -> None:
    line = world.a.lines.filter(unit_code="201001").first()
    url = f"/work/b/{world.a.pk}/lines/{line.pk}/"
    client = client_for(world.child_officer)
    assert client.get(url).status_code == 403
    assert client.post(url, _line_post(line, amount="1.00")).status_code == 403
    line.refresh_from_db()
    assert line.amount_fen != 100


def test_a_submitted_budget_has_no_edit_form(world: Any) -> None:
    from yusuan.web.budgets.workflow import take

    take(world.users["unit_reviewer"], world.a, "submit")
    line = world.a.lines.get(row=2)
    response = client_for(world.users["unit_officer"]).post(
        f"/work/b/{world.a.pk}/lines/{line.pk}/", _line_post(line, amount="1.00")
    )
    assert response.status_code == 403


def test_rows_pasted_from_excel_are_read_by_the_core_all_or_nothing(world: Any) -> None:
    url = f"/work/b/{world.a.pk}/lines/paste/"
    client = client_for(world.users["unit_officer"])
    before = world.a.lines.count()  # 21 lines: the pasted rows are rows 23 and 24 of the file
    bad = "201001\t2013201\t30201\t一般公共预算\t基本支出\t公用经费\t\t5000.00\t\n"
    bad += (
        "201002\t2013250\t30201\t一般公共预算\t基本支出\t公用经费\t\t12.345\t"  # a fraction of a 分
    )
    refused = client.post(url, {"rows": bad}).content.decode()
    assert "budget_lines.csv 第24行 “金额（元）”列" in refused
    assert world.a.lines.count() == before
    good = "金额（元）\t单位编码\t功能分类科目编码\t部门经济分类科目编码\t资金来源\t支出类型\t基本支出类别\n"
    good += "5000.00\t201002\t2013250\t30201\t一般公共预算\t基本支出\t公用经费"
    assert client.post(url, {"rows": good}).status_code == 302
    added = world.a.lines.get(row=before + 2)
    assert (added.unit_code, added.economic_code, added.amount_fen) == ("201002", "30201", 500000)


def test_a_unit_cannot_paste_rows_of_another_unit(world: Any) -> None:
    url = f"/work/b/{world.a.pk}/lines/paste/"
    rows = "201001\t2013201\t30201\t一般公共预算\t基本支出\t公用经费\t\t5000.00\t"
    response = client_for(world.child_officer).post(url, {"rows": rows}).content.decode()
    assert "只能粘贴本单位" in response
