"""Review comments anchored to a line, a project or a finding: shown beside it to the reviewer
and the officer, kept across versions while the anchor exists, refused outside the scope."""

from __future__ import annotations

from typing import Any

import pytest
from test_web_permissions import OTHER, OWN
from webkit import client_for

from yusuan.web.budgets import models as db
from yusuan.web.budgets.comments import finding_ref, line_key
from yusuan.web.budgets.entry import report_of
from yusuan.web.budgets.permissions import Action

pytestmark = pytest.mark.django_db


def _comment(client: Any, budget: db.Budget, anchor: str, ref: object, text: str) -> Any:
    return client.post(
        f"/work/b/{budget.pk}/comment/", {"anchor": anchor, "ref": str(ref), "text": text}
    )


def test_a_comment_on_a_line_shows_beside_it_to_the_reviewer_and_the_officer(world: Any) -> None:
    line = world.a.lines.get(row=2)  # 201001 2013201 30101 人员经费
    other = world.a.lines.get(row=3)
    reviewer = client_for(world.users["department"])
    response = _comment(reviewer, world.a, "line", line.pk, "人员经费请附编制人数")
    assert response.status_code == 302
    saved = world.a.comments.get()
    assert (saved.anchor, saved.key, saved.author.username) == ("line", line_key(line), "dept")
    assert saved.target.startswith("第2行")
    # the reviewer's list of lines: beside line 2, not beside line 3
    page = reviewer.get(f"/work/b/{world.a.pk}/lines/").content.decode()
    row2 = page.split(f'id="line-{line.pk}"')[1].split("</tr>")[0]
    row3 = page.split(f'id="line-{other.pk}"')[1].split("</tr>")[0]
    assert "人员经费请附编制人数" in row2 and "dept" in row2
    assert saved.at.astimezone().strftime("%Y-%m-%d") in row2
    assert "人员经费请附编制人数" not in row3
    # the officer's entry form of that line shows it; that of line 3 does not
    officer = client_for(world.users["unit_officer"])
    form = officer.get(f"/work/b/{world.a.pk}/lines/{line.pk}/").content.decode()
    assert "人员经费请附编制人数" in form.split('id="notes"')[1].split('id="findings-general"')[0]
    assert (
        "人员经费请附编制人数"
        not in officer.get(f"/work/b/{world.a.pk}/lines/{other.pk}/").content.decode()
    )
    # and the budget page lists it among the comments on lines
    budget_page = reviewer.get(f"/work/b/{world.a.pk}/").content.decode()
    assert "人员经费请附编制人数" in budget_page.split('id="row-comments"')[1]


def test_a_comment_on_a_finding_shows_beside_the_finding(world: Any) -> None:
    line = world.a.lines.get(row=2)
    db.Line.objects.filter(pk=line.pk).update(economic_code="30299")  # CAT-011 on row 2
    finding = next(f for f in report_of(world.a).findings if f.rule == "CAT-011")
    ref = finding_ref(finding)
    reviewer = client_for(world.users["business_office"])
    assert (
        _comment(reviewer, world.a, "finding", ref, "请说明为何列入商品和服务支出").status_code
        == 302
    )
    assert world.a.comments.get().key == ref
    page = reviewer.get(f"/work/b/{world.a.pk}/").content.decode()
    beside = page.split(f'data-finding="{ref}"')[1].split("</tr>")[0]
    assert "请说明为何列入商品和服务支出" in beside and "office" in beside
    officer = client_for(world.users["unit_officer"])
    form = officer.get(f"/work/b/{world.a.pk}/lines/{line.pk}/").content.decode()
    notes = form.split('id="notes"')[1].split('id="findings-general"')[0]
    assert 'data-rule="CAT-011"' in notes and "请说明为何列入商品和服务支出" in notes
    # once fixed, the finding is gone: the comment stays on the budget page, marked as detached
    db.Line.objects.filter(pk=line.pk).update(economic_code="30101")
    page = reviewer.get(f"/work/b/{world.a.pk}/").content.decode()
    assert "请说明为何列入商品和服务支出" in page.split('id="detached"')[1]


def test_a_comment_on_a_project_shows_in_the_project_list_and_form(world: Any) -> None:
    project = world.a.projects.get(name="干部培训经费")
    reviewer = client_for(world.users["performance"])
    assert _comment(reviewer, world.a, "project", project.pk, "绩效目标偏低").status_code == 302
    page = reviewer.get(f"/work/b/{world.a.pk}/projects/").content.decode()
    assert "绩效目标偏低" in page.split(f'id="project-{project.pk}"')[1].split("</tr>")[0]
    form = client_for(world.users["unit_officer"]).get(
        f"/work/b/{world.a.pk}/projects/{project.pk}/"
    )
    assert "绩效目标偏低" in form.content.decode()


def test_comments_follow_their_line_into_an_adjusted_version_while_it_exists(world: Any) -> None:
    from yusuan.web.budgets.entry import save_line
    from yusuan.web.budgets.workflow import adjust

    kept, changed = world.a.lines.get(row=2), world.a.lines.get(row=3)
    reviewer = client_for(world.users["department"])
    _comment(reviewer, world.a, "line", kept.pk, "保留的意见")
    _comment(reviewer, world.a, "line", changed.pk, "这一行将被改掉")
    db.Budget.objects.filter(pk=world.a.pk).update(status=db.Status.PUBLISHED)
    world.a.refresh_from_db()
    new = adjust(world.users["department"], world.a, "追加预算")
    moved = new.lines.get(row=3)
    fields = {"economic_code": "30102" if moved.economic_code != "30102" else "30103"}
    save_line(new, moved, fields, moved.revision)
    page = reviewer.get(f"/work/b/{new.pk}/lines/").content.decode()
    row2 = page.split(f'id="line-{new.lines.get(row=2).pk}"')[1].split("</tr>")[0]
    assert "保留的意见" in row2 and "第1版" in row2
    assert "这一行将被改掉" not in page
    # the old version keeps both, beside their lines
    old = reviewer.get(f"/work/b/{world.a.pk}/lines/").content.decode()
    assert "保留的意见" in old and "这一行将被改掉" in old


@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize("role", sorted(OWN))
def test_comment_permission_matrix(world: Any, role: str, where: str) -> None:
    """Each role comments on a line of its own or another department's budget: allowed exactly
    where the matrix grants COMMENT; 403 where it may only look; 404 where it may not see."""
    budget = world.a if where == "own" else world.b
    expected = (OWN if where == "own" else OTHER)[role]
    line = budget.lines.get(row=2)
    response = _comment(client_for(world.users[role]), budget, "line", line.pk, "意见")
    status = 302 if Action.COMMENT in expected else 403 if Action.VIEW in expected else 404
    assert response.status_code == status
    assert budget.comments.count() == (1 if status == 302 else 0)


def test_an_anchor_outside_the_budget_or_a_gone_finding_is_refused(world: Any) -> None:
    reviewer = client_for(world.users["department"])
    foreign = world.b.lines.get(row=2)
    cases = [
        ("line", foreign.pk, "没有这一行"),  # a line of another budget
        ("finding", "CAT-011@budget_lines.csv:2", "没有这项检查结果"),  # the clean budget has none
        ("project", "abc", "没有这个项目"),
        ("elsewhere", "1", "意见的对象只能是"),  # not an anchor: the form refuses it
    ]
    for anchor, ref, message in cases:
        url = f"/work/b/{world.a.pk}/comment/"
        data = {"anchor": anchor, "ref": str(ref), "text": "意见"}
        page = reviewer.post(url, data, follow=True).content.decode()
        assert message in page, (anchor, ref)
    assert not world.a.comments.exists() and not world.b.comments.exists()


def test_the_way_back_after_a_comment_stays_on_this_site(world: Any) -> None:
    reviewer = client_for(world.users["department"])
    line = world.a.lines.get(row=2)
    url = f"/work/b/{world.a.pk}/comment/"
    data = {"anchor": "line", "ref": str(line.pk), "text": "x"}
    back = reviewer.post(url, {**data, "next": f"/work/b/{world.a.pk}/lines/"})
    assert back["Location"] == f"/work/b/{world.a.pk}/lines/"
    away = reviewer.post(url, {**data, "next": "https://elsewhere.example/"})
    assert away["Location"] == f"/work/b/{world.a.pk}/"


def test_the_api_lists_and_takes_anchored_comments_with_the_same_rules(world: Any) -> None:
    line = world.a.lines.get(row=2)
    reviewer = client_for(world.users["department"])
    url = f"/api/budgets/{world.a.pk}/comments"
    body = {"anchor": "line", "ref": str(line.pk), "text": "请核对金额"}
    made = reviewer.post(url, body, content_type="application/json")
    assert made.status_code == 201, made.content
    answer = made.json()
    assert (answer["anchor"], answer["key"], answer["author"]) == ("line", line_key(line), "dept")
    listed = client_for(world.users["unit_officer"]).get(url).json()
    assert [c["text"] for c in listed] == ["请核对金额"]
    # the officer may read but not comment; another department's reviewer does not see it
    officer = client_for(world.users["unit_officer"])
    assert officer.post(url, body, content_type="application/json").status_code == 403
    outsider = client_for(world.officer_b)
    assert outsider.get(url).status_code == 404
    gone = {"anchor": "line", "ref": "²", "text": "x"}
    refused = reviewer.post(url, gone, content_type="application/json")
    assert refused.status_code == 422 and "没有这一行" in str(refused.json()["detail"])
