"""Settings for 督查台账.

With no environment set, everything runs from files under var/: SQLite and a Celery broker on
kombu's filesystem transport, so one command brings the whole app up. DATABASE_URL and
REDIS_URL switch to PostgreSQL and Redis; production also sets DEBUG=0, SECRET_KEY and
ALLOWED_HOSTS.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .caches import broker, figures_cache, session_cache
from .env import (
    database_from_url,
    ensure_dir,
    env_bool,
    env_int,
    env_list,
    env_str,
    env_weights,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = ensure_dir(Path(env_str("VAR_DIR", str(BASE_DIR / "var"))))

DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else None)
if not DEBUG and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of 50+ chars when DEBUG=0."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "django_tables2",
    "axes",
    "csp",
    "common",
    "departments",
    "accounts",
    "leaders",
    "tasks",
    "notifications",
    "reports",
    "django.forms",  # its widget templates, for common.forms.FormRenderer (TemplatesSetting)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "common.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions, forms and the login throttle: NUL bytes and non-UTF-8 input get a 400.
    "common.middleware.HostileInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.SessionRenewalMiddleware",
    # No LocaleMiddleware: the UI is Chinese only, and with it Django's own messages (form
    # errors, the admin) followed the browser's Accept-Language (0.1 ms a request, too).
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.ForcePasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After auth and messages: a duplicate POST is answered with a message, the view never runs.
    "common.once.SubmitOnceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login that axes locked (on any login path) into our 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Every form field through templates/common/field.html (help text and error ids: common.forms).
FORM_RENDERER = "common.forms.FormRenderer"

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
                "accounts.context_processors.person",
                "notifications.context_processors.notifications",
                "tasks.context_processors.review",
            ],
            # {% submit_once %} in every POST form, next to {% csrf_token %} (common.once).
            "builtins": ["common.templatetags.once"],
        },
    },
]

_database_url = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASES = {"default": database_from_url(_database_url)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default serves a handful of people: let writers wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
# Concurrent test runs against one PostgreSQL server must not share (and drop) a test database.
_test_database = env_str("TEST_DATABASE_NAME", "")
if _test_database:
    DATABASES["default"]["TEST"] = {"NAME": _test_database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes refuses locked logins before any password is checked, on every login path.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.AccountBackend",
]
LOGIN_URL = "login"
# Login throttling (accounts/throttle.py): failures per username+address, per address across
# usernames (spraying) and per username across addresses (rotation); a lock lasts
# LOGIN_LOCKOUT_SECONDS after the last failure that counted.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("LOGIN_MAX_FAILURES_PER_ADDRESS", 20, minimum=1)
LOGIN_MAX_FAILURES_PER_USERNAME = env_int("LOGIN_MAX_FAILURES_PER_USERNAME", 10, minimum=1)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60, minimum=1)
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)
AXES_HANDLER = "accounts.throttle.PolicyHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_FAILURE_LIMIT = "accounts.throttle.failure_limit"
AXES_COOLOFF_TIME = "accounts.throttle.cool_off"
AXES_USERNAME_CALLABLE = "accounts.throttle.username_from"
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.throttle.lockout_response"
AXES_RESET_ON_SUCCESS = False  # PolicyHandler clears the username+address pair only
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in the app's log ("login ok")
AXES_VERBOSE = False
# Masked in what axes keeps of a failed attempt's form (the password always is).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken"]
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = ensure_dir(Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles"))))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Sessions end after idle time; a request renews the expiry, at most once a minute
# (accounts.middleware.SessionRenewalMiddleware: no database write on every click).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 2 * 60 * 60, minimum=60)
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): our own scripts, styles, images and fonts only; no
# inline script or style anywhere (templates use data attributes read by static/js/app.js).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    # Behind a TLS-terminating proxy in production.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Reporting rules -----------------------------------------------------------------------
# 序时进度 thresholds (percentage points) and how many periods without a report make a task
# 未报送; the office tunes them here rather than in code.
STATUS_YELLOW_POINTS = env_int("STATUS_YELLOW_POINTS", 10, minimum=0)
STATUS_RED_POINTS = env_int("STATUS_RED_POINTS", 30, minimum=0)
STATUS_SILENT_PERIODS = env_int("STATUS_SILENT_PERIODS", 2, minimum=1)
# Deadline extensions (延期申请) go to the task's 牵头领导 after the office approves them.
EXTENSION_LEADER_APPROVAL = env_bool("EXTENSION_LEADER_APPROVAL", True)
# Units may still report the period before the current one (reports come in on Monday).
REPORT_OPEN_PREVIOUS_PERIODS = env_int("REPORT_OPEN_PREVIOUS_PERIODS", 1, minimum=0)
# 需协调事项: working days (Monday to Friday) the ones who must act have, by default.
COORDINATION_DUE_WORKING_DAYS = env_int("COORDINATION_DUE_WORKING_DAYS", 10, minimum=1)
# 进展停滞: a 工作进展 at least this similar (percent, tasks.staleness) to the unit's previous
# one with the same figures is 与上期基本相同; so is a report whose percent and indicators have
# not moved for STALE_PERIODS reports while the task is behind its 序时进度.
STALE_SIMILARITY_PERCENT = env_int("STALE_SIMILARITY_PERCENT", 85, minimum=1)
STALE_PERIODS = env_int("STALE_PERIODS", 3, minimum=2)
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 20, minimum=1) * 1024 * 1024
# 办结申请: after the office verifies a closure, a lead leader of the task confirms it too.
CLOSURE_LEADER_CONFIRM = env_bool("CLOSURE_LEADER_CONFIRM", False)
# For demonstrations and training: the app behaves as if today were this date (YYYY-MM-DD).
AS_OF_DATE = env_str("AS_OF_DATE", "")

# --- Celery -------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")

# --- Kept figures (tasks.revision): where, see config/caches.py ------------------------------
FIGURES_CACHE = env_str("FIGURES_CACHE", "") or ("redis" if REDIS_URL else "file")
FIGURES_CACHE_ALIAS = "figures"
FIGURES_SECONDS = env_int("FIGURES_SECONDS", 900, minimum=1)
# After a commit that moved the revision, compute the hot figures once (tasks.figures).
FIGURES_WARM_ON_COMMIT = env_bool("FIGURES_WARM_ON_COMMIT", True)
# … of at most this many active plans (the revision is one for the whole database).
FIGURES_WARM_PLANS = env_int("FIGURES_WARM_PLANS", 4, minimum=0)
_figures_cache = figures_cache(
    FIGURES_CACHE, env_str("FIGURES_REDIS_URL", "") or REDIS_URL, VAR_DIR
)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    FIGURES_CACHE_ALIAS: _figures_cache,
}
CELERY_BROKER_URL, CELERY_BROKER_TRANSPORT_OPTIONS = broker(REDIS_URL, VAR_DIR)
# Job state lives in our own status models, which the UI reads; results are kept only where a
# result store exists anyway (Redis), for health checks.
CELERY_TASK_IGNORE_RESULT = not REDIS_URL
# The queue jobs are sent to and workers consume; parallel test processes each use their own
# (tests/conftest.py), so that a worker never runs a job sent about another test database.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
# Sending must fail fast when the broker or the result store is down (the office gets a page in
# seconds, not after the library's 20 reconnection attempts): short connection timeouts and
# one retry. Workers reconnect on their own (broker_connection_retry).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 10
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
}
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 30 * 60, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 5
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Report jobs that cannot get stuck (reports.stuck): a running job writes a heartbeat every
# JOB_HEARTBEAT_SECONDS; one silent for JOB_STALE_SECONDS (its worker died), or queued for
# JOB_QUEUE_TIMEOUT_SECONDS without starting, is marked failed with the reason, which the job
# page shows (with 重试) and /healthz reports until then. The beat checks every 2 minutes.
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 20, minimum=1)
JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 180, minimum=2)
JOB_QUEUE_TIMEOUT_SECONDS = env_int("JOB_QUEUE_TIMEOUT_SECONDS", 900, minimum=2)
# The weekly roll-up: "fri 18:00" by default, "<weekday> HH:MM", or "disable".
WEEKLY_ROLLUP_SCHEDULE = env_str("WEEKLY_ROLLUP_SCHEDULE", "fri 18:00")
# 督查通报: the masthead, the issuing office, the 抄送/报送 lines an issue form starts with, and
# whether the scheduled roll-up prepares a draft bulletin for the office to review and issue.
BULLETIN_MASTHEAD = env_str("BULLETIN_MASTHEAD", "东昌府区政府工作报告重点任务督查通报")
BULLETIN_ISSUER = env_str("BULLETIN_ISSUER", "东昌府区人民政府办公室")
BULLETIN_COPY_TO = env_str("BULLETIN_COPY_TO", "区委办公室，区人大常委会办公室，区政协办公室")
BULLETIN_SEND_TO = env_str("BULLETIN_SEND_TO", "区政府区长、副区长")
BULLETIN_DRAFT_AFTER_ROLLUP = env_bool("BULLETIN_DRAFT_AFTER_ROLLUP", True)
# 考核 / 红黑榜 (reports.scoring): the points of each part of a unit's score, "on_time=40,
# pace=60,returned=-1,stale=-1,extension=-2,overdue_item=-2,closed=2" (keys not named keep these).
SCORE_WEIGHTS = env_weights(
    "SCORE_WEIGHTS",
    {"on_time": 40, "pace": 60, "returned": -1, "stale": -1, "extension": -2,
     "overdue_item": -2, "closed": 2},
)  # fmt: skip
# 三色督办 (reports.escalation): N consecutive 滞后 periods → 黄色督办单; M consecutive 严重滞后
# periods (or an overdue node) → 红色督办单; the days a unit has to reply; the office's own
# leader, copied on red notices (a 区领导's name: he or she is also notified, if on record).
ESCALATION_YELLOW_PERIODS = env_int("ESCALATION_YELLOW_PERIODS", 3, minimum=1)
ESCALATION_RED_PERIODS = env_int("ESCALATION_RED_PERIODS", 1, minimum=1)
ESCALATION_REPLY_DAYS = env_int("ESCALATION_REPLY_DAYS", 5, minimum=1)
ESCALATION_OFFICE_LEADER = env_str("ESCALATION_OFFICE_LEADER", "区政府办公室主任")
# The beat schedule is built from these and REMINDER_* by config/celery.py (beat_schedule).

# --- Logging: structured enough to grep, never a password (forms are not logged) -----------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use plain or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # one INFO line per login otherwise; locks are WARNING
    },
}

# --- Reminders (催办) and e-mail ---------------------------------------------------------------
# E-mail goes to the console unless an SMTP server is configured; in-app notifications always
# work. Automatic reminders: "<weekday> HH:MM" within each reporting period, or "disable".
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be 1.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "督查台账 <noreply@localhost>")
# Links in e-mails are made absolute with this (e.g. https://ducha.example.gov.cn); empty: paths.
SITE_URL = env_str("SITE_URL", "").rstrip("/")
REMINDER_BEFORE_DUE = env_str("REMINDER_BEFORE_DUE", "thu 09:00")
REMINDER_AFTER_DUE = env_str("REMINDER_AFTER_DUE", "fri 09:00")
# --- end of reminders and e-mail -------------------------------------------------------------

# --- Outbound channels: group robots (企业微信 / 钉钉) and SMS (notifications/) --------------
# The server posts only to these hosts, over https; a 政务外网 deployment adds its own gateway
# hosts (and NOTIFY_ALLOW_PRIVATE_NETWORK=1 when they resolve to private addresses).
NOTIFY_ALLOWED_HOSTS = env_list(
    "NOTIFY_ALLOWED_HOSTS", ["qyapi.weixin.qq.com", "oapi.dingtalk.com"]
)
NOTIFY_ALLOW_PRIVATE_NETWORK = env_bool("NOTIFY_ALLOW_PRIVATE_NETWORK", False)
# Tests only: allow plain http and loopback addresses (a fake gateway on 127.0.0.1).
NOTIFY_TEST_LOOPBACK = env_bool("NOTIFY_TEST_LOOPBACK", False)
if NOTIFY_TEST_LOOPBACK and not DEBUG:
    raise ImproperlyConfigured(
        "NOTIFY_TEST_LOOPBACK=1 is for tests and cannot be used with DEBUG=0."
    )
# A Fernet key for robot URLs, signing secrets and SMS passwords at rest; empty: derived from
# SECRET_KEY (changing SECRET_KEY then makes the stored secrets unreadable: enter them again).
NOTIFY_SECRETS_KEY = env_str("NOTIFY_SECRETS_KEY", "")
if NOTIFY_SECRETS_KEY:
    try:
        from cryptography.fernet import Fernet

        Fernet(NOTIFY_SECRETS_KEY)
    except ValueError:
        raise ImproperlyConfigured(
            "NOTIFY_SECRETS_KEY must be a Fernet key (32 url-safe base64-encoded bytes)."
        ) from None
NOTIFY_SENDER = env_str("NOTIFY_SENDER", "东昌府区督查室")
NOTIFY_DAILY_CAP = env_int("NOTIFY_DAILY_CAP", 20, minimum=1)  # messages per recipient per day
NOTIFY_HTTP_TIMEOUT = env_int("NOTIFY_HTTP_TIMEOUT", 5, minimum=1)  # seconds
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 5, minimum=1)
NOTIFY_RETRY_SECONDS = env_int("NOTIFY_RETRY_SECONDS", 30, minimum=0)  # doubles each attempt

# --- Sessions: read from Redis, written through to the database (config/caches.py) ----------
# SESSION_STORE=db keeps sessions in the database only. Measured: see tests/test_sessions_pages.py
# and the floor in benchmarks/request_costs.py.
SESSION_STORE = env_str("SESSION_STORE", "cache" if REDIS_URL else "db")
if SESSION_STORE not in {"cache", "db"}:
    raise ImproperlyConfigured(f"SESSION_STORE={SESSION_STORE!r}: use cache or db.")
if SESSION_STORE == "cache":
    if not REDIS_URL:
        raise ImproperlyConfigured("SESSION_STORE=cache needs REDIS_URL.")
    CACHES = {**CACHES, "sessions": session_cache(env_str("SESSION_REDIS_URL", REDIS_URL))}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "sessions"
