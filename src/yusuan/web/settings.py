"""Settings for development and tests, read from the environment with safe defaults.

``YUSUAN_DATA``: the data folder (SQLite database, development secret key, published files);
``DATABASE_URL``: a database URL (``postgresql://user@host:5432/name``) instead of SQLite;
``DJANGO_SECRET_KEY``: the secret key (else one is made once and kept in the data folder);
``DJANGO_DEBUG``: ``1`` for Django's debug pages; ``DJANGO_ALLOWED_HOSTS``: comma-separated.
Production uses ``yusuan.web.settings_production`` (see docs/web.md).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("YUSUAN_DATA", "yusuan-data")).resolve()


def _secret_key(data_dir: Path) -> str:
    """The environment's key, else a random key made once and kept (mode 600) in the data folder."""
    from_env = os.environ.get("DJANGO_SECRET_KEY", "")
    if from_env:
        return from_env
    path = data_dir / "secret_key"
    if path.is_file():
        return path.read_text("utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def _database(data_dir: Path) -> dict[str, object]:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60))
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(data_dir / "yusuan.sqlite3")}


SECRET_KEY = _secret_key(DATA_DIR)
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "yusuan.web.budgets",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "yusuan.web.urls"
WSGI_APPLICATION = "yusuan.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

DATABASES = {"default": _database(DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Without collectstatic (development, tests) WhiteNoise serves straight from the apps' folders.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/work/"
LOGOUT_REDIRECT_URL = "/"

# Where the public portal keeps the packages it built (per budget and content fingerprint).
PUBLISH_CACHE = DATA_DIR / "published"
# Failed logins allowed per user name and per address within the window before refusal.
LOGIN_FAILURE_LIMIT = int(os.environ.get("YUSUAN_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- analytics store (docs/web.md "Charts from the analytics store") ---
# ``YUSUAN_STORE``: the analytics store (``yusuan store build``) the portal's charts (/trends/) read
# and every budget the web app publishes is added to; unset: the chart page says so, no store.
ANALYTICS_STORE = (
    Path(os.environ["YUSUAN_STORE"]).resolve() if os.environ.get("YUSUAN_STORE", "") else None
)
# The ECharts the static site vendors (with its licence), served locally under /static/echarts/.
STATICFILES_DIRS = [
    ("echarts", BASE_DIR.parent / "render" / "site" / "static" / "vendor" / "echarts")
]
