"""Site settings for the Summit Briefing API, read from the environment.

Every deploy-specific value comes from an environment variable (twelve-factor style), read
through one typed reader (django-environ). Development is opt-in: ``DEBUG=true`` allows the
built-in development secret key and local hosts; with ``DEBUG`` off (the default) the process
refuses to start without ``SECRET_KEY`` and ``ALLOWED_HOSTS``.

In a checkout, ``make run`` writes ``.env`` (``DEBUG=true`` and a secret key of its own) and
every local command reads it, so nothing has to be typed before ``manage.py``. The environment
wins over the file. ``ENV_FILE`` names another file, or none when empty: the test settings and
the suite's production processes read none, and the image has no ``.env`` (.dockerignore).
"""

import datetime
import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE:
    if "ENV_FILE" in os.environ and not Path(ENV_FILE).is_file():
        raise ImproperlyConfigured(f"ENV_FILE names {ENV_FILE}, which is not a file.")
    environ.Env.read_env(ENV_FILE)

# How a checkout gets development settings, for the errors below.
_DEVELOPMENT_HINT = (
    "For development in a checkout, `make .env` (or `make run`) writes a .env with DEBUG=true."
)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(f"SECRET_KEY must be set when DEBUG is off. {_DEVELOPMENT_HINT}")
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(f"ALLOWED_HOSTS must be set when DEBUG is off. {_DEVELOPMENT_HINT}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles, whose `runserver` briefing's replaces (briefing/management/commands/runserver.py).
    "briefing",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "simple_history",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    # Keeps answers for the response cache (briefing.responses), whose hits briefing.wsgi
    # answers before Django; first, so that it keeps them as every other middleware left them.
    "briefing.responses.ResponseCacheMiddleware",
    # First: nothing may read a body before it is known to be whole.
    "api.middleware.LengthRequiredMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Browsers opening an API address go to its reader page; those addresses get Vary: Accept.
    "api.reader.middleware.BrowserToReaderMiddleware",
    # ETag on every GET answer, 304 for a matching If-None-Match, a 412 problem for a stale If-Match.
    "api.middleware.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Records who made each change (admin and API alike) in the change history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "api.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "briefing.urls"
WSGI_APPLICATION = "briefing.wsgi.application"

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
    },
]

# DATABASE_URL selects the database: an embedded SQLite file by default, or PostgreSQL
# (through psycopg 3) with a postgres:// URL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].update(
        CONN_MAX_AGE=env.int("DB_CONN_MAX_AGE", default=60),
        # A reused connection is pinged before each request, so a restarted database
        # costs no failed request.
        CONN_HEALTH_CHECKS=True,
    )
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        # Fail fast instead of hanging a worker when the database is unreachable.
        connect_timeout=env.int("DB_CONNECT_TIMEOUT", default=3),
    )

elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        # Write transactions take SQLite's write lock when they begin, so they run one at a
        # time (the services' row locks are no-ops here) and never fail half-way on a stale read.
        transaction_mode="IMMEDIATE",
        # Wait for the lock rather than failing at once with "database is locked".
        timeout=env.int("SQLITE_TIMEOUT", default=20),
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")

REST_FRAMEWORK = {
    # orjson: the same JSON as DRF's renderer, several times faster on large pages.
    "DEFAULT_RENDERER_CLASSES": ["drf_orjson_renderer.renderers.ORJSONRenderer"],
    # JSON only: a schema that also offers form and multipart bodies breaks generated clients.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Token first: an anonymous write is a 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ThrottledTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Anyone reads; writes need the model's add/change/delete permission.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["api.filters.StrictFilterBackend", "api.filters.StableOrderingFilter"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.KeysetPagination",
    "DEFAULT_SCHEMA_CLASS": "api.schema.BriefingAutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.problem_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonThrottle", "api.throttling.UserThrottle"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.FormatParamNegotiation",
    # Read by api.negotiation instead, so hyperlinks do not inherit `?format=`.
    "URL_FORMAT_OVERRIDE": None,
    "ORDERING_PARAM": "ordering",
    "SEARCH_PARAM": "search",
    "URL_FIELD_NAME": "url",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Summit Briefing API",
    "DESCRIPTION": (
        "Structured briefing data on summits and official visits: who met whom, when and where, "
        "about what, and who said what, with every statement traceable to the exact span of the "
        "article it came from. Errors use RFC 9457 problem details (see the `Problem` schema)."
    ),
    "VERSION": "2.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The system's fonts: ReDoc's defaults would be fetched from Google (api/templates/api/redoc.html).
    "REDOC_UI_SETTINGS": {
        "theme": {
            "typography": {
                "fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
                "headings": {"fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},
                "code": {"fontFamily": "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace"},
            }
        }
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "MeetingKindEnum": "briefing.models.Meeting.Kind",
        "StatementKindEnum": "briefing.models.Statement.Kind",
        "OrganizationKindEnum": "briefing.models.Organization.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.sparse_response_components",
    ],
}

# Where `manage.py seed` looks for article fixtures.
FIXTURE_ARTICLES_DIR = env.path("FIXTURE_ARTICLES_DIR", default=BASE_DIR / "fixtures" / "articles")
FIXTURE_SCHEMA_PATH = BASE_DIR / "fixtures" / "article.schema.json"  # format version 2
FIXTURE_SCHEMA_V1_PATH = BASE_DIR / "fixtures" / "article.v1.schema.json"
# The largest fixture file the importer reads (bytes); larger ones are refused unread.
FIXTURE_MAX_BYTES = env.int("FIXTURE_MAX_BYTES", default=2 * 1024 * 1024)

# --- Production hardening (security headers, static files, CORS) ---
# With DEBUG off, these pass `manage.py check --deploy --fail-level WARNING` (tests/test_deploy.py).
# docs/operations.md lists every environment variable read here.
INSTALLED_APPS = [*INSTALLED_APPS, "corsheaders"]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production serves hashed, pre-compressed files that WhiteNoise can cache forever; that
    # needs the manifest `collectstatic` writes (the image runs it at build time).
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

if not DEBUG:
    # HSTS is hard to take back once browsers have seen it: start with a short
    # SECURE_HSTS_SECONDS on a new domain (docs/operations.md).
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# Orchestrators and the image's HEALTHCHECK probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]
# TLS ends at the load balancer, which must set (and overwrite) this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A failed CSRF check outside DRF views (the admin) answers a problem document too.
CSRF_FAILURE_VIEW = "api.errors.csrf_failure"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)

# Browsers on other origins may read the API, never write to it, and never with credentials.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_URLS_REGEX = r"^/(?!admin/|static/).*$"
CORS_EXPOSE_HEADERS = ["Retry-After"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A runaway query is cancelled (and answered 503 by api.middleware) well before gunicorn's
    # worker timeout would kill the worker.
    _statement_timeout = env.int("DB_STATEMENT_TIMEOUT_MS", default=5000)
    # No parallel workers by default: the API's paged reads are planned without them anyway, and
    # on a small, busy server the cores they would take are serving other requests.
    _parallel_workers = env.int("DB_PARALLEL_WORKERS", default=0)
    # The working set of a briefing database fits in memory, where fetching a page by index
    # costs about what reading the next one does; with PostgreSQL's default (4) it hashes a
    # whole table of officials to join twenty statements to their speakers.
    _random_page_cost = env.float("DB_RANDOM_PAGE_COST", default=1.1)
    _db_options = DATABASES["default"]["OPTIONS"]
    _db_options["options"] = " ".join(
        filter(
            None,
            [
                _db_options.get("options"),
                f"-c statement_timeout={_statement_timeout}",
                f"-c max_parallel_workers_per_gather={_parallel_workers}",
                f"-c random_page_cost={_random_page_cost:g}",
            ],
        )
    )

# Throttle counters live in a cache shared by every worker and instance (a per-process cache
# lets several times the limit through): Redis when REDIS_URL is set, else a database table.
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://"),
    "throttle": (
        {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "throttle"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "briefing_throttle_cache"}
    ),
}
# The response cache (briefing.responses): answers to GET kept under the data version (briefing.cache),
# in Redis when REDIS_URL is set and in each worker's memory. Without Redis, the version lives in
# DATA_VERSION_FILE (default: a file in the temporary directory named after the database).
# Off by default without Redis outside development: the version file is one host's, and a
# second instance would serve answers its writes made stale.
RESPONSE_CACHE = env.bool("RESPONSE_CACHE", default=bool(REDIS_URL) or DEBUG)
RESPONSE_CACHE_SECONDS = env.int("RESPONSE_CACHE_SECONDS", default=600)
RESPONSE_CACHE_LOCAL_BYTES = env.int("RESPONSE_CACHE_LOCAL_BYTES", default=32 * 1024 * 1024)
DATA_VERSION_FILE = env.str("DATA_VERSION_FILE", default="")
# Requests per client and period (e.g. `300/min`); `off` disables a scope. Read on every request
# (api.throttling), so a test can change them.
API_THROTTLE_RATES = {
    "anon": env.str("THROTTLE_ANON", default="300/min"),
    "user": env.str("THROTTLE_USER", default="1200/min"),
    # Failed token authentications per client address; over it, credentials get a 429 unchecked.
    "auth_failure": env.str("THROTTLE_AUTH_FAILURES", default="20/hour"),
}
# Behind N trusted load balancers, the client's address is the Nth entry from the end of
# X-Forwarded-For. 0 (the default) means no proxy is trusted: the socket's peer (REMOTE_ADDR) is
# the client and X-Forwarded-For is ignored, so no one can pick their own throttle bucket by
# forging it. (DRF reads None as "trust the whole header", which is never what we want.)
REST_FRAMEWORK["NUM_PROXIES"] = env.int("NUM_PROXIES", default=0)

# Admin logins (django-axes): after AXES_FAILURE_LIMIT failures for one username, or from one
# client address, further attempts are refused (429) for AXES_COOLOFF_MINUTES, even with the right
# password. Attempts are kept in the database, so every worker and instance sees them; an
# administrator unlocks early with `manage.py axes_reset_username <name>` (README).
INSTALLED_APPS = [*INSTALLED_APPS, "axes"]
# Last, as django-axes requires: it answers for the lockouts the authentication backend flags.
MIDDLEWARE = [*MIDDLEWARE, "axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=60))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "api.throttling.client_address"
# Lockouts and failures are still logged (WARNING); no start-up banner on stdout.
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "api.throttling.admin_locked_out"

# --- Read replicas (docs/operations.md, "Read replicas") ---
# Each URL becomes an alias replica_1, replica_2, ...: a PostgreSQL hot standby that
# briefing.db_router reads from while it answers and lags by at most REPLICA_MAX_LAG_SECONDS.
# Unset, there is no router and no extra middleware: one database, as before.
DATABASE_REPLICA_URLS = env.list("DATABASE_REPLICA_URLS", default=[])
DATABASE_REPLICAS: list[str] = []
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=5.0)
# How long a process trusts its last health check of a replica.
REPLICA_CHECK_SECONDS = env.float("REPLICA_CHECK_SECONDS", default=2.0)
# A replica in use is at most about REPLICA_MAX_LAG_SECONDS + 2 × REPLICA_CHECK_SECONDS behind, so a
# client that wrote reads from the primary that long (see briefing.middleware).
READ_YOUR_WRITES_SECONDS = env.float(
    "READ_YOUR_WRITES_SECONDS", default=REPLICA_MAX_LAG_SECONDS + 2 * REPLICA_CHECK_SECONDS
)
DATABASE_ROUTING_HEADER = env.bool("DATABASE_ROUTING_HEADER", default=False)
if DATABASE_REPLICA_URLS:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL.")
    if READ_YOUR_WRITES_SECONDS < REPLICA_MAX_LAG_SECONDS:
        raise ImproperlyConfigured("READ_YOUR_WRITES_SECONDS must be at least REPLICA_MAX_LAG_SECONDS.")
    for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
        _replica = env.db_url_config(_url)
        if _replica["ENGINE"] != "django.db.backends.postgresql":
            raise ImproperlyConfigured(
                f"Replica {_number} of DATABASE_REPLICA_URLS is not a postgres:// URL."
            )
        # The primary's timeouts, but a shorter connect timeout: a replica that does not answer
        # costs one request that long, then reads go to the primary (libpq's minimum is 2 s).
        _replica["OPTIONS"] = {
            **DATABASES["default"]["OPTIONS"],
            "connect_timeout": env.int("REPLICA_CONNECT_TIMEOUT", default=2),
            **_replica.get("OPTIONS", {}),
        }
        _replica.update(
            CONN_MAX_AGE=DATABASES["default"]["CONN_MAX_AGE"],
            CONN_HEALTH_CHECKS=True,
            # Tests never create a database for a replica: it is the primary's.
            TEST={"MIRROR": "default"},
        )
        DATABASES[f"replica_{_number}"] = _replica
        DATABASE_REPLICAS.append(f"replica_{_number}")
    DATABASE_ROUTERS = ["briefing.db_router.ReplicaRouter"]
    # Before the session middleware, so the session is read from the database chosen here.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "briefing.middleware.ReplicaRoutingMiddleware",
    )
    # Which token clients wrote recently, shared by every worker like the throttle counters.
    CACHES["read_your_writes"] = {**CACHES["throttle"], "KEY_PREFIX": "read-your-writes"}

# Logs go to stdout, where the container runtime collects them.
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "plain"}
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    # Django's own console handler (DEBUG only) would print every django.* line twice.
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL, "propagate": True}},
}
