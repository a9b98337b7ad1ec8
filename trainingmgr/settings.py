"""Settings for trainingmgr, read from the environment.

One file for every environment: the environment variables documented in README.md decide
between the embedded SQLite default and PostgreSQL, and between development and production.
Helpers fail loudly (ImproperlyConfigured) on values they cannot read.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# Used only with DEBUG on: secret_key_from() stops start-up with it otherwise.
INSECURE_DEFAULT_SECRET_KEY = "django-insecure-trainingmgr-development-key-do-not-use"  # noqa: S105


def env_bool(name, default, environ=None):
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {raw!r}.")


def env_list(name, default, environ=None):
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name, default, environ=None):
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def secret_key_from(environ, debug):
    """The secret key; outside DEBUG a missing or default key stops start-up."""
    key = environ.get("DJANGO_SECRET_KEY", "").strip()
    if not key or key == INSECURE_DEFAULT_SECRET_KEY:
        if not debug:
            raise ImproperlyConfigured(
                "DJANGO_SECRET_KEY must be set to a long random value when DJANGO_DEBUG is 0."
            )
        return INSECURE_DEFAULT_SECRET_KEY
    return key


ENV = os.environ
DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = secret_key_from(ENV, DEBUG)
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "import_export",
    "accounts",
    "provenance",
    "jobs",
    "cadres",
    "courses",
    "imports",
    "reports",
    "plans",
    "history",
    "demo",
    "simple_history",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "api",
    "certificates",
    "evaluations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "trainingmgr.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "plans.middleware.PeriodLockedMiddleware",
    # Last, as django-axes asks: turns a locked-out login into a clear 429 page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login attempts: 5 failures for one user name from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client address django-axes keys on. Directly on the network: the connection's address
# (REMOTE_ADDR); an X-Forwarded-For header is not looked at. Behind reverse proxies
# (DJANGO_BEHIND_PROXY=1): the address the outermost proxy saw, read from the right of
# X-Forwarded-For, so that entries a client writes into the header itself are ignored.
# DJANGO_PROXY_COUNT is the number of proxies in front of the app (1: nginx alone); nginx puts
# the client last in the header, so ipware skips DJANGO_PROXY_COUNT - 1 entries from the right.
# DJANGO_TRUSTED_PROXIES (comma-separated addresses or networks of the proxies in front of
# nginx) pins the client position by their addresses instead. Documented in docs/DEPLOY.md.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 1)
if PROXY_COUNT < 1:
    raise ImproperlyConfigured("DJANGO_PROXY_COUNT must be 1 or more (1: nginx alone).")
if BEHIND_PROXY:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_ORDER = "left-most"
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT - 1
    AXES_IPWARE_PROXY_TRUSTED_IPS = env_list("DJANGO_TRUSTED_PROXIES", []) or None
    # Not strict: a header longer than the proxies make it (a client's own entries on the left)
    # still yields the address the proxy saw, instead of falling back to the proxy's address.
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

ROOT_URLCONF = "trainingmgr.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "trainingmgr.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers (report pages) go on while an import writes; IMMEDIATE transactions
    # take the write lock up front instead of failing half way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests run on a file too, not Django's shared-cache in-memory database, whose table
    # locks ignore the busy timeout: concurrent imports are tested as they run in production.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
    # Sessions, django-axes and the personal-data access log in a second file beside the main
    # one (trainingmgr/routers.py): a login, or a page that shows personal data, never waits
    # for an import's write lock. Its own per database file, so that two
    # SQLite databases (the demo, a bench) never share sessions.
    DATABASES["logins"] = {
        **DATABASES["default"],
        "OPTIONS": dict(DATABASES["default"]["OPTIONS"]),
        # DJANGO_LOGINS_DATABASE names the file where it is not beside the main one (a
        # process started by the tests on their test databases).
        "NAME": os.environ.get("DJANGO_LOGINS_DATABASE", "").strip()
        or f"{DATABASES['default']['NAME']}-logins",
        "TEST": {"NAME": str(BASE_DIR / ".test-db.sqlite3-logins")},
    }
    DATABASE_ROUTERS = ["trainingmgr.routers.LoginsRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "/reports/"

# Vietnamese first, English second; dates dd/mm/yyyy, 9.000 with a dot (formats/).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
# Vietnamese for the strings newer than Django's own catalogues (admin, auth, forms).
LOCALE_PATHS += [BASE_DIR / "locale_overrides"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["trainingmgr.formats"]
# Management commands speak English by default: their output (summary lines, `row R, column C:
# message`) is read by scripts; `--language vi` gives the Vietnamese texts.
COMMAND_LANGUAGE = os.environ.get("TRAININGMGR_COMMAND_LANGUAGE", "en")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploads: sheets up to 50 MB; larger ones are refused with a clear message.
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# What an import reads at most: imports.reading.DEFAULT_LIMITS (50 MB, 1,000,000 rows...),
# each overridable here as IMPORT_<NAME> (IMPORT_MAX_UPLOAD_BYTES, IMPORT_MAX_ROWS...).

# Background tasks (django-tasks): imports' confirm step, reverts and the error files of
# large sheets run in a worker, not in the request (docs/DEPLOY.md). The embedded default is
# the database backend, whose worker `make run` starts (`manage.py db_worker`); set
# DJANGO_TASKS_BACKEND to a dotted backend path (an RQ backend, say) for a real queue, or to
# "immediate" to run tasks in the request. The test suite runs them immediately, except the
# tests that start a real worker on the "database" alias.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_TASKS_DEFAULT = "immediate" if "pytest" in sys.modules else "database"
_TASKS_CHOSEN = ENV.get("DJANGO_TASKS_BACKEND", "").strip() or _TASKS_DEFAULT
TASKS = {
    "default": {"BACKEND": _TASK_BACKENDS.get(_TASKS_CHOSEN, _TASKS_CHOSEN)},
    "database": {"BACKEND": _TASK_BACKENDS["database"]},
}
# A sheet with more rows than this gets its file of errors from the worker too.
IMPORT_TASK_MIN_ROWS = env_int("TRAININGMGR_IMPORT_TASK_MIN_ROWS", 5000)
# A running task whose heartbeat is older than this is marked failed (its worker died).
TASK_STALE_SECONDS = env_int("TRAININGMGR_TASK_STALE_SECONDS", 60)

# django-import-export does the admin exports: the view permission exports, formulae are
# escaped. Spreadsheet imports go through imports/ (its own permission,
# imports.import_spreadsheet, and model validation on every row: docs/IMPORTS.md); should an
# import-export import view ever be added, it needs an "import" permission of its own.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# History is a record, not an undo button: reverting from it would bypass the scope checks of
# the forms (accounts/admin.py). Import batches have their own revert.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Production hardening (manage.py check --deploy passes with DEBUG off). Behind a reverse
# proxy that terminates TLS, set DJANGO_BEHIND_PROXY=1 so Django trusts X-Forwarded-Proto.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sessions: a login ends after DJANGO_SESSION_IDLE_HOURS without a request (default a working
# day; every request moves the expiry on), and when the browser is closed (every account that
# can log in is staff or a report reader; the cookie is a browser-session cookie).
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_IDLE_HOURS", 8) * 3600
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

# Content-Security-Policy (django-csp 4): scripts, styles, images and fonts from this site
# only; no inline script or style attribute (static/ holds what was inline), no plugins, no
# framing, forms post to this site only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # One inline handler of a third-party admin template, allowed by its hash alone:
        # django-import-export's "Select all" on the export page, onSelectToggleChange(event).
        "script-src": [
            "'self'",
            "'unsafe-hashes'",
            "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",
        ],
        # Three fixed style attributes of third-party admin templates (django-import-export's
        # export page: "padding: 0;", "font-weight: bold;"; django-simple-history's list:
        # "border-top: 0"), allowed by their hashes alone; any other inline style is blocked.
        "style-src": [
            "'self'",
            "'unsafe-hashes'",
            "'sha256-mHgUAqxc8GPXM/QhzkHrHujcrQTU9fd6ZjWz+icxKcA='",
            "'sha256-+YWRMZ88jMyO7jVlBA52tZADiPobPIUA8LAWee68Fvs='",
            "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
        ],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Files and folders the app writes (pending uploads): private to the app's user.
DATA_DIR = Path(os.environ.get("DJANGO_DATA_DIR", "").strip() or BASE_DIR / "var")
# Previewed uploads never confirmed are deleted after this many hours (purge_pending_uploads,
# and at each new upload).
IMPORT_PENDING_MAX_AGE_HOURS = env_int("IMPORT_PENDING_MAX_AGE_HOURS", 24)
# Who saw personal data (accounts.PersonalDataAccess) is kept this many days
# (purge_personal_data_log).
PERSONAL_DATA_LOG_DAYS = env_int("PERSONAL_DATA_LOG_DAYS", 365)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# The read-only API (api/): token authentication, the report roles, throttled per user.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.HasReportRole",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": "30/min",
        "user": "120/min",
    },
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "trainingmgr API",
    "DESCRIPTION": "Read-only figures of the training programmes (docs/CONTRACT.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}
# Certificates and evaluations: the public address printed in QR codes and personal links
# (empty: the address of the request), and the public pages' limit per client address.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").strip().rstrip("/")
CERTIFICATE_VERIFY_RATE_PER_MINUTE = env_int("CERTIFICATE_VERIFY_RATE_PER_MINUTE", 30)
# Evaluations open when a course ends and close this many days later (a course may set its
# own); results of a group with fewer answers than the minimum are not shown.
EVALUATION_WINDOW_DAYS = env_int("EVALUATION_WINDOW_DAYS", 30)
EVALUATION_MIN_ANSWERS = env_int("EVALUATION_MIN_ANSWERS", 5)
# Reminder e-mails to the clerks of late units (plans: send_period_reminders): printed on the
# console in development; set DJANGO_EMAIL_BACKEND (and Django's EMAIL_* settings) in production.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "trainingmgr@localhost")
