"""Django settings, read from environment variables through :mod:`atrocity_watch.config`.

Nothing here is a secret and nothing here changes per installation: every value that differs
between a laptop and a production server comes from a declared environment variable (see
``docs/configuration.md``). Two switches matter most:

- ``DATABASE_URL`` empty means SQLite in ``$ATROCITY_WATCH_HOME/app.sqlite3`` (WAL mode);
  ``postgres://…`` means PostgreSQL through psycopg 3.
- ``ATROCITY_WATCH_HTTPS`` true means the site is reached over HTTPS: secure cookies, HSTS and
  redirects to HTTPS are turned on, and ``manage.py check --deploy`` is clean.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from atrocity_watch import config
from atrocity_watch.web.dburl import parse_database_url, parse_smtp_url

WEB_DIR = Path(__file__).resolve().parent
HOME = config.home()

# --- secrets ---------------------------------------------------------------------------------
# The key comes from the environment or from the file `atrocity-watch run/serve` writes in the home
# folder. Without either (tests, one-off management commands) a random key is made for this process
# only: sessions then do not survive a restart, which is harmless there and never silently insecure.
SECRET_KEY_FILE = HOME / "secret_key"


def _secret_key() -> str:
    from_env = config.env_str("DJANGO_SECRET_KEY")
    if from_env:
        return from_env
    if SECRET_KEY_FILE.is_file():
        return SECRET_KEY_FILE.read_text(encoding="utf-8").strip()
    return "ephemeral-" + secrets.token_urlsafe(50)


SECRET_KEY = _secret_key()
DEBUG = config.env_bool("DJANGO_DEBUG")
ALLOWED_HOSTS = config.env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = config.env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
HTTPS = config.env_bool("ATROCITY_WATCH_HTTPS")
TRUST_PROXY = config.env_bool("ATROCITY_WATCH_TRUST_PROXY")

# --- applications ----------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    # Atrocity Watch apps, one per bounded context (see docs/web.md)
    "atrocity_watch.web.core",
    "atrocity_watch.web.accounts",
    "atrocity_watch.web.audit",
    "atrocity_watch.web.assessments",
    "atrocity_watch.web.evidence",
    "atrocity_watch.web.dashboard",
    "atrocity_watch.web.alerts",
    "atrocity_watch.web.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "atrocity_watch.web.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "atrocity_watch.web.core.middleware.ClientAddressMiddleware",
]

ROOT_URLCONF = "atrocity_watch.web.urls"
WSGI_APPLICATION = "atrocity_watch.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "atrocity_watch.web.core.context_processors.navigation",
            ],
            "builtins": ["atrocity_watch.web.core.templatetags.aw"],
        },
    },
]

# --- database --------------------------------------------------------------------------------
DATABASES = {"default": parse_database_url(config.env_str("DATABASE_URL"), HOME)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- background work (django-tasks with its database backend: no broker to run) ----------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- accounts --------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions and users stay in the app database (shared by every worker and server, so logging
# out or losing a role takes effect everywhere at once); each worker keeps them in memory until
# a database trigger says their table was written (docs/web.md, "Per-worker caches").
SESSION_ENGINE = "atrocity_watch.web.accounts.sessions"
AUTHENTICATION_BACKENDS = ["atrocity_watch.web.accounts.backends.CachedUserBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3  # a reset link is valid three hours

# --- e-mail ----------------------------------------------------------------------------------
_smtp = config.env_str("ATROCITY_WATCH_SMTP_URL")
DEFAULT_FROM_EMAIL = config.env_str("ATROCITY_WATCH_EMAIL_FROM") or "atrocity-watch@localhost"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if _smtp:
    _mail = parse_smtp_url(_smtp)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.host
    EMAIL_PORT = _mail.port
    EMAIL_HOST_USER = _mail.user
    EMAIL_HOST_PASSWORD = _mail.password
    EMAIL_USE_TLS = _mail.starttls
    EMAIL_USE_SSL = _mail.ssl
    EMAIL_TIMEOUT = 20
else:
    # Without an SMTP server, e-mails (password resets) are written to the server's log.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- static files (vendored only; served by whitenoise, collected into the home folder) -------
STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATICFILES_DIRS = [WEB_DIR / "static"]
# `atrocity-watch serve` collects the files with content hashes in their names (cached for a year
# by browsers); before that has run (tests, `runserver`), files are served from the apps' folders
# under their plain names.
_COLLECTED = (STATIC_ROOT / "staticfiles.json").is_file()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "atrocity_watch.web.core.storage.StaticStorage"
        if _COLLECTED and not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not _COLLECTED
WHITENOISE_MANIFEST_STRICT = False

# --- security --------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "atrocity_watch.web.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False  # preloading is a decision for the site's owner, not for this code
SECURE_REDIRECT_EXEMPT = [r"^health$"]  # load balancers probe over plain HTTP
if TRUST_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is deliberately off (see above); everything else `check --deploy` asks for is on.
    "security.W021",
]

# The Content-Security-Policy every response carries (core.middleware). No 'unsafe-inline' and no
# 'unsafe-eval': pages have no inline scripts or style attributes, and Vega runs its expressions
# through vega-interpreter instead of `new Function`.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# --- logging: to stderr, which gunicorn and systemd collect -----------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# --- django-ninja ----------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

# --- alerts (docs/monitoring.md) ---------------------------------------------------------------
# Links in alert e-mails and webhooks point here; webhooks go to https:// receivers only unless
# a closed network turns that off.
ALERTS_BASE_URL = (config.env_str("ATROCITY_WATCH_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
ALERTS_WEBHOOK_HTTPS_ONLY = config.env_bool("ATROCITY_WATCH_WEBHOOK_HTTPS_ONLY")
