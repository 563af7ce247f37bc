from __future__ import annotations

from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "yusuan.web.budgets"
    label = "budgets"
    verbose_name = "部门预算"
    default_auto_field = "django.db.models.BigAutoField"
