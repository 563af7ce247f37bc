from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from yusuan.web.budgets import portal, trends, views
from yusuan.web.budgets.api import api
from yusuan.web.budgets.forms import ThrottledLoginForm
from yusuan.web.budgets.yitihua_views import export_yitihua, import_yitihua  # issue #10

urlpatterns = [
    path("", portal.index, name="portal"),
    path("p/<str:code>/<int:year>/", portal.home, name="portal-home"),
    path("p/<str:code>/<int:year>/site/<path:path>", portal.page, name="portal-page"),
    path("p/<str:code>/<int:year>/<path:path>", portal.download, name="portal-download"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=ThrottledLoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", api.urls),
    path("work/", views.work, name="work"),
    path("work/b/<int:pk>/", views.budget_detail, name="budget"),
    path("work/b/<int:pk>/site/<path:path>", views.budget_site, name="budget-site"),
    path("work/b/<int:pk>/step/<str:name>/", views.step, name="step"),
    path("work/b/<int:pk>/adjust/", views.adjust_budget, name="adjust"),
    path("work/b/<int:pk>/comment/", views.comment, name="comment"),
    path("work/b/<int:pk>/accept/", views.accept_finding, name="accept"),
    path("work/b/<int:pk>/compare/<int:other>/", views.compare_versions, name="compare"),
    path("work/b/<int:pk>/lines/", views.lines, name="lines"),
    path("work/b/<int:pk>/lines/new/", views.line_edit, name="line-new"),
    path("work/b/<int:pk>/lines/paste/", views.paste, name="lines-paste"),
    path("work/b/<int:pk>/lines/<int:line_id>/", views.line_edit, name="line-edit"),
    path("work/b/<int:pk>/projects/", views.projects, name="projects"),
    path("work/b/<int:pk>/projects/new/", views.project_edit, name="project-new"),
    path("work/b/<int:pk>/projects/<int:project_id>/", views.project_edit, name="project-edit"),
    path("work/b/<int:pk>/export/", views.export, name="export"),
    path("work/b/<int:pk>/import/", views.import_workbook, name="import"),
    # budget settings (上年比较列)
    path("work/b/<int:pk>/settings/", views.budget_settings, name="budget-settings"),
    # --- 预算管理一体化 flat files (issue #10) ---
    path("work/b/<int:pk>/yitihua/import/", import_yitihua, name="import-yitihua"),
    path("work/b/<int:pk>/yitihua/export/", export_yitihua, name="export-yitihua"),
    # --- end 一体化 ---
    path(
        "work/control/<int:department>/<int:year>/",
        views.control_figures,
        name="control-figures",
    ),
    # the portal's cross-department, cross-year charts from the analytics store
    path("trends/", trends.page, name="portal-trends"),
]
