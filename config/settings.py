"""Settings from environment variables (12-factor) with safe, zero-setup defaults."""

import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from config.env import env_bool, env_int, env_list, env_str
from config.storages import build_storages, public_media_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use SECRET_KEY if given; otherwise keep one generated key per installation in var/."""
    configured = env_str("SECRET_KEY")
    if configured:
        return configured
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# Older keys, still accepted for what they signed (sessions, reset links, private media links),
# so SECRET_KEY can be rotated without signing everyone out (README, "Rotating keys").
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
SECRET_KEY_FROM_ENV = bool(env_str("SECRET_KEY"))
DEBUG = env_bool("DEBUG", False)
# The zero-setup local demo (`make run` sets it): the WSGI app then starts on the placeholder
# secrets below; without it, DEBUG off refuses them (config/checks.py).
LOCAL_DEMO = env_bool("LOCAL_DEMO", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "config.admin_site.AdminConfig",  # django.contrib.admin with sign-in limits
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "graphene_django",
    "marketplace.addresses",
    "producers",
    "producers.tokens",
    "marketplace.taxonomy",
    "marketplace.catalog",
    "marketplace.coverage",
    "marketplace.search",
    "marketplace.checkout",
    "marketplace.payments",
    "marketplace.settlements",
    "marketplace.invoices",
    "marketplace.reviews",
    "marketplace.accounts",
    "traceability",
    "storefront",
    "fixtures",
    "marketplace.language",
    "config.apps.SiteConfig",
]

MIDDLEWARE = [
    "config.frame_stack.FreshFrameStackMiddleware",  # outermost: the whole request in one chunk
    "config.csp.ContentSecurityPolicyMiddleware",  # every answer carries it
    "config.request_id.RequestIdMiddleware",  # first: every log line of the request has it
    "django.middleware.security.SecurityMiddleware",
    "config.compression.TextGZipMiddleware",  # before anything that writes the body
    "config.errors.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.db_router.ReadReplicaMiddleware",  # before the session: it may write (and pin)
    "config.nfc.NfcInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "marketplace.language.middleware.UserLanguageMiddleware",  # a signed-in user's own choice
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "producers.tokens.middleware.BearerTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "marketplace.checkout.context_processors.cart",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the threaded dev server read while another request writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Read replicas (config/db_router.py): read-only requests read from one of these streaming
# replicas of the primary; tests read them as mirrors of the primary's test database.
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica_{_number}"] = dj_database_url.parse(
        _url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    DATABASES[f"replica_{_number}"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
# After a request writes, its client reads from the primary this long (read-your-writes).
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10)
# A replica that failed to connect is not tried again for this long (per process).
REPLICA_RETRY_SECONDS = env_int("REPLICA_RETRY_SECONDS", 30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ModelBackend that refuses accounts and clients with too many failed sign-ins (one backend, so
# login() needs no `backend` argument).
AUTHENTICATION_BACKENDS = ["config.signin_guard.GuardedModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Files only some people may see (trace evidence): outside MEDIA_ROOT, reached through signed
# links that expire after SIGNED_URL_SECONDS, handed out only after the access policy allowed.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
SIGNED_URL_SECONDS = env_int("SIGNED_URL_SECONDS", 300)
# Object storage (any S3-compatible server): set MEDIA_S3_ENDPOINT (for AWS itself
# https://s3.<region>.amazonaws.com) and both buckets live there: MEDIA_S3_BUCKET readable by
# anyone, MEDIA_S3_PRIVATE_BUCKET by nobody without a signed link. MEDIA_S3_PUBLIC_URL: a CDN
# or web server in front of the public bucket. Unset: the folders above.
MEDIA_S3 = (
    {
        "endpoint": env_str("MEDIA_S3_ENDPOINT"),
        "bucket": env_str("MEDIA_S3_BUCKET", "ocop-media"),
        "private_bucket": env_str("MEDIA_S3_PRIVATE_BUCKET", "ocop-private"),
        "access_key": env_str("MEDIA_S3_ACCESS_KEY"),
        "secret_key": env_str("MEDIA_S3_SECRET_KEY"),
        "region": env_str("MEDIA_S3_REGION", "us-east-1"),
        "public_url": env_str("MEDIA_S3_PUBLIC_URL"),
    }
    if env_str("MEDIA_S3_ENDPOINT")
    else None
)
MEDIA_URL = public_media_url(MEDIA_S3, "/media/")
# The embedded server serves uploaded media itself; behind a real web server turn this off.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES = build_storages(
    plain_static=DEBUG,
    private_root=PRIVATE_MEDIA_ROOT,
    s3=MEDIA_S3,
    signed_url_seconds=SIGNED_URL_SECONDS,
)
WHITENOISE_USE_FINDERS = DEBUG

# Security: secure cookies by default (browsers treat http://127.0.0.1 and localhost as secure).
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
# Proxies in front of the app that append to X-Forwarded-For (config/ratelimit.client_address);
# 0 = clients connect directly. BEHIND_PROXY alone means one.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0)
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS", True)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS (a year) whenever TLS is in front: Django sends it only on requests that came over TLS,
# so plain http on 127.0.0.1 never gets it.
SECURE_HSTS_SECONDS = env_int(
    "SECURE_HSTS_SECONDS", 31_536_000 if SECURE_SSL_REDIRECT or BEHIND_PROXY else 0
)

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

GRAPHENE = {
    "SCHEMA": "config.schema.schema",
    # Mutations do run in one transaction, but config/graphql_transactions.py opens it, so that
    # the few that call a third party (checkoutComplete → Stripe) can run outside any.
    "ATOMIC_MUTATIONS": False,
}
GRAPHQL_MAX_DEPTH = env_int("GRAPHQL_MAX_DEPTH", 10)
GRAPHQL_MAX_COST = env_int("GRAPHQL_MAX_COST", 50_000)
GRAPHQL_MAX_QUERY_BYTES = env_int("GRAPHQL_MAX_QUERY_BYTES", 20_000)
# How many names (aliases) one field may be asked for under in one request.
GRAPHQL_MAX_ALIASES = env_int("GRAPHQL_MAX_ALIASES", 10)
# The schema (__schema, __type) is described only in debug or when this is on.
GRAPHQL_INTROSPECTION = env_bool("GRAPHQL_INTROSPECTION", False)

SEARCH_URL = env_str("SEARCH_URL")

# Public link base used in emails and QR codes.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# The public URL's host is by definition one this site answers to (e.g. a LAN address).
if (_site_host := urlsplit(SITE_URL).hostname) and _site_host not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(_site_host)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- Producer portal (producers/portal) -----------------------------------------------------
# Sign-in page for @login_required portal views. Password-reset and invitation mails use
# EMAIL_BACKEND below (the console unless configured).
LOGIN_URL = "portal:login"

# --- Buying: checkout, payments, addresses ---------------------------------------------------
# Emails go to the console unless an SMTP backend is configured.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "OCOP An Giang <no-reply@ocop-angiang.vn>")
# SMS (marketplace.notify.sms): the console unless a gateway backend class is named.
SMS_BACKEND = env_str("SMS_BACKEND", "marketplace.notify.sms.ConsoleBackend")
# VietQR: the merchant's bank (NAPAS BIN) and account that receive transfers.
VIETQR_BANK_BIN = env_str("VIETQR_BANK_BIN", "970403")
VIETQR_ACCOUNT_NUMBER = env_str("VIETQR_ACCOUNT_NUMBER", "0011012345678")
VIETQR_ACCOUNT_NAME = env_str("VIETQR_ACCOUNT_NAME", "HTX OCOP AN GIANG")
# The platform as it declares the monthly tax-withheld list (Decree 117/2025/NĐ-CP): the XML
# export is refused until PLATFORM_TAX_CODE is set (no made-up tax code goes to the tax office).
PLATFORM_LEGAL_NAME = env_str("PLATFORM_LEGAL_NAME", "HTX OCOP An Giang")
PLATFORM_TAX_CODE = env_str("PLATFORM_TAX_CODE", "")
PLATFORM_ADDRESS = env_str("PLATFORM_ADDRESS", "Long Xuyên, An Giang")
# Stripe: the defaults talk to stripe-mock's test key; STRIPE_API_BASE points at stripe-mock.
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "sk_test_123")
STRIPE_PUBLISHABLE_KEY = env_str("STRIPE_PUBLISHABLE_KEY", "pk_test_123")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "whsec_test_secret")
STRIPE_API_BASE = env_str("STRIPE_API_BASE")
# Seconds per attempt and retries (with backoff) for every Stripe call; the checkout never waits
# on Stripe while holding a lock (the call runs after the order commits).
STRIPE_TIMEOUT = float(env_str("STRIPE_TIMEOUT", "10"))
STRIPE_MAX_NETWORK_RETRIES = env_int("STRIPE_MAX_NETWORK_RETRIES", 2)
# A delivered sub-order may be sent back within this many days of delivery.
RETURN_WINDOW_DAYS = env_int("RETURN_WINDOW_DAYS", 7)
# Settlement statements cover this many days, counted in Vietnam time from Monday 30 June 2025
# (the week Decree 117/2025's withholding began): 7 is Monday to Sunday.
SETTLEMENT_PERIOD_DAYS = env_int("SETTLEMENT_PERIOD_DAYS", 7)
STRIPE_API_VERSION = "2026-08-26.dahlia"  # the version stripe-mock v0.203.0's spec describes
VPOSTCODE_PROVIDER = env_str(
    "VPOSTCODE_PROVIDER", "marketplace.addresses.vpostcode.OfflineVPostcodeProvider"
)

# --- Traceability ----------------------------------------------------------------------------
# Host of the GS1 Digital Link QR codes: set, they read https://{TRACE_DOMAIN}/01/…; unset, they
# use SITE_URL's scheme, host and port (traceability.digital_link.base_url).
TRACE_DOMAIN = env_str("TRACE_DOMAIN") or SITE_URL.split("://", 1)[-1].split("/", 1)[0]
# The platform's GS1 company prefix (e.g. GS1 Vietnam's 893 + company number): listings
# without a GTIN of their own can be allocated one under it. Empty: allocation is off.
GS1_COMPANY_PREFIX = env_str("GS1_COMPANY_PREFIX", "")
# Ed25519 private key that signs the daily chain checkpoints (created on first use, mode 600).
TRACE_SIGNING_KEY_PATH = Path(env_str("TRACE_SIGNING_KEY_PATH", str(VAR_DIR / "trace_ed25519.pem")))
# Public keys (raw Ed25519, base64url, comma-separated) that signed earlier tree heads before a
# key rotation: still published by key id, so old heads keep verifying. Never read from the DB.
TRACE_RETIRED_PUBLIC_KEYS = [k for k in env_str("TRACE_RETIRED_PUBLIC_KEYS", "").split(",") if k]
# Trace pages reuse the log's recomputed tree this long (per process); they still prove the lot
# itself and every signed head on each request. 0: rebuild it on every request.
TRACE_LOG_RECHECK_SECONDS = env_int("TRACE_LOG_RECHECK_SECONDS", 300)

# --- Search (marketplace/search) ------------------------------------------------------------
# SEARCH_BACKEND: "database" (default, zero setup) or "elasticsearch" (needs SEARCH_URL, e.g.
# http://127.0.0.1:9200). If the engine does not answer, the database backend answers instead.
SEARCH_BACKEND = env_str("SEARCH_BACKEND", "database")
SEARCH_INDEX_PREFIX = env_str("SEARCH_INDEX_PREFIX", "ocop")
# Copies of each shard on other nodes: 0 on one node, 1 on a cluster (a node may then fail
# without losing a search result; list every node in SEARCH_URL, comma-separated).
SEARCH_REPLICAS = env_int("SEARCH_REPLICAS", 0)
SEARCH_TIMEOUT = float(env_str("SEARCH_TIMEOUT", "2"))
SEARCH_ADMIN_TIMEOUT = float(env_str("SEARCH_ADMIN_TIMEOUT", "30"))
# The engine client logs every request at INFO; keep warnings only.
LOGGING.setdefault("loggers", {})["elastic_transport"] = {"level": "WARNING"}

# --- E-invoices (marketplace/invoices) ----------------------------------------------------------
# Seals producers' signing keys at rest (Fernet, key derived by HKDF). Empty: derived from
# SECRET_KEY; changing either means producers upload their .p12 files again.
INVOICE_CERTIFICATE_KEY = env_str("INVOICE_CERTIFICATE_KEY", "")
# Who receives issued invoices: the default writes zips for manual upload (README, "E-invoices").
INVOICE_SENDER = env_str("INVOICE_SENDER", "marketplace.invoices.senders.FileExportSender")
INVOICE_EXPORT_DIR = Path(env_str("INVOICE_EXPORT_DIR", str(VAR_DIR / "invoices")))

# --- Scale-out: a shared cache and a task queue (Redis, Celery) ------------------------------
# Unset (make run, make test): each process keeps its own memory cache and tasks run at once in
# the process that queues them (CELERY_TASK_ALWAYS_EAGER), so nothing else needs to run.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # One cache for every worker and machine: rate limits count exactly (config/ratelimit.py's
    # INCR with expiry), coverage figures and storefront counts are computed once for all.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "ocop"),
            "TIMEOUT": 300,
        }
    }
    # Sessions read from Redis and written through to the database: a request on any node finds
    # the session without a query, and a Redis restart (it keeps no data here) signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged only once it finished, and a worker that dies mid-task hands it back:
# every task is written to be run twice (config/celery.py).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message a dead worker had taken goes back to the queue after this many seconds: longer than
# the slowest task (a 50,000-row register import).
# Workers look for such messages every CELERY_RESTORE_INTERVAL seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "unacked_restore_interval": env_int("CELERY_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": 1,
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# With a broker, emails leave the request too: the queue's backend hands each one to a task,
# which sends it through the backend EMAIL_BACKEND named (marketplace/notify/mail.py).
EMAIL_DELIVERY_BACKEND = EMAIL_BACKEND
if CELERY_BROKER_URL and not CELERY_TASK_ALWAYS_EAGER:
    EMAIL_BACKEND = "marketplace.notify.mail.QueuedEmailBackend"
