"""Django settings for THB. Every value that differs between installations is read
from the environment through the typed helpers in `thb.lib.env`.

Two modes: development (the default: SQLite under var/, a generated local secret,
console e-mail) and production (THB_PRODUCTION=true: refuses to start without a real
secret key and field-encryption keys, and passes `manage.py check --deploy`). Both run
with DEBUG off, so the demo shows what production shows (THB's own error pages, no
tracebacks); DEBUG only with an explicit THB_DEBUG=true.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

from thb.lib.crypto import KeyError_, parse_keys, validate_keys
from thb.lib.env import envbool, envint, envlist, envstr
from thb.lib.files import create_private_file_once, ensure_private_dir, ensure_private_file
from thb.profiles.basics import country_basics

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("THB_VAR_DIR", str(BASE_DIR / "var")))

THB_PRODUCTION = envbool("THB_PRODUCTION", False)
DEBUG = envbool("THB_DEBUG", False)


def _development_secret() -> str:
    """A per-checkout secret kept under var/, so sessions survive restarts locally."""
    path = VAR_DIR / "secret-key"
    if not path.exists():
        create_private_file_once(path, secrets.token_urlsafe(50))
    return path.read_text(encoding="ascii").strip()


def _keys_setting(name: str, label: str) -> str:
    """A key ring from the environment, refused at start-up if any key is malformed
    (key files are checked by the system check thb.E001/thb.E002, see thb.core.checks)."""
    value = envstr(name)
    if value.strip():
        try:
            validate_keys(parse_keys(value, separator=","), label=label)
        except KeyError_ as error:
            raise ImproperlyConfigured(f"{name}: {error}") from None
    return value


SECRET_KEY = envstr("THB_SECRET_KEY")
if not SECRET_KEY:
    if THB_PRODUCTION:
        raise ImproperlyConfigured(
            "THB_SECRET_KEY must be set in production (50+ random characters)."
        )
    SECRET_KEY = _development_secret()
elif THB_PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured("THB_SECRET_KEY is too short or a placeholder.")

ALLOWED_HOSTS = envlist("THB_ALLOWED_HOSTS", [] if THB_PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = envlist("THB_CSRF_TRUSTED_ORIGINS")
# THB's own page for a form sent without its token, in every mode (also with DEBUG on).
CSRF_FAILURE_VIEW = "thb.core.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_countries",
    "django_htmx",
    "ninja",  # serves the API docs (Swagger UI) from our own static files, no CDN
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes (docs/two-factor.md)
    "axes",
    "thb.core",
    "thb.accounts",
    "thb.audit",
    "thb.victims",
    "thb.screening",
    # Before support: its demo records return costs that the support demo counts in
    # the year's cash flow (thb/support/demo.py).
    "thb.returns",
    "thb.support",
    "thb.residence",
    "thb.justice",
    "thb.activities",
    "thb.interop",
    "thb.referrals",
    "thb.commission",
    "thb.linkage",
    "thb.reports",
]


MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from THB itself, in every mode (no separate web server needed).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "thb.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "thb.accounts.middleware.OTPRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "thb.urls"
WSGI_APPLICATION = "thb.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "thb" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "thb.core.context.navigation",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{VAR_DIR / 'thb.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", _default_sqlite),
        conn_max_age=envint("THB_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The database file and var/ are readable by the owner only, from their creation
    # (SQLite gives its journal and WAL files the database file's mode).
    ensure_private_dir(VAR_DIR)
    _sqlite_name = str(DATABASES["default"]["NAME"])
    if _sqlite_name and _sqlite_name != ":memory:" and not _sqlite_name.startswith("file:"):
        ensure_private_file(Path(_sqlite_name))
    # Readers never wait for an import or another writer: WAL lets them read the last
    # committed state while one writer works. Writers take the write lock when their
    # transaction begins (IMMEDIATE), so two writers queue for up to the busy timeout
    # instead of one failing at once with "database is locked" when a read transaction
    # tries to become a write. synchronous=NORMAL is safe with WAL (no corruption; a
    # power cut may lose the last commits, each whole with its audit event).
    # Reads of a large database (the report's grouped queries over every case) go
    # through a memory map of the file (shared by the connections, the operating
    # system's page cache, no copy) and a page cache of THB_SQLITE_CACHE_MB per
    # connection; sorting and grouping use memory, not temporary files.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": envint("THB_SQLITE_BUSY_SECONDS", 60),
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                f"PRAGMA mmap_size={envint('THB_SQLITE_MMAP_MB', 2048, minimum=0) * 1024 * 1024}; "
                f"PRAGMA cache_size=-{envint('THB_SQLITE_CACHE_MB', 64, minimum=1) * 1024}; "
                "PRAGMA temp_store=MEMORY"
            ),
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# After repeated failed logins, pause that user name at that address only, briefly and
# progressively (1, 2, 4, 8, at most 15 minutes): see thb.core.lockout and privacy.md.
# Rows a list page (and an API list, unless it asks for fewer) shows: thb/core/paging.py.
THB_PAGE_SIZE = envint("THB_PAGE_SIZE", 50)
THB_PAGE_SIZE_MAX = envint("THB_PAGE_SIZE_MAX", 500)
# A list page counts its rows up to this many and then says "more than" (a count of
# every row grows with the data: thb.core.paging.bounded_count).
THB_LIST_COUNT_MAX = envint("THB_LIST_COUNT_MAX", 1000)
AXES_FAILURE_LIMIT = envint("THB_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = "thb.core.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "thb.core.lockout.lockout_response"
# Not reset by a correct password: that is only the first step of a two-factor sign-in.
AXES_RESET_ON_SUCCESS = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the history the progressive pause is measured on
# Behind reverse proxies, the client's address comes from X-Forwarded-For (set by the
# proxies); otherwise every user would share the proxy's address. Used by the login
# pause and the audit log alike (thb.core.client).
THB_PROXY_COUNT = envint("THB_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "thb.core.client.client_address"
AXES_ENABLED = envbool("THB_AXES_ENABLED", True)
THB_REQUIRE_2FA = envbool("THB_REQUIRE_2FA", THB_PRODUCTION)  # TOTP for every user
# How long a one-time set-up link (a new account's first password) stays valid.
THB_SETUP_LINK_HOURS = envint("THB_SETUP_LINK_HOURS", 72)

# The country profile (thb/profiles/<THB_COUNTRY>/: code lists, legal sections,
# deadlines, report layout) names the languages, its own first (the default), and the
# time zone; Django's own list names the languages.
THB_COUNTRY = envstr("THB_COUNTRY", "lv")
try:
    _COUNTRY_BASICS = country_basics(THB_COUNTRY)
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from None
LANGUAGE_CODE = _COUNTRY_BASICS.languages[0]
LANGUAGES = [
    (code, LANG_INFO.get(code, {}).get("name", code)) for code in _COUNTRY_BASICS.languages
]
# Project-wide strings (base templates) here; each app keeps its own thb/<app>/locale.
LOCALE_PATHS = [BASE_DIR / "thb" / "locale"]
TIME_ZONE = _COUNTRY_BASICS.time_zone
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Production serves what `thb collectstatic` put into STATIC_ROOT; development (the
# demo, `thb serve`) serves straight from the apps' static/ folders, so that it needs
# no collectstatic step and still runs with DEBUG off.
WHITENOISE_USE_FINDERS = not THB_PRODUCTION
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise before
# any view or login check: no URL route, nothing to authorise.
WHITENOISE_ROOT = BASE_DIR / "thb" / "core" / "public"
WHITENOISE_AUTOREFRESH = DEBUG
if not THB_PRODUCTION:
    ensure_private_dir(VAR_DIR)
    STATIC_ROOT.mkdir(exist_ok=True)  # empty until collectstatic; WhiteNoise wants it

SESSION_COOKIE_AGE = envint("THB_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy: everything from our own origin, nothing inline, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

if THB_PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("THB_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("THB_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("THB_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = envstr(
    "THB_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if THB_PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = envstr("THB_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("THB_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = envstr("THB_FROM_EMAIL", "thb@localhost")

# Identifying fields are encrypted with these keys (newest first); see thb.lib.crypto.
THB_FIELD_KEYS = _keys_setting("THB_FIELD_KEYS", "Field-encryption")
THB_FIELD_KEY_FILE = envstr("THB_FIELD_KEY_FILE", str(VAR_DIR / "field-keys"))
if THB_PRODUCTION and not THB_FIELD_KEYS and not Path(THB_FIELD_KEY_FILE).exists():
    raise ImproperlyConfigured(
        "Production needs field-encryption keys: set THB_FIELD_KEYS or THB_FIELD_KEY_FILE."
    )

# The audit chain's own key ring (newest first), from which its HMAC key is derived;
# never the field keys. Generated into the key file in development (thb.lib.crypto).
THB_AUDIT_KEYS = _keys_setting("THB_AUDIT_KEYS", "Audit")
THB_AUDIT_KEY_FILE = envstr("THB_AUDIT_KEY_FILE", str(VAR_DIR / "audit-keys"))
if THB_PRODUCTION and not THB_AUDIT_KEYS and not Path(THB_AUDIT_KEY_FILE).exists():
    raise ImproperlyConfigured(
        "Production needs an audit key: set THB_AUDIT_KEYS or THB_AUDIT_KEY_FILE "
        "(generate one with `thb genkey`)."
    )
# `thb audit checkpoint` appends the chain's head here (keep a copy off this machine).
THB_AUDIT_CHECKPOINT_FILE = envstr("THB_AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit-checkpoints"))

# Imports from the upload page run in the background (docs/import.md): "thread" runs
# them in a thread of the web process, "worker" leaves them to `thb import-worker`
# processes, "inline" runs them in the upload request itself (tests, debugging).
THB_IMPORT_RUNNER = envstr("THB_IMPORT_RUNNER", "thread")
if THB_IMPORT_RUNNER not in {"thread", "worker", "inline"}:
    raise ImproperlyConfigured(
        f"THB_IMPORT_RUNNER={THB_IMPORT_RUNNER!r}: use thread, worker or inline."
    )
# A running job whose process has not reported for this long is taken as interrupted.
THB_IMPORT_STALE_MINUTES = envint("THB_IMPORT_STALE_MINUTES", 30)
# A large import of a type that can be staged in parts (victim cases, the activity
# records imported in bulk) checks and stages its rows in this many worker processes
# (0: in the importing process), from this many rows on (docs/import.md,
# docs/performance.md). "auto" (the default): one a CPU this process may use, at most
# 4, where the importing process runs no other thread (`thb import`, `thb
# import-worker`); none in a process with threads (the web process's runner thread),
# which is not safe to fork. None stands for "auto" here.
THB_IMPORT_WORKERS: int | None = (
    None
    if envstr("THB_IMPORT_WORKERS", "auto").strip().lower() == "auto"
    else envint("THB_IMPORT_WORKERS", 0)
)
if THB_IMPORT_WORKERS is not None and THB_IMPORT_WORKERS < 0:
    raise ImproperlyConfigured(
        f"THB_IMPORT_WORKERS={THB_IMPORT_WORKERS}: use auto, 0 or a number of processes."
    )
THB_IMPORT_PARALLEL_ROWS = envint("THB_IMPORT_PARALLEL_ROWS", 5000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("THB_LOG_LEVEL", "WARNING")},
}
