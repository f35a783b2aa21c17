"""Django settings, read from environment variables through atrocity_watch.config.

Placeholder of the foundation: the web application issue fills it in.
"""

from __future__ import annotations

from atrocity_watch import config

HOME = config.home()
SECRET_KEY = config.env_str("DJANGO_SECRET_KEY") or "insecure-development-key-change-me"
DEBUG = config.env_bool("DJANGO_DEBUG")
ALLOWED_HOSTS = config.env_list("DJANGO_ALLOWED_HOSTS")
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
]
ROOT_URLCONF = "atrocity_watch.web.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(HOME / "app.sqlite3")}}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
