"""URLs: the public portal at ``/``, the work area at ``/work/``, the API at ``/api/``."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("yusuan.web.budgets.urls")),
]
