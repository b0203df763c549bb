"""Settings for 义马 全域网格, read from the environment.

Defaults give the embedded set-up (SQLite, photos on local disk, a broker that needs no server).
Production sets DATABASE_URL, REDIS_URL, SECRET_KEY and DEBUG=false; see .env.example.
"""

from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from yima_gov.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("YIMA_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
_secret = env_str("SECRET_KEY")
if not _secret:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off. Set DEBUG=true for local development."
        )
    _secret = "insecure-local-development-key-do-not-use-in-production-0123456789"
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "accounts",
    "grids",
    "reports",
    "dispatch",
    "mediation",
    "gridwork",
    "stats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "yima_gov.middleware.PrivatePageCacheMiddleware",
    # Last, so that it sees the final outcome of a login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yima_gov.urls"

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
                "yima_gov.context_processors.site",
                "dispatch.context_processors.worklists",
                "mediation.context_processors.links",
                "gridwork.context_processors.links",
            ],
        },
    },
]

WSGI_APPLICATION = "yima_gov.wsgi.application"

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
except Exception as exc:  # dj_database_url raises several kinds for a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
# A persistent connection the server closed (PostgreSQL restarted, a backend terminated, a
# failover) is found out before the request uses it, not by the request's 500.
_db["CONN_HEALTH_CHECKS"] = True
if _db["ENGINE"].endswith("sqlite3"):
    # SQLite is shared by the web server, the embedded worker and beat: readers never wait for
    # the writer (WAL), every transaction takes the write lock at its start (IMMEDIATE: a
    # transaction that read first cannot fail to upgrade its lock with "database is locked"), and
    # a writer waits up to 20 s for the lock instead of failing. Long jobs write in short
    # transactions (STATS_REFRESH_CHUNK) so that nobody waits long.
    _db.setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    _db["CONN_MAX_AGE"] = 0
    if _db["NAME"] not in ("", ":memory:"):
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Every password check (login form, admin) goes through these two, in this order:
    # AxesStandaloneBackend refuses a locked (phone, client) pair before the password check, and
    # SlowedDownModelBackend refuses an attempt that comes too soon after the last failures.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.SlowedDownModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Repeated failed logins for one phone number from one client address: that pair is locked for a
# while after AXES_FAILURE_LIMIT. Not the phone number alone: then anyone could lock the
# dispatcher out with five wrong passwords (see README, "Logins and limits").
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "yima_gov.client_ip.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False
# Before the lock: after LOGIN_SLOWDOWN_AFTER failures in a row, each further attempt for that phone
# number from that client must wait a growing delay (LOGIN_SLOWDOWN_SECONDS, then twice that, …); see
# accounts/login_throttle.py.
LOGIN_SLOWDOWN_AFTER = env_int("LOGIN_SLOWDOWN_AFTER", 3, minimum=1)
LOGIN_SLOWDOWN_SECONDS = env_int("LOGIN_SLOWDOWN_SECONDS", 2, minimum=1)
# Never per address alone: a resident behind a carrier NAT shares an address with thousands of
# others, and locking by address would lock them all out.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# How many proxies of our own stand in front of the app (the TLS proxy: 1). The client's address
# for every limit is REMOTE_ADDR with 0, else the address the outermost of them appended to
# X-Forwarded-For; what the client wrote there itself is never believed (yima_gov/client_ip.py).
NUM_PROXIES = env_int("NUM_PROXIES", 0, minimum=0)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite cannot enforce "one routing rule per category and area" (a unique constraint with
    # NULLS NOT DISTINCT); PostgreSQL does. The embedded demo only gets rules from the seed.
    SILENCED_SYSTEM_CHECKS.append("models.W047")

# --- Cache and broker -----------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # The cache holds only counters (submission limits, login slow-down) and hints: with Redis
    # down it answers "nothing cached" within half a second instead of raising, so limits fail
    # open and a resident's report is never refused for it (logged on "yima.cache").
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "yima.cache"
else:
    # No Redis (the embedded demo): a cache in files under var/, so that the limits are counted
    # once across the web server's processes (not in SQLite, whose write lock is busy enough).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
    for _folder in ("queue", "processed", "control"):
        # Kombu's filesystem transport needs its folders; a doorbell rung before the worker first
        # starts (the demo seed's tickets) would otherwise be lost to the sweep's delay.
        (_queue_dir / _folder).mkdir(parents=True, exist_ok=True)
else:
    # Redis redelivers an unacknowledged message after this many seconds: longer than any task.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 300, minimum=10)
    }
    _scheme = urlparse(CELERY_BROKER_URL).scheme
    if _scheme not in ("redis", "rediss", "amqp", "memory"):
        raise ImproperlyConfigured(
            f"CELERY_BROKER_URL must be a redis://, amqp:// or filesystem:// URL, not {_scheme}://."
        )
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
# At-least-once delivery: a message is acknowledged only after its task ran, and a worker that
# dies mid-task gets its message redelivered. Tasks are idempotent, so running twice is safe.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# After a broker connection loss Celery would lower the prefetch count by the tasks still running
# and raise it again only as tasks finish after the reconnection; tasks that finish during the
# outage leave the worker taking one message at a time for good. Our tasks are short and acked
# late, so taking a full prefetch at once after a reconnection is harmless.
CELERY_WORKER_ENABLE_PREFETCH_COUNT_REDUCTION = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = "yima"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {}  # apps add their periodic jobs in their AppConfig.ready()
# Stable queues by task name: the dispatcher's tasks share the default queue that every worker
# (the embedded one included) consumes; a deployment can give "dispatch.*" its own workers here.
CELERY_TASK_ROUTES = {"dispatch.*": {"queue": "yima"}}

# Deadlines count working time (DESIGN §4): the periods of a working day, Asia/Shanghai. Holidays
# and make-up days come from chinese-calendar and the admin's calendar. Checked at start-up.
DISPATCH_WORKING_HOURS = env_str("DISPATCH_WORKING_HOURS", "08:00-12:00,14:30-18:00")
# The check step (核查): a handled ticket is checked on site within this many working hours (one
# working day), reminded at 75% and supervised (督办) at the limit. Whoever did the grid-level work
# may not check it, except in a grid with one worker while CHECK_SELF_IN_ONE_WORKER_GRID is on (the
# event records it).
CHECK_LIMIT_HOURS = float(env_str("CHECK_LIMIT_HOURS", "7.5"))  # a working day by default
CHECK_SELF_IN_ONE_WORKER_GRID = env_bool("CHECK_SELF_IN_ONE_WORKER_GRID", True)
# The 12345 figures: a task is answered in time (响应率) when accepted within this many working
# hours; a closed ticket without a rating is due for a call-back (回访) this many days after
# closing; a ticket may be reopened after 不满意 at most REOPEN_LIMIT times, then the dispatcher
# answers the resident after review instead.
TASK_RESPONSE_HOURS = float(env_str("TASK_RESPONSE_HOURS", "2"))
CALLBACK_AFTER_DAYS = env_int("CALLBACK_AFTER_DAYS", 3, minimum=0)
REOPEN_LIMIT = env_int("REOPEN_LIMIT", 2, minimum=0)

# The routing pipeline is stalled (/readyz/pipeline answers 503, the console shows a banner) when
# no worker has written the heartbeat for this many seconds (beat sends it every 30 s), or when a
# report has waited this long to be routed.
PIPELINE_HEARTBEAT_MAX_AGE = env_int("PIPELINE_HEARTBEAT_MAX_AGE", 180, minimum=60)
PIPELINE_UNROUTED_MAX_AGE = env_int("PIPELINE_UNROUTED_MAX_AGE", 300, minimum=60)

# The dashboard's rollup refresh writes this many changed reports per transaction, so that it
# never holds the database's write lock for long (stats/rollup.py refresh_recent).
STATS_REFRESH_CHUNK = env_int("STATS_REFRESH_CHUNK", 500, minimum=1)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Third-party browser libraries come from npm (package.json); served by the app, no CDN.
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
    ("vendor/gcoord", BASE_DIR / "node_modules" / "gcoord" / "dist"),
    ("vendor/idb-keyval", BASE_DIR / "node_modules" / "idb-keyval" / "dist"),
]
STATICFILES_DIRS = [d for d in STATICFILES_DIRS if (d[1] if isinstance(d, tuple) else d).exists()]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Session photos and signed mediation agreements: never under MEDIA_URL, served only by
# mediation's access-checked views.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Report photos are never served from MEDIA_URL: only through /photos/<id>/<variant>/ with a
# signed URL (reports/photo_access.py), valid PHOTO_URL_MAX_AGE seconds (rounded up to the hour).
# PHOTO_DELIVERY=django sends the file from the app; x-accel hands it to nginx with
# X-Accel-Redirect: PHOTO_ACCEL_PREFIX + the file's name (an `internal` location on MEDIA_ROOT).
PHOTO_URL_MAX_AGE = env_int("PHOTO_URL_MAX_AGE", 6 * 3600, minimum=60)
PHOTO_DELIVERY = env_choice("PHOTO_DELIVERY", "django", ("django", "x-accel"))
PHOTO_ACCEL_PREFIX = env_str("PHOTO_ACCEL_PREFIX", "/protected-media/")
if not PHOTO_ACCEL_PREFIX.startswith("/") or not PHOTO_ACCEL_PREFIX.endswith("/"):
    raise ImproperlyConfigured(
        "PHOTO_ACCEL_PREFIX must start and end with /, e.g. /protected-media/"
    )
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Maps: every map draws the offline base map (the city's outline, its neighbours, 街道 / 社区 /
# grid boundaries and labels) from the app's own data; it needs no tile server. MAP_TILES adds
# online tiles on top of it, from one of the presets in grids/basemap.py: tianditu-vector and
# tianditu-imagery (天地图, WGS-84/CGCS2000, need MAP_TILE_KEY), amap (AutoNavi, GCJ-02: our
# WGS-84 data is shifted at the edge), osm, or custom (MAP_TILE_URL with MAP_TILE_ATTRIBUTION and
# MAP_TILE_CRS, e.g. an intranet mirror). When tiles fail to load the offline map is what remains.
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")
MAP_TILE_CRS = env_choice("MAP_TILE_CRS", "wgs84", ("wgs84", "gcj02"))
MAP_TILES = env_choice(
    "MAP_TILES",
    "custom" if MAP_TILE_URL else "offline",
    ("offline", "tianditu-vector", "tianditu-imagery", "amap", "osm", "custom"),
)
MAP_TILE_KEY = env_str("MAP_TILE_KEY", "")
if MAP_TILES.startswith("tianditu") and not MAP_TILE_KEY:
    raise ImproperlyConfigured(f"MAP_TILES={MAP_TILES} needs MAP_TILE_KEY (a 天地图 key)")
if MAP_TILES == "custom" and not MAP_TILE_URL:
    raise ImproperlyConfigured("MAP_TILES=custom needs MAP_TILE_URL")

# --- Mail and SMS ---------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@yima.example")
SMS_BACKEND = env_str("SMS_BACKEND", "accounts.sms.ConsoleSmsBackend")

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The actions' refusals (409 / 400) become answers in one place, not in each view.
    "EXCEPTION_HANDLER": "yima_gov.api_errors.exception_handler",
    # Pages and their scripts use the session (with CSRF); systems use API keys (Open311, intake).
    # No HTTP Basic: it would be a password path outside the login slow-down and lock.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "yima_gov.parsers.JSONParser",
        "yima_gov.parsers.FormParser",
        "yima_gov.parsers.MultiPartParser",
    ],
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {
        # Anonymous reports and "me too" per client address, all anonymous ones together (a
        # ceiling against a crowd of addresses), and per logged-in resident.
        "anon_submit": env_str("ANON_SUBMIT_RATE", "20/hour"),
        "anon_submit_global": env_str("ANON_SUBMIT_GLOBAL_RATE", "120/minute"),
        "resident_submit": env_str("RESIDENT_SUBMIT_RATE", "30/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "义马 全域网格 API",
    "DESCRIPTION": "Yima grid governance platform: reports, tracking, dispatch.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the app's own static files (drf-spectacular-sidecar): no CDN, and no
    # inline script for the Content-Security-Policy to allow.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Django's <int:...> matches digits only, so a negative id never reaches a view: say so in the
    # schema, or clients (and schemathesis) expect our JSON 404 where Django's URL resolver answers.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "yima_gov.schema.add_error_responses",
    ],
    "PATH_CONVERTER_OVERRIDES": {"int": {"type": "integer", "minimum": 0}},
    # Several models have a field named "status" (or reuse Category.Level): name each choice set.
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "reports.models.Status",
        "TaskStatusEnum": "dispatch.models.Task.Status",
        "ExtensionStatusEnum": "dispatch.models.Extension.Status",
        "HandlingLevelEnum": "reports.models.Category.Level",
    },
}

# --- Security -------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp): scripts only from our own static files
# (the pages' data travel in <script type="application/json"> blocks, which are never run);
# style attributes are allowed because Leaflet writes them into the markup it generates.
# Images: our own, data:/blob: (photos downscaled in the browser) and the map tile server.
# The tile servers of grids/basemap.py's presets (keep the two together).
_TILE_ORIGINS = {
    "offline": [],
    "tianditu-vector": ["https://*.tianditu.gov.cn"],
    "tianditu-imagery": ["https://*.tianditu.gov.cn"],
    "amap": ["https://*.is.autonavi.com"],
    "osm": ["https://tile.openstreetmap.org"],
}
if MAP_TILES == "custom":
    _tile_url = urlparse(MAP_TILE_URL.replace("{s}", "a"))
    _host = (
        _tile_url.netloc
        if "{s}" not in MAP_TILE_URL.split("/")[2]
        else "*." + _tile_url.netloc.split(".", 1)[-1]
    )
    _tile_origins = [f"{_tile_url.scheme}://{_host}"]
else:
    _tile_origins = _TILE_ORIGINS[MAP_TILES]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *_tile_origins],
        "connect-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # "yima.cache": the cache (Redis) failed and a limit let the request through.
}
