"""Settings, read from the environment. SQLite in a data directory unless DATABASE_URL is set."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in ("1", "true", "yes", "on")


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_secret(name: str, default: str = "") -> str:
    """A secret from NAME, or from the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


DATA_DIR = Path(os.environ.get("COMMONGROUND_DATA_DIR", Path.cwd() / "data")).resolve()
# COMMONGROUND_ENV=production turns on the production settings (see the block at the end).
PRODUCTION = os.environ.get("COMMONGROUND_ENV", "").strip().lower() == "production"
DEBUG = env_bool("DEBUG", False) and not PRODUCTION


def _secret_key() -> str:
    key = env_secret("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        # One key shared by every server: a key made per server would sign sessions the others refuse.
        raise ImproperlyConfigured(
            "COMMONGROUND_ENV=production needs a secret key: set SECRET_KEY or SECRET_KEY_FILE."
        )
    # A development key kept in the data directory, so sessions survive restarts.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
# The key that signs the access log's checkpoints (decision 0023); when unset, one derived from
# SECRET_KEY. Set it in production: it must stay the same for as long as old checkpoints are checked.
COMMONGROUND_LOG_KEY = env_secret("COMMONGROUND_LOG_KEY")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "template_partials",
    "ninja",
    "axes",
    "commonground.accounts",
    "commonground.facilities",
    "commonground.assessments",
    "commonground.sharing",
    "commonground.actions",
    "commonground.improvement",
    "commonground.snapshots",
    "commonground.jobs",
    "commonground.web",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "commonground.web.middleware.RefuseNul",  # after the language and the user, for its 400 page
    "commonground.web.middleware.FacilityAliases",  # a merged facility's id redirects (decision 0040)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "commonground.config.urls"
WSGI_APPLICATION = "commonground.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite database or the jobs' queue lives there
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'commonground.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait for each other instead of failing with "database is locked": readers
    # never block the writer (WAL), a transaction takes the write lock when it begins (IMMEDIATE, so
    # two never both read and then both want to write) and waits up to 20 s for it.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# One cache for every process (web servers and job workers, docs/decisions/0019): Redis when REDIS_URL
# is set (several machines), otherwise a table in the database (made by `migrate`), which the web
# process and the worker of `make run` share. Keys carry the versions they depend on, so nothing is
# ever emptied wholesale and entries simply age out.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_TIMEOUT = env_int("CACHE_TIMEOUT_SECONDS", 7 * 24 * 3600)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cg",
            "TIMEOUT": CACHE_TIMEOUT,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "commonground.config.cache.BulkDatabaseCache",
            "LOCATION": "commonground_cache",
            "KEY_PREFIX": "cg",
            "TIMEOUT": CACHE_TIMEOUT,
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 100_000), "CULL_FREQUENCY": 4},
        }
    }

# Jobs (docs/decisions/0018): Huey. Its queue is Redis when REDIS_URL is set (workers on any machine:
# `manage.py run_huey`), otherwise a SQLite file in the data directory that `make run`'s web process
# and its worker share. HUEY_IMMEDIATE=1 runs each job at once inside the caller (no worker).
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": os.environ.get("HUEY_NAME", "commonground"),
        "url": REDIS_URL,
        "immediate": env_bool("HUEY_IMMEDIATE", False),
        "consumer": {"workers": env_int("JOB_WORKERS", 2), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "commonground",
        "filename": str(DATA_DIR / "jobs.sqlite3"),
        "immediate": env_bool("HUEY_IMMEDIATE", False),
        "consumer": {"workers": env_int("JOB_WORKERS", 2), "worker_type": "thread"},
    }
JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 15 * 60)  # a running job silent this long is taken over
DIGEST_HOUR = env_int("DIGEST_HOUR", 7)  # the action digest goes out once a day from this local hour
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
# Lock the account from the address that failed: factory staff often share one public address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as each language writes them (dd/mm/yyyy; "6 Dec 2026" in English), and the same decimal and
# thousands separators as core.numbers. Never grouped by Django itself, so ids in URLs stay plain.
FORMAT_MODULE_PATH = ["commonground.config.formats"]
USE_THOUSAND_SEPARATOR = False
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Evidence files live outside the web root and are only ever served as downloads by a view, through
# the storage named "evidence" (decision 0020): the local disk under EVIDENCE_ROOT by default, or
# S3-compatible object storage shared by every server when EVIDENCE_STORAGE=s3.
EVIDENCE_ROOT = DATA_DIR / "evidence"
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 20) * 1024 * 1024


def evidence_storage_settings() -> dict[str, Any]:
    """The "evidence" entry of STORAGES, from EVIDENCE_STORAGE (local or s3) and the EVIDENCE_S3_* and
    AWS_* variables. Credentials left unset: boto3 finds its own (instance role, AWS_PROFILE)."""
    kind = os.environ.get("EVIDENCE_STORAGE", "local").strip().lower()
    if kind == "local":
        return {"BACKEND": "commonground.common.storage.EvidenceFileStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(
            f"EVIDENCE_STORAGE={kind[:20]!r} is unknown: use local (the default) or s3."
        )
    bucket = os.environ.get("EVIDENCE_S3_BUCKET", "").strip()
    if not bucket:
        raise ImproperlyConfigured("EVIDENCE_STORAGE=s3 needs a bucket: set EVIDENCE_S3_BUCKET.")
    given = {
        "endpoint_url": os.environ.get("EVIDENCE_S3_ENDPOINT_URL", "").strip(),
        "region_name": os.environ.get("EVIDENCE_S3_REGION", "").strip(),
        "addressing_style": os.environ.get("EVIDENCE_S3_ADDRESSING_STYLE", "").strip(),
        "access_key": env_secret("AWS_ACCESS_KEY_ID").strip(),
        "secret_key": env_secret("AWS_SECRET_ACCESS_KEY").strip(),
    }
    options = {
        "bucket_name": bucket,
        "location": os.environ.get("EVIDENCE_S3_PREFIX", "evidence").strip("/ "),
        "default_acl": None,  # private objects; downloads go through the application, never a bucket URL
        "file_overwrite": False,  # a name taken is never overwritten (stored names are random anyway)
        "max_memory_size": 4 * 1024 * 1024,  # a download larger than this is buffered on disk
        **{name: value for name, value in given.items() if value},
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "evidence": evidence_storage_settings(),
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
NINJA_PAGINATION_CLASS = "commonground.config.pagination.BoundedLimitOffset"
NINJA_PAGINATION_MAX_LIMIT = 500

# Abuse limits: name -> (how many, per how many seconds); decision 0022. Password-reset mails per
# address and per network (factory staff often share one public address, hence more per network);
# access requests per organisation, one action however many suppliers it asks at once.
THROTTLES = {
    "password_reset:address": (env_int("PASSWORD_RESET_PER_ADDRESS_HOUR", 5), 3600),
    "password_reset:ip": (env_int("PASSWORD_RESET_PER_NETWORK_HOUR", 20), 3600),
    "grant_requests": (env_int("GRANT_REQUESTS_PER_ORGANISATION_HOUR", 30), 3600),
}

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")  # links in emails (action digests)
JOB_FILES_KEPT_DAYS = env_int("JOB_FILES_KEPT_DAYS", 7)  # exports prepared by jobs, then deleted nightly
AGGREGATE_K = env_int("AGGREGATE_K", 5)  # no figure about fewer facilities than this
# Sector snapshots (aggregates, benchmarks, peer insights): "job" = pages only read them and a job
# refreshes them after changes and on a schedule; "on-read" = a read refreshes a stale one first (a
# process with no worker, and the tests). Production always uses jobs.
SNAPSHOTS_REFRESH = "job" if PRODUCTION else os.environ.get("SNAPSHOTS_REFRESH", "on-read")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AXES_LOCKOUT_TEMPLATE = "web/locked.html"
# Email (invitations, action digests): printed on the console in development; sent by SMTP when
# EMAIL_HOST is set (or by whatever EMAIL_BACKEND names).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True) and not env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Common Ground <no-reply@localhost>")

# Every server error with its traceback on standard error, in every environment (DEBUG or not).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "plain"}
    },
    "loggers": {
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "commonground": {"handlers": ["stderr"], "level": "WARNING"},
    },
}

# Production (COMMONGROUND_ENV=production): a required secret key (above), DEBUG off, secure cookies,
# HTTPS only with HSTS, a content-security policy, and static files served by the application server
# (WhiteNoise) from STATIC_ROOT, filled by `manage.py collectstatic`. `manage.py check --deploy
# --fail-level WARNING` passes with these.
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    if env_bool("TRUST_X_FORWARDED_PROTO", False):  # only behind a proxy that sets this header itself
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' preload list is hard to undo: the operator's choice, not a default.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_REFERRER_POLICY = "same-origin"
    SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )
    MIDDLEWARE.append("csp.middleware.CSPMiddleware")
    INSTALLED_APPS.append("csp")
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    # Only the hashed copies are served (every page names them through {% static %}), so only they are
    # kept and compressed; source maps (10 MB of the API docs' scripts, read only by a developer's
    # tools) are served as they are: `collectstatic` then takes seconds, not a minute and a half.
    from whitenoise.compress import Compressor  # type: ignore[import-untyped]

    WHITENOISE_KEEP_ONLY_HASHED_FILES = True
    WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
    # No inline script anywhere (the API docs keep their settings in a JSON <script>, which is not run).
    # Style attributes carry computed bar widths, so only attributes may be inline, never <style>.
    CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'"],
            "style-src-elem": ["'self'"],
            "style-src-attr": ["'unsafe-inline'"],
            "img-src": ["'self'", "data:"],
            "font-src": ["'self'"],
            "connect-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
        }
    }
