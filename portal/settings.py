"""Settings of the portal.

Every deploy-specific value is read here, and only here, from the environment or
an optional ``.env`` file (see ``.env.example`` and README). Defaults suit a
laptop: SQLite under ``var/``, a local-memory cache, DEBUG off. There is no
built-in secret: a missing ``SECRET_KEY`` stops every command with one line.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from portal.cache import redis_cache
from portal.storage import media_origin

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# PORTAL_ENV_FILE lets tests (and unusual deployments) point at another file.
_env_file = Path(env.str("PORTAL_ENV_FILE", default=str(BASE_DIR / ".env")))
if _env_file.is_file():
    env.read_env(_env_file)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: put it in the environment or in .env "
        "(`make run` creates a local one for development)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # search lookups; harmless on SQLite
    "ckeditor",
    "ckeditor_uploader",  # its views are wrapped in articles/editor_uploads.py
    "axes",  # admin login throttling, see "Staff logins" below
    "reversion",  # articles' revisions (articles/revisions.py)
    "portal",
    "articles",
    "comments",
    "pagecache",
]
# Demo content and benchmark data (seed_demo, seed_bench): for development, the
# tests and the benchmark; a production site runs without it.
DEMO = env.bool("DEMO", default=DEBUG)
if DEMO:
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session and everything else: a cached reader page costs one
    # cache look-up. See pagecache/middleware.py.
    "pagecache.middleware.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Reader pages' reads to the read replica, if there is one (portal/replica.py).
    "portal.replica.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    # Before any view or process_view reads the request: a NUL in the address or
    # a form body Django cannot parse is a 400 here. See portal/middleware.py.
    "portal.middleware.UnreadableRequestMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
# Where the admin lives, e.g. "toa-soan/": not a secret, but it keeps most
# password-guessing robots, which try /admin/, away from the login page.
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("ADMIN_URL must not be empty (the default is admin/).")
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    # Reader pages (templates/reader/): Jinja2, several times faster to render
    # (portal/jinja.py). First, so that they are found before Django's.
    {
        "BACKEND": "portal.jinja.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "reader"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "portal.jinja.environment",
            "libraries": ["articles.jinja", "comments.jinja"],
            "context_processors": [
                "portal.context_processors.site",
                "articles.context_processors.menu",
            ],
        },
    },
    # The admin, the editor, mail, feeds and sitemaps: Django's templates.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
                "articles.context_processors.menu",
            ],
        },
    },
]

CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

# Database: SQLite under var/ by default; PostgreSQL (psycopg 3) when
# DATABASE_URL says so, with persistent connections.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # Writers take the lock when their transaction starts and wait for it: an
    # article's save and its form's heartbeat, in two threads, then write one
    # after the other (a deferred transaction would fail as "database is locked").
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    # Off by default: the check is a round trip before each request's first
    # query, as dear as the query (docs/performance.md). Without it a connection
    # broken by a database restart fails one request per worker (503, with
    # Retry-After) and is replaced on the next.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=False)
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=3)
    )

# A read replica (portal/replica.py): DATABASE_REPLICA_URL names a PostgreSQL
# streaming replica of the default database, e.g.
# postgres://postgres@127.0.0.1:5433/portal (deploy/replica.sh makes one here).
# Anonymous readers' pages read it; everything else uses the primary. A replica
# that cannot be reached is skipped for DATABASE_REPLICA_DOWN_SECONDS; one more
# than DATABASE_REPLICA_MAX_LAG seconds behind the primary, until it catches up.
# Unset: no replica, no router, everything on the default database.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
DATABASE_REPLICA_MAX_LAG = env.float("DATABASE_REPLICA_MAX_LAG", default=5.0)
DATABASE_REPLICA_DOWN_SECONDS = env.float("DATABASE_REPLICA_DOWN_SECONDS", default=5.0)
if DATABASE_REPLICA_URL:
    _replica = env.db_url_config(DATABASE_REPLICA_URL)
    if (
        _replica["ENGINE"] != "django.db.backends.postgresql"
        or DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
    ):
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL needs PostgreSQL, for it and for DATABASE_URL."
        )
    # Connections as the primary's: kept as long, checked alike, the same
    # connect timeout (which bounds what a dead replica costs, once).
    _replica["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    _replica["CONN_HEALTH_CHECKS"] = DATABASES["default"]["CONN_HEALTH_CHECKS"]
    _replica.setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", DATABASES["default"]["OPTIONS"]["connect_timeout"]
    )
    # A test run reads the primary's test database on the replica, where
    # physical replication copies it (a standby cannot create one).
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["portal.replica.ReplicaRouter"]

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://portal")}
if CACHES["default"]["BACKEND"] in {
    "django_redis.cache.RedisCache",
    "django.core.cache.backends.redis.RedisCache",
}:
    # django-redis, where a Redis that is down or hung is a cache miss after at
    # most REDIS_TIMEOUT seconds per call, logged (portal/cache.py).
    CACHES["default"] = redis_cache(
        CACHES["default"], timeout=env.float("REDIS_TIMEOUT", default=0.25)
    )
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# How long an anonymous reader page is kept (by this site's cache and, through
# Cache-Control, by a CDN or browser). 0 turns the page cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)
# Each worker also keeps copies of the pages it served, up to this many MB, and
# trusts them for at most this long after it last read their tags' generations
# from the shared cache: a purge made by another worker reaches it within that
# time (pagecache/copies.py). 0 seconds: every hit asks the shared cache.
# 4 MB holds the most-read pages (some 150 articles, home, sections), the
# ones copies save a round trip for; each MB costs about 1.3 MB of a worker's
# memory (docs/performance.md, "The night").
PAGE_CACHE_WORKER_BYTES = env.int("PAGE_CACHE_WORKER_MB", default=4) * 1024 * 1024
PAGE_CACHE_RECHECK_SECONDS = env.float("PAGE_CACHE_RECHECK_SECONDS", default=1.0)
# Single flight (pagecache/middleware.py): one request at a time renders a page
# the cache lacks, holding a lease this long at most; the others meanwhile get
# its previous copy, kept this long past its end, or wait for the render, never
# longer than the lease. 0 render seconds: every request renders.
PAGE_CACHE_RENDER_SECONDS = env.float("PAGE_CACHE_RENDER_SECONDS", default=5.0)
PAGE_CACHE_STALE_SECONDS = env.int("PAGE_CACHE_STALE_SECONDS", default=10)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first: stored in UTC, shown in Vietnam time (GMT+7).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# The portal's own catalog (locale/vi, compiled by `make messages`) wins over
# Django's and the libraries': it completes and corrects their Vietnamese.
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The app finder without CKEditor's sample and test pages (HTML that would run
# on this site's origin): neither collected nor served. See docs/security.md.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "portal.staticfiles.AppDirectoriesFinder",
]
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))

# Collected, hashed and compressed files served by WhiteNoise with far-future
# cache headers (the hashed name changes whenever the content does).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "portal.staticfiles.ManifestStorage"},
}

MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))

# Media on object storage (portal/storage.py): MEDIA_STORAGE=s3 stores every
# upload in an S3-compatible bucket through django-storages, public and without
# signatures, and MEDIA_URL (and so the CSP's img-src) follows its public host:
# AWS_S3_CUSTOM_DOMAIN (a CDN) or else the endpoint and bucket. Unset (local),
# uploads stay in MEDIA_ROOT. See docs/deploy.md, "Media on object storage".
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE == "s3":
    from portal.s3 import s3_media

    STORAGES["default"], MEDIA_URL = s3_media(
        bucket=env.str("AWS_STORAGE_BUCKET_NAME", default=""),
        endpoint_url=env.str("AWS_S3_ENDPOINT_URL", default=""),
        access_key=env.str("AWS_ACCESS_KEY_ID", default=""),
        secret_key=env.str("AWS_SECRET_ACCESS_KEY", default=""),
        region=env.str("AWS_S3_REGION_NAME", default=""),
        custom_domain=env.str("AWS_S3_CUSTOM_DOMAIN", default=""),
        url_protocol=env.str("AWS_S3_URL_PROTOCOL", default="https:"),
        addressing_style=env.str("AWS_S3_ADDRESSING_STYLE", default=""),
        location=env.str("AWS_LOCATION", default=""),
        timeout=env.float("MEDIA_STORAGE_TIMEOUT", default=3.0),
    )
elif MEDIA_STORAGE == "local":
    # A web server or CDN serving MEDIA_ROOT on its own host, e.g.
    # https://media.baophusa.vn/ (the default: /media/ on this site).
    MEDIA_URL = env.str("MEDIA_URL", default=MEDIA_URL)
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE is local or s3, not {MEDIA_STORAGE!r}.")
# The editor's uploads follow STORAGES like every other upload.
CKEDITOR_STORAGE_BACKEND = "portal.storage.media_storage"

# Serve MEDIA_ROOT from Django itself: for one machine with nothing in front.
# The local disk at a path of this site only: a bucket or another host serves its own.
SERVE_MEDIA = (
    env.bool("SERVE_MEDIA", default=DEBUG)
    and MEDIA_STORAGE == "local"
    and not media_origin(MEDIA_URL)
)

# Security: secure by default whenever DEBUG is off. Each HTTPS setting can be
# turned off by its variable for a production-like run on plain HTTP on one's
# own machine (`make serve`, the benchmark). Behind a TLS-terminating proxy set
# SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# A load balancer asks each app server for /healthz (portal/health.py) over
# plain HTTP, without the proxy's X-Forwarded-Proto: answered, not redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if _proxy_header := env.tuple("SECURE_PROXY_SSL_HEADER", default=()):
    SECURE_PROXY_SSL_HEADER = _proxy_header
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy for reader pages: no inline script, no third-party
# script. The admin (with the CKEditor 4 editor, which needs inline code) is
# left out; it is reachable by staff only. See docs/security.md.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": [f"/{ADMIN_URL}", "/ckeditor/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # The media's own origin when MEDIA_URL names one (a bucket, a CDN).
        "img-src": [
            SELF,
            "data:",
            *filter(None, [media_origin(MEDIA_URL)]),
            *env.list("CSP_IMG_SRC", default=[]),
        ],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": ["https://www.youtube-nocookie.com", "https://www.youtube.com"],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# The paper's identity, shown in the header, the footer and the pages' meta
# descriptions. The province is named once, here: the tagline, the newsroom's
# address and the home page's description take it from SITE_PROVINCE.
SITE_NAME = env.str("SITE_NAME", default="Báo Phù Sa")
SITE_PROVINCE = env.str("SITE_PROVINCE", default="Phù Sa")
SITE_TAGLINE = env.str(
    "SITE_TAGLINE",
    default=f"Cơ quan ngôn luận của Đảng bộ, chính quyền và nhân dân tỉnh {SITE_PROVINCE}",
)
SITE_ADDRESS = env.str(
    "SITE_ADDRESS", default=f"Số 25 đường Trần Hưng Đạo, phường 1, tỉnh {SITE_PROVINCE}"
)
SITE_DESCRIPTION = env.str(
    "SITE_DESCRIPTION",
    default=f"Tin tức thời sự, kinh tế, nông nghiệp, xã hội, văn hóa và du lịch tỉnh "
    f"{SITE_PROVINCE}, cập nhật hằng ngày trên {SITE_NAME} điện tử.",
)

# E-mail (commenters' confirmation links): printed on the console in
# development; with DEBUG off, the machine's own mail server unless EMAIL_URL
# names another, e.g. smtp+tls://user:password@smtp.example.vn:587. Sets
# EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD
# and EMAIL_USE_TLS / EMAIL_USE_SSL.
globals().update(
    env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
)
# A mail server that does not answer holds a reader's post up at most this long.
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default=f"{SITE_NAME} <khong-tra-loi@baophusa.vn>"
)
# The site's public address, which links in e-mails start with.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")

# Rich-text editor (django-ckeditor). Uploads go through ckeditor_uploader,
# reachable by staff only.
CKEDITOR_UPLOAD_PATH = "uploads/"
CKEDITOR_IMAGE_BACKEND = "ckeditor_uploader.backends.PillowBackend"
CKEDITOR_RESTRICT_BY_DATE = True
CKEDITOR_ALLOW_NONIMAGE_FILES = False
CKEDITOR_FILENAME_GENERATOR = "articles.images.editor_filename"
CKEDITOR_CONFIGS = {
    "default": {
        "language": "vi",
        "applicationTitle": "Trình soạn thảo nội dung bài",
        "height": 420,
        "width": "100%",
        "toolbar": "Custom",
        "toolbar_Custom": [
            ["Format", "Bold", "Italic", "RemoveFormat"],
            ["NumberedList", "BulletedList", "Blockquote"],
            ["Link", "Unlink"],
            ["Image", "Table"],
            ["Undo", "Redo", "Source"],
        ],
        "format_tags": "p;h2;h3;h4",
        "image2_captionedClass": "figure",
        # The newsroom's plugin: Django's CSRF token on every upload, the
        # server's message on a refused one, Vietnamese labels CKEditor lacks
        # (static/js/editor-baophusa.js). Its path is relative to CKEditor's own
        # folder, so it follows STATIC_URL.
        "extraPlugins": "image2,baophusa",
        "external_plugin_resources": [("baophusa", "../../js/", "editor-baophusa.js")],
        "removePlugins": "image",
        # The upload tab sends by XMLHttpRequest, like paste and drop, so it
        # carries the token too (the old form post could not).
        "filebrowserUploadMethod": "xhr",
    },
}
# CKEditor 4.22.1 (bundled by django-ckeditor) has published security issues.
# The editor is only served to logged-in staff inside the admin; bodies are
# sanitized on save. See docs/security.md.
SILENCED_SYSTEM_CHECKS = ["ckeditor.W001"]

# Comments: the rate limit per client address (count/period, period in s/m/h/d)
# and where the client address comes from. REMOTE_ADDR unless a trusted proxy
# in front sets a header (e.g. HTTP_X_REAL_IP).
COMMENTS_RATE_LIMIT = env.str("COMMENTS_RATE_LIMIT", default="5/10m")
COMMENTS_CLIENT_IP_HEADER = env.str("COMMENTS_CLIENT_IP_HEADER", default="REMOTE_ADDR")
COMMENTS_PAGE_SIZE = env.int("COMMENTS_PAGE_SIZE", default=20)
# Readers' reports that hide an approved comment until a moderator decides.
COMMENTS_REPORTS_TO_HIDE = env.int("COMMENTS_REPORTS_TO_HIDE", default=3)
# How long the comments a moderator's queue hands them stay theirs, unseen by
# other moderators (comments/claims.py); each load of the queue renews it.
COMMENTS_CLAIM_MINUTES = env.int("COMMENTS_CLAIM_MINUTES", default=5)
# Trusted commenters (comments/trust.py): off by default. When on, a comment
# from an e-mail confirmed through its link, with COMMENTS_TRUST_APPROVED
# comments approved by a moderator and none rejected or spam in the last
# COMMENTS_TRUST_DAYS days, is approved at once (logged, and undone like any
# decision) unless a rule holds it.
COMMENTS_TRUST = env.bool("COMMENTS_TRUST", default=False)
COMMENTS_TRUST_APPROVED = env.int("COMMENTS_TRUST_APPROVED", default=3)
COMMENTS_TRUST_DAYS = env.int("COMMENTS_TRUST_DAYS", default=90)

# Articles' revisions (articles/revisions.py), pruned by `manage.py prune_revisions`:
# an article readers have never seen keeps every revision; once it has been
# public, every revision of the last REVISIONS_KEEP_DAYS, and before that the
# last of each REVISIONS_THIN_HOURS (24: one a day, Vietnam time).
REVISIONS_KEEP_DAYS = env.int("REVISIONS_KEEP_DAYS", default=90)
REVISIONS_THIN_HOURS = env.int("REVISIONS_THIN_HOURS", default=24)

# The article form (articles/editing.py): "Đang được sửa bởi …" lasts
# EDITING_PRESENCE_SECONDS after a page's last heartbeat (sent every
# EDITING_HEARTBEAT_SECONDS); the form's content is autosaved as a draft of
# one's own every EDITING_AUTOSAVE_SECONDS while it changes.
EDITING_PRESENCE_SECONDS = env.int("EDITING_PRESENCE_SECONDS", default=60)
EDITING_HEARTBEAT_SECONDS = env.int("EDITING_HEARTBEAT_SECONDS", default=20)
EDITING_AUTOSAVE_SECONDS = env.int("EDITING_AUTOSAVE_SECONDS", default=30)

# Staff logins: django-axes counts failed admin logins per address *and*
# username (a newsroom shares one office address: one person's typos must not
# lock out colleagues) and refuses that pair for an hour after 5 failures, with
# a Vietnamese 429 page. The address is the one the comments use, so one trusted
# proxy setting serves both. `manage.py axes_reset` lifts every lockout.
AUTHENTICATION_BACKENDS = [
    "portal.auth.LoginThrottleBackend",  # first: refuses a locked-out pair
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.auth.lockout_response"  # templates/429.html
AXES_CLIENT_IP_CALLABLE = "portal.http.client_ip"
AXES_VERBOSE = False  # no banner on every manage.py command
# Where a login whose ?next= was refused (another site's address) lands.
LOGIN_REDIRECT_URL = "admin:index"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
