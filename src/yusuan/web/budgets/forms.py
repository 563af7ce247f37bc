"""Entry forms: labels, choices and shapes come from the core's data (dataset schema, funding
sources, performance framework); amounts are entered in 元 with at most two decimals."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.validators import RegexValidator

from yusuan.catalog.loader import funding_sources
from yusuan.catalog.performance import performance_framework
from yusuan.dataset.schema import BASIC_CATEGORIES, EXPENSE_KINDS, LINES, PERIODS, PROJECTS
from yusuan.web.budgets import models as db
from yusuan.web.budgets.convert import to_fen, to_yuan


def _label(kind: Any, attr: str) -> str:
    return str(kind.column(attr).header)


def _choices(values: Iterable[str], blank: bool = False) -> list[tuple[str, str]]:
    return ([("", "—")] if blank else []) + [(v, v) for v in values]


def indicator_levels() -> list[tuple[str, str]]:
    """The framework's 一级/二级 pairs as choices (``一级／二级``), in the framework's order."""
    seen: list[str] = []
    for entry in performance_framework().entries:
        if entry.level2:
            pair = f"{entry.level1}／{entry.level2}"
            if pair not in seen:
                seen.append(pair)
    return _choices(seen, True)


class AmountField(forms.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)


class RevisionForm(forms.Form):
    """Every edit form carries the row's revision, for optimistic locking."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class LineForm(RevisionForm):
    unit_code = forms.ChoiceField(label=_label(LINES, "unit_code"))
    function_code = forms.CharField(
        label=_label(LINES, "function_code"),
        validators=[RegexValidator(r"^\d{7}$", "功能分类科目应为7位项级编码")],
    )
    economic_code = forms.CharField(
        label=_label(LINES, "economic_code"),
        validators=[RegexValidator(r"^\d{5}$", "经济分类科目应为5位款级编码")],
    )
    source = forms.ChoiceField(label=_label(LINES, "source"))
    kind = forms.ChoiceField(label=_label(LINES, "kind"), choices=_choices(EXPENSE_KINDS))
    category = forms.ChoiceField(
        label=_label(LINES, "category"), choices=_choices(BASIC_CATEGORIES, True), required=False
    )
    project = forms.CharField(label=_label(LINES, "project"), required=False, max_length=200)
    amount = AmountField(label=_label(LINES, "amount"))
    note = forms.CharField(label=_label(LINES, "note"), required=False, max_length=500)

    def __init__(self, *args: Any, units: Iterable[db.Unit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit_code"].choices = [(u.code, f"{u.code} {u.name}") for u in units]
        self.fields["source"].choices = _choices(s.name for s in funding_sources())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == "基本支出" and not data.get("category"):
            self.add_error("category", "基本支出须填写基本支出类别（人员经费或公用经费）")
        if data.get("kind") == "项目支出" and not data.get("project"):
            self.add_error("project", "项目支出须填写项目名称")
        return data

    def row_fields(self) -> dict[str, object]:
        data = self.cleaned_data
        fields = {k: data[k] for k in ("unit_code", "function_code", "economic_code", "source")}
        fields.update(
            kind=data["kind"],
            category=data["category"] if data["kind"] == "基本支出" else "",
            project=data["project"].strip(),
            amount_fen=to_fen(data["amount"]),
            note=data["note"],
        )
        return fields

    @staticmethod
    def initial_of(line: db.Line) -> dict[str, object]:
        fields = ("unit_code", "function_code", "economic_code", "source", "kind", "category")
        return {
            **{k: getattr(line, k) for k in fields},
            "project": line.project,
            "amount": to_yuan(line.amount_fen),
            "note": line.note,
            "revision": line.revision,
        }


PROJECT_TEXTS = ("overview", "basis", "necessity", "measures", "plan", "period_goal", "year_goal")
PROJECT_PLAIN = ("attribute", "period", "person_in_charge", "handler", "phone", "note")


class ProjectForm(RevisionForm):
    name = forms.CharField(label=_label(PROJECTS, "name"), max_length=200)
    code = forms.RegexField(
        label=_label(PROJECTS, "code"),
        required=False,
        max_length=50,
        regex=r"^[0-9A-Za-z]*$",
        error_messages={"invalid": "项目代码只能包含字母和数字"},
    )
    implementing_unit = forms.ChoiceField(label=_label(PROJECTS, "implementing_unit"))
    attribute = forms.ChoiceField(
        label=_label(PROJECTS, "attribute"), choices=_choices(("新增项目", "延续项目"))
    )
    period = forms.CharField(label=_label(PROJECTS, "period"), max_length=20)
    person_in_charge = forms.CharField(
        label=_label(PROJECTS, "person_in_charge"), required=False, max_length=50
    )
    handler = forms.CharField(label=_label(PROJECTS, "handler"), required=False, max_length=50)
    phone = forms.CharField(label=_label(PROJECTS, "phone"), required=False, max_length=50)
    filled_on = forms.DateField(label=_label(PROJECTS, "filled_on"), required=False)
    note = forms.CharField(label=_label(PROJECTS, "note"), required=False, max_length=500)

    def __init__(self, *args: Any, units: Iterable[db.Unit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = sorted({u.name for u in units})
        self.fields["implementing_unit"].choices = _choices(names)
        for period in ("period", "year"):
            for part in db.FUND_PARTS:
                attr = f"{period}_{part}"
                self.fields[attr] = AmountField(
                    label=_label(PROJECTS, attr), initial=Decimal(0), min_value=Decimal(0)
                )
        for attr in PROJECT_TEXTS:
            self.fields[attr] = forms.CharField(
                label=_label(PROJECTS, attr), required=False, widget=forms.Textarea
            )

    def row_fields(self) -> dict[str, object]:
        data = self.cleaned_data
        fields: dict[str, object] = {
            "name": data["name"].strip(),
            "code": data["code"].strip(),
            "implementing_unit": data["implementing_unit"],
            "filled_on": data["filled_on"],
        }
        fields.update({k: data[k] for k in (*PROJECT_PLAIN, *PROJECT_TEXTS)})
        for period in ("period", "year"):
            for part in db.FUND_PARTS:
                fields[f"{period}_{part}"] = to_fen(data[f"{period}_{part}"])
        return fields

    @staticmethod
    def initial_of(project: db.Project) -> dict[str, object]:
        initial: dict[str, object] = {
            k: getattr(project, k)
            for k in (
                "name",
                "code",
                "implementing_unit",
                "filled_on",
                *PROJECT_PLAIN,
                *PROJECT_TEXTS,
            )
        }
        for period in ("period", "year"):
            for part in db.FUND_PARTS:
                initial[f"{period}_{part}"] = to_yuan(getattr(project, f"{period}_{part}"))
        initial["revision"] = project.revision
        return initial


class IndicatorForm(forms.Form):
    row = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # blank first choices: an untouched extra row stays empty and is not validated
    period = forms.ChoiceField(label="期间", choices=_choices(PERIODS, True))
    level = forms.ChoiceField(label="一级／二级指标")
    name = forms.CharField(label="三级指标", max_length=300)
    operator = forms.CharField(
        label="运算符",
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"list": "operators", "size": 4}),
        help_text="如 =、>=、<=；定性指标留空",
    )
    value = forms.CharField(label="指标值", max_length=200, required=False)
    unit = forms.CharField(label="计量单位", max_length=50, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = indicator_levels()
        current = self.initial.get("level")
        if current and current not in dict(levels):  # keep a level the framework does not list
            levels.append((current, current))
        self.fields["level"].choices = levels

    def row_fields(self, project: str) -> dict[str, object]:
        data = self.cleaned_data
        level1, _, level2 = data["level"].partition("／")
        return {
            "project": project,
            "period": data["period"],
            "level1": level1,
            "level2": level2,
            "name": data["name"].strip(),
            "operator": data["operator"].strip(),
            "value": data["value"].strip(),
            "unit": data["unit"].strip(),
        }

    @staticmethod
    def initial_of(indicator: db.Indicator) -> dict[str, object]:
        return {
            "row": indicator.row,
            "period": indicator.period,
            "level": f"{indicator.level1}／{indicator.level2}",
            "name": indicator.name,
            "operator": indicator.operator,
            "value": indicator.value,
            "unit": indicator.unit,
        }


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=1, can_delete=True)


class CommentForm(forms.Form):
    """A comment on the budget, or anchored to a line or project (``ref``: its id) or a finding
    (``ref``: ``RULE@place``)."""

    anchor = forms.ChoiceField(choices=db.Anchor.choices, required=False, widget=forms.HiddenInput)
    ref = forms.CharField(required=False, max_length=600, widget=forms.HiddenInput)
    text = forms.CharField(label="意见", widget=forms.Textarea, max_length=5000)


class ControlFigureForm(forms.Form):
    source = forms.ChoiceField(label="资金来源")
    amount = AmountField(label="控制数（元）", min_value=Decimal(0))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = _choices(s.name for s in funding_sources())


class ImportForm(forms.Form):
    workbook = forms.FileField(label="数据集工作簿（.xlsx）")


class ThrottledLoginForm(AuthenticationForm):
    """Django's login form, refusing a user name or address after too many failures."""

    def _keys(self) -> list[str]:
        name = str(self.data.get("username", "")).strip().lower()
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        return [f"login-fail:user:{name}", f"login-fail:addr:{address}"]

    def clean(self) -> dict[str, Any]:
        from django.conf import settings

        limit = settings.LOGIN_FAILURE_LIMIT
        keys = self._keys()
        if any(cache.get(k, 0) >= limit for k in keys):
            raise forms.ValidationError("登录失败次数过多，请15分钟后再试。", code="throttled")
        try:
            return super().clean()
        except forms.ValidationError:
            for key in keys:
                cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW_SECONDS)
                cache.incr(key)
            raise


# --- budget settings: the comparison columns (上年比较列) ---------------------------------------


class BudgetSettingsForm(RevisionForm):
    """The layout choices of a draft: which comparison columns the tables print (the manifest's
    ``prior_columns``; the choices are the core's ``tables/data/prior_columns.toml``)."""

    prior_columns = forms.MultipleChoiceField(
        label="上年比较列",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="各表在本年数之后列出所选的列；上年数取自数据库中本部门上年的预算。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from yusuan.tables.prior import layout

        super().__init__(*args, **kwargs)
        self.fields["prior_columns"].choices = list(layout().labels.items())
