"""Django settings for JaminanKu, read from the environment.

Local defaults need nothing set: SQLite under var/, a secret key generated once into var/.
`JAMINANKU_ENV=production` switches on the deployment hardening that `manage.py check --deploy` asks for and
requires SECRET_KEY and ALLOWED_HOSTS to be given.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("JAMINANKU_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


PRODUCTION = os.environ.get("JAMINANKU_ENV", "").lower() == "production"
DEBUG = env_bool("DEBUG", default=False) and not PRODUCTION


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when JAMINANKU_ENV=production")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

if PRODUCTION and not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when JAMINANKU_ENV=production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # its API docs page then uses the bundled Swagger UI files, not a CDN and an inline script
    "axes",
    "csp",
    "django_otp",  # authenticator apps (TOTP) as the login's second step: jaminanku/accounts/login/totp.py
    "django_otp.plugins.otp_totp",
    "jaminanku.core",
    "jaminanku.audit",
    "jaminanku.registry",
    "jaminanku.offices",
    "jaminanku.contributions",
    "jaminanku.claims",
    "jaminanku.card",
    "jaminanku.bookings",
    "jaminanku.programs",
    "jaminanku.news",
    "jaminanku.staff",
    "jaminanku.notify",
    "jaminanku.accounts",
    "jaminanku.member",
    "jaminanku.api",
    "jaminanku.backoffice",
    "jaminanku.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # a mobile client's bearer-token GET under /api/ takes a short chain from here (core/middleware_bearer.py)
    "jaminanku.core.middleware_bearer.BearerReadMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jaminanku.core.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jaminanku.core.middleware.PrivatePagesMiddleware",  # personal data is never cached (ASVS 14.3.2)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jaminanku.core.csp.PolicyMiddleware",
    "jaminanku.accounts.sessions.middleware.SessionLifetimeMiddleware",
    "jaminanku.audit.middleware.AuditActorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jaminanku.urls"
WSGI_APPLICATION = "jaminanku.wsgi.application"
ASGI_APPLICATION = "jaminanku.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["jaminanku.core.templatetags.money", "jaminanku.core.templatetags.links"],
        },
    }
]

# --- Database -------------------------------------------------------------------------------------------
# DATABASE_PGBOUNCER=1: the app connects through PgBouncer in transaction mode, where each transaction may run on
# another server connection. What lives in a server connection beyond a transaction then breaks: a named prepared
# statement (PgBouncer 1.18, Debian 12's, does not carry them over) and a server-side cursor. It turns both off
# (DATABASE_PREPARED_STATEMENTS, DATABASE_DISABLE_SERVER_SIDE_CURSORS; each can also be set alone).
DATABASE_PGBOUNCER = env_bool("DATABASE_PGBOUNCER")
# The member's balance read prepares its one statement once per connection (jaminanku/member/selectors_hot.py);
# psycopg prepares nothing else (Django's prepare_threshold None; see below).
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", default=not DATABASE_PGBOUNCER)
_PREPARE_ONLY_WHEN_ASKED = 2**31 - 1  # as psycopg's prepare_threshold: a count of runs never reached
_default_sqlite = f"sqlite:///{VAR_DIR / 'jaminanku.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_sqlite),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing half-way.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not DATABASE_PGBOUNCER:
    # No JIT compilation: the large statements here are many index probes (an import's look-ups, one per KPJ),
    # estimated costly and quick to run, and compiling them took a third of the look-up's server CPU
    # (bench/README.md). A `-c jit=on` in DATABASE_URL's `options` comes after this one and wins. PgBouncer refuses
    # the `options` startup parameter: behind it jit=off is the database's own setting (docs/deployment.md).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"-c jit=off {_options.get('options', '')}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Read replica (off unless DATABASE_REPLICA_URL is set; jaminanku/core/db_routing.py, docs/deployment.md) ------
# Members' GET reads go to the standby; writes, transactions, security state, staff pages and a member who wrote in
# the last READ_YOUR_WRITES_SECONDS use the primary, and so does everyone while the standby lags more than
# REPLICA_MAX_LAG_SECONDS (measured at most every REPLICA_LAG_CHECK_SECONDS per process).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "5"))
REPLICA_LAG_CHECK_SECONDS = float(os.environ.get("REPLICA_LAG_CHECK_SECONDS", "1"))
READ_YOUR_WRITES_SECONDS = int(os.environ.get("READ_YOUR_WRITES_SECONDS", "10"))
REPLICA_PRIMARY_PATHS = env_list("REPLICA_PRIMARY_PATHS", ["/staf/", "/admin/"])
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    if not DATABASE_PGBOUNCER:
        _replica_options = DATABASES["replica"].setdefault("OPTIONS", {})
        _replica_options["options"] = f"-c jit=off {_replica_options.get('options', '')}".strip()
    # tests: the replica alias reads the test database (NAME) on the standby, which replays its creation
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["jaminanku.core.db_routing.ReplicaRouter"]
    MIDDLEWARE.insert(0, "jaminanku.core.middleware_replica.ReplicaRoutingMiddleware")
# outermost: a database that cannot be reached (a restart, a failover) is a 503 to retry, not a 500
MIDDLEWARE.insert(0, "jaminanku.core.middleware_replica.DatabaseUnavailableMiddleware")
# Behind PgBouncer in transaction mode a server-side cursor (a named cursor held across statements) may meet another
# server connection on its next fetch; Django then must not use them (docs/deployment.md).
if env_bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=DATABASE_PGBOUNCER):
    for _database in DATABASES.values():
        _database["DISABLE_SERVER_SIDE_CURSORS"] = True
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        # psycopg prepares a statement only when asked (prepare=True, the balance read), never by itself after
        # prepare_threshold runs of it; with prepared statements off not even then. Django's own default (None)
        # would ignore the balance read's asking too.
        _database.setdefault("OPTIONS", {})["prepare_threshold"] = (
            _PREPARE_ONLY_WHEN_ASKED if DATABASE_PREPARED_STATEMENTS else None
        )

# --- Cache: shared by every app process (rate limits, one-time-code limits) ------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # The database cache is shared across processes, unlike the local-memory cache.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "jaminanku_cache",
        }
    }
# Per process, for what every member sees alike and may show a little late (the home page's headlines): no
# round trip to the database or Redis.
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jaminanku-local"}

# --- Auth -----------------------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jaminanku.accounts.passwords.ContextWordsValidator"},  # the documented context-specific words
    {"NAME": "jaminanku.accounts.passwords.BreachedPasswordValidator"},  # the Pwned Passwords set (ASVS 6.2.12)
]
# The Pwned Passwords range service (only a 5-hex-digit hash prefix leaves the server): the public one in
# production, or the agency's mirror; empty turns the outbound check off (`make run` on a machine offline).
PWNED_PASSWORDS_URL = os.environ.get("PWNED_PASSWORDS_URL", "" if DEBUG else "https://api.pwnedpasswords.com/range/")
PWNED_PASSWORDS = {"API_TIMEOUT": float(os.environ.get("PWNED_PASSWORDS_TIMEOUT", "1.5"))}
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "member:home"
LOGOUT_REDIRECT_URL = "member:home"

AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"  # counts in the database: every process sees them
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_LOCKOUT_CALLABLE = "jaminanku.accounts.login.lockout.lockout_response"  # Indonesian page / JSON for the API

# --- Internationalisation -------------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["jaminanku.formats"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
# Leaflet comes packaged by django-leaflet; only its static files are used (its app needs GDAL, which we don't).
_leaflet_spec = importlib.util.find_spec("leaflet")
STATICFILES_DIRS = [PACKAGE_DIR / "static"] + (
    [Path(_leaflet_spec.origin).parent / "static"] if _leaflet_spec and _leaflet_spec.origin else []
)
WHITENOISE_USE_FINDERS = not PRODUCTION  # serve straight from the app folders until collectstatic has run
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"

# Claim documents, bank transfer files and tax slips hold members' identity papers: a storage of their own, never
# under MEDIA_URL, read only through views that check who asks. The filesystem by default; an S3-compatible bucket
# (django-storages, private objects) when CLAIMS_S3_BUCKET is set.
CLAIMS_FILES_DIR = Path(os.environ.get("CLAIMS_FILES_DIR", VAR_DIR / "private" / "claims"))
if os.environ.get("CLAIMS_S3_BUCKET"):
    STORAGES["claims"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["CLAIMS_S3_BUCKET"],
            "endpoint_url": os.environ.get("CLAIMS_S3_ENDPOINT_URL") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    STORAGES["claims"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(CLAIMS_FILES_DIR), "base_url": "/unused-private-files/"},
    }

# JHT claims (RULES.md "JHT claims"): decided without a person up to the online threshold when every check holds;
# above the four-eyes threshold an officer and then a supervisor approve. Service level in working days.
CLAIMS_ONLINE_THRESHOLD = int(os.environ.get("CLAIMS_ONLINE_THRESHOLD", "15000000"))
CLAIMS_FOUR_EYES_THRESHOLD = int(os.environ.get("CLAIMS_FOUR_EYES_THRESHOLD", "50000000"))
CLAIMS_SLA_DAYS_WITHIN_THRESHOLD = int(os.environ.get("CLAIMS_SLA_DAYS_WITHIN_THRESHOLD", "1"))
CLAIMS_SLA_DAYS_ABOVE_THRESHOLD = int(os.environ.get("CLAIMS_SLA_DAYS_ABOVE_THRESHOLD", "5"))
CLAIMS_RECENT_CHANGE_DAYS = int(os.environ.get("CLAIMS_RECENT_CHANGE_DAYS", "30"))
CLAIMS_DOCUMENT_MAX_BYTES = int(os.environ.get("CLAIMS_DOCUMENT_MAX_BYTES", str(5 * 1024 * 1024)))
# Paying approved claims through Xendit's Payouts API (claims/payouts/xendit.py): unavailable while the secret key
# is empty; the agency bank's bulk-transfer file needs no setting. Xendit signs its callbacks with the callback
# token (x-callback-token header); XENDIT_API_URL points the client at another host (a sandbox or a test server).
XENDIT_SECRET_KEY = os.environ.get("XENDIT_SECRET_KEY", "")
XENDIT_CALLBACK_TOKEN = os.environ.get("XENDIT_CALLBACK_TOKEN", "")
XENDIT_API_URL = os.environ.get("XENDIT_API_URL", "https://api.xendit.co")

# --- Email and SMS --------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (  # `make run` (DEBUG) prints emails instead of needing SMTP
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "JaminanKu <no-reply@jaminanku.local>")
SMS_BACKEND = os.environ.get("SMS_BACKEND", "outbox")  # "outbox" or "http"
SMS_HTTP_URL = os.environ.get("SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = os.environ.get("SMS_HTTP_TOKEN", "")
SMS_HTTP_TIMEOUT = float(os.environ.get("SMS_HTTP_TIMEOUT", "5"))

# --- Security (docs/security.md) -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # no script of ours reads it: forms carry the token
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"  # no separate "messages" cookie
# A member is logged out after ACCOUNTS_SESSION_IDLE_MINUTES without a request, and in any case
# ACCOUNTS_SESSION_MAX_HOURS after logging in (jaminanku.accounts.sessions.middleware.SessionLifetimeMiddleware).
ACCOUNTS_SESSION_IDLE_MINUTES = int(os.environ.get("ACCOUNTS_SESSION_IDLE_MINUTES", "60"))
ACCOUNTS_SESSION_MAX_HOURS = int(os.environ.get("ACCOUNTS_SESSION_MAX_HOURS", "24"))
SESSION_COOKIE_AGE = ACCOUNTS_SESSION_MAX_HOURS * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # "__Host-": the browser keeps these cookies only from HTTPS, for this host alone, for the whole site
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # every handler masks NIKs, phone numbers and emails (UU 27/2022): see jaminanku/core/logfilters.py
    "filters": {"mask_personal_data": {"()": "jaminanku.core.logfilters.MaskPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # httpx logs every request (the breached-password look-ups) at INFO
    "loggers": {"django.db.backends": {"level": "WARNING"}, "httpx": {"level": "WARNING"}},
}

# --- Domain settings ------------------------------------------------------------------------------------
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")
# The Ed25519 key that signs digital cards: PEM text, or else the file. Outside production a missing file is made
# there on first use, like var/secret_key; production must give one (`check --deploy` says so: card/checks.py).
CARD_SIGNING_KEY = os.environ.get("CARD_SIGNING_KEY", "")
CARD_SIGNING_KEY_FILE = Path(os.environ.get("CARD_SIGNING_KEY_FILE", VAR_DIR / "card-signing-key.pem"))
JAMINANKU_AGENCY_NAME = os.environ.get("JAMINANKU_AGENCY_NAME", "BPJS Ketenagakerjaan (JaminanKu demo)")
# starts of anything that sends a one-time code (sign-up email/phone, forgot password, recovery SMS, change of
# email/phone), per client address; django-ratelimit's "count/period" (s, m, h, d), counted in the shared cache
ACCOUNTS_CODE_STARTS_PER_IP = os.environ.get("ACCOUNTS_CODE_STARTS_PER_IP", "20/h")
API_TOKEN_LIFETIME_DAYS = int(os.environ.get("API_TOKEN_LIFETIME_DAYS", "90"))  # mobile API bearer tokens
API_TOKEN_IDLE_DAYS = int(os.environ.get("API_TOKEN_IDLE_DAYS", "30"))  # ...and after this long unused
# a device that passed the login's second step skips it this long (jaminanku/accounts/login/devices.py)
ACCOUNTS_TRUSTED_DEVICE_DAYS = int(os.environ.get("ACCOUNTS_TRUSTED_DEVICE_DAYS", "30"))
OTP_TOTP_ISSUER = "JaminanKu"  # the name authenticator apps show next to the code


# --- Content-Security-Policy (django-csp; the admin's one exception is in jaminanku/core/csp.py) -------------
def _tile_origin(url: str) -> str:
    """The map tiles' origin for img-src: scheme and host, Leaflet's {s} subdomain becoming a CSP wildcard."""
    parts = urlsplit(url.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *filter(None, [_tile_origin(MAP_TILE_URL)])],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
    }
}
