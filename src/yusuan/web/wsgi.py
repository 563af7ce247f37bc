"""WSGI entry point (``gunicorn yusuan.web.wsgi``); production sets DJANGO_SETTINGS_MODULE."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yusuan.web.settings")
application = get_wsgi_application()
