"""The admin: regions, offices, departments and their unit trees, users' roles, budgets."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from yusuan.web.budgets import models as db


class UnitInline(admin.TabularInline):
    model = db.Unit
    extra = 0
    fields = ("code", "name", "kind", "parent")


@admin.register(db.Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region", "level", "office")
    search_fields = ("code", "name")
    inlines = [UnitInline]


@admin.register(db.RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "department", "office")
    list_filter = ("role",)


@admin.register(db.Budget)
class BudgetAdmin(SimpleHistoryAdmin):
    list_display = ("department", "year", "version", "status", "revision")
    list_filter = ("status", "year")
    readonly_fields = ("status", "revision", "based_on")


@admin.register(db.ControlFigure)
class ControlFigureAdmin(SimpleHistoryAdmin):
    list_display = ("department", "year", "source", "amount_fen")


admin.site.register(db.Region)
admin.site.register(db.FinanceOffice)
admin.site.register(db.Unit)
admin.site.register(db.Transition)
admin.site.site_header = "预算 yusuan 管理"


@admin.register(db.CatalogYear)
class CatalogYearAdmin(SimpleHistoryAdmin):
    """目录年度: budget year -> the year of the catalogues its budgets are read against."""

    list_display = ("budget_year", "catalog_year")
