"""Settings, driven by environment variables.

DJANGO_DEBUG        1 for development (default 0)
DJANGO_SECRET_KEY   overrides the key kept in the git-ignored file .secret_key
DJANGO_SECRET_KEY_FALLBACKS comma separated old keys (keep while a 群众评议 round is open)
DATABASE_URL        e.g. postgres://postgres@127.0.0.1:5432/chuangxian (default: SQLite db.sqlite3)
DJANGO_ALLOWED_HOSTS comma separated (default 127.0.0.1,localhost)
DJANGO_HTTPS        1 behind HTTPS: secure cookies, HSTS, SSL redirect
DJANGO_CSRF_TRUSTED_ORIGINS comma separated origins, e.g. https://dangjian.example.com
DJANGO_HSTS_PRELOAD 1 to ask browsers to preload HSTS (only once HTTPS is permanent)
DJANGO_BACKUP_DIR   where `manage.py backup` writes (default: backups/ beside manage.py)
DJANGO_MEDIA_ROOT   where uploaded photos are stored (default: media/ beside manage.py)
DJANGO_MEDIA_ACCEL_REDIRECT  e.g. /protected-media/: nginx sends uploaded files (X-Accel-Redirect)
REDIS_URL           e.g. redis://127.0.0.1:6379/0: the cache all server processes share (rate
                    limits); default: files under var/cache/
DJANGO_SITE_URL     the address members open, shown with a QR code on the secretary's home page,
                    e.g. http://192.168.1.20:8000/ (default: the address the secretary opened)
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """Read the key from the environment, else from .secret_key, writing a new one on first run."""
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Old keys still accepted (signed cookies, sealed 群众评议 votes) after changing SECRET_KEY.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", "")
DEBUG = env_bool("DJANGO_DEBUG")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "bootstrap",
    "axes",
    "django_ratelimit",
    "csp",
    "members",
    "campaign",
    "reading",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost after SecurityMiddleware, so that even the 400 for a bad Host header and every
    # other error response carry the CSP and the frame ban.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.middleware.StripControlCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's, saying why the login page opened (a form sent after the session ended).
    "config.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "members.middleware.FirstRunMiddleware",
    "members.middleware.ForcePasswordChangeMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "members.context_processors.roles",
            ],
        },
    },
]

# SQLite by default, tuned for several writers: WAL, IMMEDIATE transactions and a 20 s busy
# timeout, so that concurrent requests wait for the write lock instead of failing.
_SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
        # Deleted and rewritten rows are zeroed on disk, not left in free pages (群众评议).
        "PRAGMA secure_delete=ON;"
    ),
}
# Connections are kept between requests (60 s) on SQLite too: opening one per request (and
# reading the schema again) cost more than a simple page's own work (issue 11's bench).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = _SQLITE_OPTIONS
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache every server process shares: rate limits (the public feedback page) and the one-time
# form tokens count across gunicorn's workers. Redis with REDIS_URL (it keeps nothing on disk
# here); otherwise files under var/cache/, shared by the processes of one machine (its counters
# are not atomic: a burst at the same instant may pass a few requests over the limit).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "chuangxian"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("DJANGO_CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            # Kept pages and table stamps (config/pagecache.py) besides the rate limits: past
            # this many files a third are removed at random (a removed stamp only means that the
            # pages drawn with it are drawn again).
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
    # django-ratelimit asks for Redis or Memcached; the file cache is shared, only not atomic.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003"]
# django-ratelimit knows django-redis, not Django's own RedisCache (which increments atomically
# too): its "not officially supported" warning says nothing about this setup.
SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "django_ratelimit.W001"]
# Pages served again while the data they show is unchanged (config/pagecache.py), at most this
# long: the bound on what a database edited outside Django could leave stale.
PAGE_CACHE = os.environ.get("DJANGO_PAGE_CACHE", "1") != "0"
PAGE_CACHE_SECONDS = 600
# Requests per address (config/ratelimit.py): the public feedback page sends (a canteen's worth
# of honest complaints, not a flood) and receipt-code look-ups.
RATE_LIMITS = {"feedback-send": "10/h", "feedback-track": "30/h"}

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with the roles' permissions read from members/roles.py (members/backends.py).
    "members.backends.RoleBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    # One-time passwords are long random strings; see members/hashers.py for why they hash faster.
    "members.hashers.OneTimePasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "members.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# A refused form (CSRF) explains itself in the site's layout; see config/errors.py.
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in lockout: 5 failures for one name from one address lock it for 30 minutes. The name and
# the address together: a list inside the list (["username", "ip_address"] would lock either).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Sign-in names are case-insensitive: failures of `XT0202` and `xt0202` count for one name. The
# lockout page says when the lock ends: a try during the lockout does not push that time back.
AXES_USERNAME_CALLABLE = "config.signin.username_key"
AXES_LOCKOUT_CALLABLE = "config.signin.lockout_response"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# No client address is stored (README, "Client addresses in logs"): axes keeps a keyed hash of it
# (config/signin.py), no user agent, no log of sign-ins or failures, and no attempt older than the
# cool-off.
AXES_CLIENT_IP_CALLABLE = "config.signin.client_key"
AXES_HANDLER = "config.signin.AddressFreeHandler"
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Uploads are served only through the views of the objects they belong to (config/media.py); with
# a prefix here, those views hand the sending to the reverse proxy (X-Accel-Redirect).
MEDIA_ACCEL_REDIRECT = os.environ.get("DJANGO_MEDIA_ACCEL_REDIRECT", "")
# The address members open (members/address.py); empty: the one the secretary's browser used.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").strip()
# `manage.py backup` writes here (keep it off the web root; copy it off the machine too).
BACKUP_DIR = Path(os.environ.get("DJANGO_BACKUP_DIR", BASE_DIR / "backups"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
PAGE_SIZE = 20
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Uploads: the people import takes files up to 5 MB; forms check their own limits.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# Security headers. HTTPS-only switches follow DJANGO_HTTPS.
HTTPS = env_bool("DJANGO_HTTPS")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
# Sessions are written to the database and the cache, and read from the cache (from the database
# when the cache lost them): a page served from the page cache then runs no query at all. A
# session ends through the session engine (sign-out, a new sign-in), which deletes both copies;
# a deactivated person or a changed password ends it at the next request, checked against the
# person's record. Nothing in the app deletes session rows behind the engine's back.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# No script of ours reads the CSRF cookie: forms carry the token ({% csrf_token %}).
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS and not env_bool("DJANGO_SSL_REDIRECT_OFF")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD")
# Behind one reverse proxy that sets X-Forwarded-Proto and appends the client's address to
# X-Forwarded-For; the sign-in lockout then counts by that address (config/signin.py).
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: everything from our own origin, no inline script or style handlers.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Django logs 4xx/5xx with the request path only; no client addresses.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
