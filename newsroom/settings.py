"""Newsroom settings: one module, configured from the environment.

Defaults suit a laptop (SQLite, local-memory cache, DEBUG off). Production sets
SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL and SECURE_SSL; see README.md
("Running in production") for every variable.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from js_asset import static_lazy

from newsroom.logging import stdout_handler

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (a long random string), "
            "or set DEBUG=1 for local development."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A form sent without its cookie gets the site's own page, and the comment form its text
# back ready to post again, instead of Django's bare "CSRF verification failed".
CSRF_FAILURE_VIEW = "newsroom.csrf.csrf_failure"

SITE_NAME = os.environ.get("SITE_NAME", "The Newsroom")

INSTALLED_APPS = [
    # Django's admin, with the moderation queue's pending count on every admin page.
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "axes",
    "crispy_forms",
    "huey.contrib.djhuey",
    "csp",
    # The article body's rich-text editor (its assets are served from our static files).
    "django_prose_editor",
    # Article revisions: every save kept with who and when, compared and restored.
    "reversion",
    "newsroom.apps.NewsroomConfig",
    "pagecache",
    "articles",
    "comments",
    "wordpress",
]

MIDDLEWARE = [
    # First, so every log record of the request (and the response header) carries its id.
    "newsroom.request_id.RequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads the body or looks a path up: see the module.
    "newsroom.unreadable.UnreadableRequestMiddleware",
    # Before host validation and sessions: load balancers probe it by IP, often many times
    # a second, and it must not touch a session.
    "newsroom.health.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Views marked newsroom.csrf.origin_checked_when_anonymous check anonymous POSTs by
    # their headers instead (the comment and password forms).
    "django.middleware.csrf.CsrfViewMiddleware",
    # Serves stored pages before the rest: a hit needs neither the user nor the URL resolver.
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Answers a login that hit the lock-out with the admin's "locked" page.
    "axes.middleware.AxesMiddleware",
    # Last, so it sees the 404s of every view: old WordPress links redirect to articles.
    "wordpress.middleware.WordPressRedirectMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

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
                "newsroom.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# Each gunicorn worker (and each thread) keeps its one connection between requests for
# DB_CONN_MAX_AGE seconds, checked before reuse, rather than a pool: a sync worker serves
# one request at a time, so a pool per process would only hold more connections open.
# What N servers need of PostgreSQL's max_connections: README.md, "Database connections".
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers share one SQLite file. WAL lets readers run beside the one
    # writer; IMMEDIATE takes the write lock when a transaction begins, so a writer waits
    # (up to the timeout) instead of failing with "database is locked" when it upgrades a
    # read lock mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }

# One cache for everything shared between workers and app servers: flood control,
# duplicate checks and the anonymous page cache. Redis in production; a directory on
# one machine without Redis (shared by that machine's workers); local memory otherwise,
# which is per process and so only right for a single process.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            # A Redis that is down or unreachable costs a request this long at the most,
            # then pages are rendered uncached (newsroom/cache.py).
            "OPTIONS": {
                "socket_connect_timeout": env_int("CACHE_TIMEOUT_SECONDS", 1),
                "socket_timeout": env_int("CACHE_TIMEOUT_SECONDS", 1),
            },
        }
    }
elif os.environ.get("CACHE_DIR"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ["CACHE_DIR"],
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000)},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploaded images (articles/media.py) and their renditions, through Django's storage API:
# files under MEDIA_ROOT by default (served by nginx, deploy/nginx.conf, or by Django when
# DEBUG); with MEDIA_STORAGE=s3, an S3-compatible bucket shared by several app servers
# (django-storages; README.md, "Images and media files").
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem").strip().lower()


def s3_media_storage(environ):
    """The storage of MEDIA_STORAGE=s3, from the S3_* and AWS_* variables (README.md)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": environ.get("S3_BUCKET_NAME", ""),
            "endpoint_url": environ.get("S3_ENDPOINT_URL") or None,
            "region_name": environ.get("S3_REGION_NAME") or None,
            "access_key": environ.get("AWS_ACCESS_KEY_ID", ""),
            "secret_key": environ.get("AWS_SECRET_ACCESS_KEY", ""),
            # Where readers fetch the files from (a CDN or the bucket's public host).
            "custom_domain": environ.get("S3_CUSTOM_DOMAIN") or None,
            # Public, content-addressed names: plain URLs, cached for a year.
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }


if MEDIA_STORAGE == "s3":
    _media_storage = s3_media_storage(os.environ)
    if "MEDIA_URL" not in os.environ:
        # The address files are served from, for the CSP's img-src and the body allowlist.
        _domain = os.environ.get("S3_CUSTOM_DOMAIN")
        _endpoint = os.environ.get("S3_ENDPOINT_URL", "").rstrip("/")
        _bucket = os.environ.get("S3_BUCKET_NAME", "")
        MEDIA_URL = (
            f"https://{_domain}/"
            if _domain
            else f"{_endpoint}/{_bucket}/"
            if _endpoint
            else f"https://{_bucket}.s3.amazonaws.com/"
        )
elif MEDIA_STORAGE == "filesystem":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE is 'filesystem' or 's3', not {MEDIA_STORAGE!r}.")

# Django serves MEDIA_ROOT itself only when asked (or DEBUG): nginx does it in production.
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=DEBUG) and MEDIA_STORAGE == "filesystem"

# Limits on uploaded images: bytes of the file, and pixels (width × height, times the
# frames of an animation) so a small file that unpacks into gigabytes (a decompression
# bomb) is refused before it is decoded.
IMAGES_MAX_UPLOAD_BYTES = env_int("IMAGES_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
IMAGES_MAX_PIXELS = env_int("IMAGES_MAX_PIXELS", 50_000_000)
# The widths (in CSS pixels) renditions are made at, never wider than the original.
IMAGES_RENDITION_WIDTHS = [int(w) for w in env_list("IMAGES_RENDITION_WIDTHS", "480,800,1200,1600")]

STORAGES = {
    "default": _media_storage,
    # Hashed, compressed names that whitenoise serves with far-future cache headers.
    # A DEBUG server runs without collectstatic, so it keeps plain names.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ("newsroom_forms",)
CRISPY_TEMPLATE_PACK = "newsroom_forms"

LOGIN_URL = "admin:login"
# The admin is the only place anyone logs in: a login whose `next` is refused (another
# host, a script URL) lands there, not on Django's /accounts/profile/ (a 404 here).
LOGIN_REDIRECT_URL = "admin:index"

# Admin login lock-out (django-axes, newsroom/login_lockout.py): after this many failed
# logins for one username, or from one client IP address, logging in is refused for this
# many minutes (each new try starts them again). Counted in the database, with the client
# IP from the same rule as comment flood control (COMMENTS_TRUSTED_PROXIES). Unlock with
# the admin's "Access attempts" or `manage.py axes_reset_username NAME` / `axes_reset_ip`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "newsroom.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "newsroom.login_lockout.locked_out_response"
# Its start-up banner would land in every management command's output (logs go to stdout).
AXES_VERBOSE = False

# Pagination and comment settings; each can be tuned from the environment.
ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 10)
COMMENTS_PER_PAGE = env_int("COMMENTS_PER_PAGE", 50)
# Fewer threads on a page when they are long: at most this many comments, replies included
# (a thread is never split, so one longer thread is a page of its own).
COMMENTS_PAGE_MAX_COMMENTS = env_int("COMMENTS_PAGE_MAX_COMMENTS", 150)
COMMENTS_THREAD_DEPTH = env_int("COMMENTS_THREAD_DEPTH", 5)
# Close comments automatically this many days after publication; 0 keeps them open.
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 0)

# Comment moderation policy (comments/moderation.py); each rule records why it fired.
# Comments containing any of these words or phrases (case-insensitive) go to spam.
COMMENTS_DISALLOWED_WORDS = env_list("COMMENTS_DISALLOWED_WORDS")
# Comments with more links than this are held for a moderator, whatever else applies.
COMMENTS_MAX_LINKS = env_int("COMMENTS_MAX_LINKS", 2)
# Approve at once authors who already have an approved comment (off: everything is held).
COMMENTS_AUTO_APPROVE_RETURNING = env_bool("COMMENTS_AUTO_APPROVE_RETURNING", default=False)
# A comment sent sooner than this after its form was rendered is held for a moderator,
# even from a returning author (see comments/moderation.py on cached pages).
COMMENTS_MIN_SECONDS_TO_SUBMIT = env_int("COMMENTS_MIN_SECONDS_TO_SUBMIT", 3)
# A form rendered longer ago than this must be sent again (its timestamp is stale); well
# above PAGE_CACHE_SECONDS + EDGE_CACHE_SECONDS, which a cached form may be old when shown.
COMMENTS_FORM_MAX_AGE_SECONDS = env_int("COMMENTS_FORM_MAX_AGE_SECONDS", 24 * 60 * 60)
# Flood control: one comment per client IP address per this many seconds; 0 turns it off.
COMMENTS_FLOOD_SECONDS = env_int("COMMENTS_FLOOD_SECONDS", 15)
# How long after posting a commenter may edit or delete their comment, from the browser
# that posted it.
COMMENTS_EDIT_WINDOW_MINUTES = env_int("COMMENTS_EDIT_WINDOW_MINUTES", 15)
# Proxies (IP addresses or networks) whose X-Forwarded-For is believed; empty: REMOTE_ADDR.
COMMENTS_TRUSTED_PROXIES = env_list("COMMENTS_TRUSTED_PROXIES")
# Spam checkers asked after the fixed rules (dotted paths; see comments/spam_filter.py for
# the interface, e.g. an Akismet client). The default learns from moderators' decisions.
COMMENTS_SPAM_CHECKERS = env_list("COMMENTS_SPAM_CHECKERS", "comments.spam_filter.SpamFilter")
# The learning filter marks spam at or above this score (0-1); it never approves.
COMMENTS_SPAM_FILTER_THRESHOLD = float(os.environ.get("COMMENTS_SPAM_FILTER_THRESHOLD", "0.95"))
# It abstains until it has learnt from at least this many spam and this many approved comments.
COMMENTS_SPAM_FILTER_MIN_TRAINING = env_int("COMMENTS_SPAM_FILTER_MIN_TRAINING", 20)
# Reader reports: hold an approved comment for a moderator after this many reports (0: never).
COMMENTS_REPORTS_TO_HOLD = env_int("COMMENTS_REPORTS_TO_HOLD", 3)

# Moderation: who is told about held comments, and how mail leaves the site.
# Absolute links in emails (the admin's approve/spam/remove pages) start with SITE_URL.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
COMMENTS_NOTIFY_MODERATORS = env_bool("COMMENTS_NOTIFY_MODERATORS", default=True)
# When set, held-comment emails go to these addresses instead of the Moderators group.
COMMENTS_MODERATOR_EMAILS = env_list("COMMENTS_MODERATOR_EMAILS")
# Readers' follow-up notices (comments/subscriptions.py): an address told of more than this
# many comments in an hour gets the rest in one digest an hour later.
COMMENTS_NOTIFY_DIGEST_AFTER = env_int("COMMENTS_NOTIFY_DIGEST_AFTER", 5)
# Spam and removed comments are deleted this many days after they were moderated.
COMMENTS_PURGE_AFTER_DAYS = env_int("COMMENTS_PURGE_AFTER_DAYS", 30)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Emails are sent by a huey consumer (`manage.py run_huey`), never inside a request.
# One machine: a SQLite file beside the database; production: Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY = {
    "name": "newsroom",
    "immediate": env_bool("HUEY_IMMEDIATE", default=False),
    "consumer": {"workers": env_int("HUEY_WORKERS", 2), "worker_type": "thread"},
}
if REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "url": REDIS_URL}
else:
    HUEY |= {
        "huey_class": "newsroom.task_queue.WalSqliteHuey",
        "filename": os.environ.get("HUEY_SQLITE_FILE", str(BASE_DIR / "huey.sqlite3")),
    }

# Anonymous page cache (pagecache/): the longest a cached page lives. Changes
# to what a page shows replace it at once; this bounds memory and changes no one announces,
# such as comments closing after COMMENTS_CLOSE_AFTER_DAYS.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# Cookies that do not change what a page shows. A request carrying any other cookie
# (a session, pending comments, saved comment details, messages) bypasses the page cache.
PAGE_CACHE_NEUTRAL_COOKIES = env_list("PAGE_CACHE_NEUTRAL_COOKIES", "csrftoken")
# How long a shared cache in front (nginx, deploy/nginx.conf; or a CDN) may serve a page the
# page cache shares (Cache-Control: s-maxage) without asking the app: the longest an
# approval, an edit or a new article takes to reach readers of a page nginx holds.
EDGE_CACHE_SECONDS = env_int("EDGE_CACHE_SECONDS", 5)

# Security. Every response carries these headers; SECURE_SSL=1 (serving over HTTPS)
# adds the redirect, HSTS and secure cookies.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL = env_bool("SECURE_SSL", default=False)
SECURE_SSL_REDIRECT = SECURE_SSL
# Load balancers probe plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if SECURE_SSL else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_HTTPONLY = True
# Only behind a proxy that sets X-Forwarded-Proto itself and strips what clients send:
# otherwise any client could claim its plain-HTTP request was secure.
if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def _media_origin(url):
    """The origin of an absolute MEDIA_URL (a bucket or CDN) for the CSP; none for ours."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


# No inline script anywhere, ours or the admin's; no third-party requests. The one inline
# element is the article editor's import map (a <script type="importmap">, which has no
# src form): it carries this request's nonce. django-csp names the nonce in the header
# only on a response that used it, so every other page keeps script-src 'self' alone.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        # Images come from us (or the S3 bucket's host when media is stored there);
        # images that old bodies link to elsewhere stay blocked unless imported.
        "img-src": ["'self'", "data:", *_media_origin(MEDIA_URL)],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# The article editor (django-prose-editor): our one extension keeps the editor from
# injecting a <style> element, which style-src 'self' refuses (its rules are in
# static/css/admin.css instead); it adds nothing to the HTML, hence its allowlist processor
# that allows nothing. articles/editor.py holds the editor's configuration.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("articles/editor-extensions.js")],
        "extensions": {"NoInjectedStyles": lambda extension_config, allowlist: None},
    }
]

# Logging: JSON lines on stdout, each record with the id of the request it belongs to.
# Request bodies are never logged (commenters' emails must not reach the logs).
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "newsroom.request_id.RequestIDLogFilter"}},
    "formatters": {"json": {"()": "newsroom.logging.JSONFormatter"}},
    "handlers": {"stdout": stdout_handler(filters=["request_id"])},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own handlers would print a second, unstructured copy (and mail admins).
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
    },
}
