"""Settings for the skill-level recognition portal, read from the environment.

DJANGO_ENV selects the mode: ``development`` (default: SQLite, eager tasks, console
mail), ``test`` (fast hasher) or ``production`` (secure cookies, HSTS, real secrets
required; passes ``manage.py check --deploy``).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal import keys as _keys
from portal.env import envbool, envint, envlist, envsecret, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DJANGO_ENV = envstr("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be development, test or production")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = envbool("DEBUG", default=DJANGO_ENV == "development")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (DJANGO_ENV=production)")
SECRET_KEY = _keys.strip_marker(_keys.read("SECRET_KEY", production=PRODUCTION, base_dir=BASE_DIR))

# Every other secret, named once in portal/keys.py (NAME or NAME_FILE). Outside production a
# missing one is generated once under var/keys/ and marked as a development key.
SECRET_VALUES = {
    s.name: _keys.read(s.name, production=PRODUCTION, base_dir=BASE_DIR)
    for s in _keys.SECRETS
    if s.name != "SECRET_KEY"
}
AUDIT_MAC_KEYS = _keys.symmetric_keys(SECRET_VALUES["AUDIT_MAC_KEY"], "AUDIT_MAC_KEY")
AUDIT_CHECKPOINT_KEY = SECRET_VALUES["AUDIT_CHECKPOINT_KEY"]
AUDIT_CHECKPOINT_DIR = Path(_keys.strip_marker(SECRET_VALUES["AUDIT_CHECKPOINT_DIR"]))
# Public keys (base64 of the 32 raw bytes, as /audit/checkpoints/ shows them) of signing keys
# replaced since: checkpoints they signed still verify.
AUDIT_CHECKPOINT_RETIRED_KEYS = envlist("AUDIT_CHECKPOINT_RETIRED_KEYS", [])
PII_ENCRYPTION_KEYS = _keys.symmetric_keys(
    SECRET_VALUES["PII_ENCRYPTION_KEY"], "PII_ENCRYPTION_KEY"
)
PII_INDEX_KEYS = _keys.symmetric_keys(SECRET_VALUES["PII_INDEX_KEY"], "PII_INDEX_KEY")
CERT_SIGNING_KEY = SECRET_VALUES["CERT_SIGNING_KEY"]
PDF_SIGNING_KEY = SECRET_VALUES["PDF_SIGNING_KEY"]
PDF_SIGNING_CERT = SECRET_VALUES["PDF_SIGNING_CERT"]

ALLOWED_HOSTS = envlist(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "portal.apps.PortalConfig",
    "catalog.apps.CatalogConfig",
    "agencies.apps.AgenciesConfig",
    "assessments.apps.AssessmentsConfig",
    "certificates.apps.CertificatesConfig",
    "supervision.apps.SupervisionConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.access.context.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.access.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.accounts.twofactor.TwoFactorRequiredMiddleware",
    "portal.access.middleware.PasswordChangeRequiredMiddleware",
    "portal.access.middleware.AgencyWorkspaceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.ui.helpers.SignInRequiredMiddleware",  # object_for's anonymous visitors sign in
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.access.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.ui.context_processors.site",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------
DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except Exception as exc:  # dj_database_url raises several types for bad URLs
    raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Two roles (docs/decisions/0020-database-roles.md): DATABASE_URL connects as a role that owns
# nothing (DATABASE_APP_ROLE); `manage.py migrate` connects as the tables' owner through
# DATABASE_OWNER_URL when it is set, and grants the app role what it may do after migrating.
DATABASE_OWNER_URL = envsecret("DATABASE_OWNER_URL", "")
DATABASE_APP_ROLE = envstr("DATABASE_APP_ROLE", "portal_app")

# --- Redis, cache, Celery ------------------------------------------------------
REDIS_URL = envstr("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Without a broker every task runs inside the request that queued it (make run); unit
# tests run eagerly too, and the worker tests start a real worker with this set to 0.
CELERY_TASK_ALWAYS_EAGER = envbool(
    "CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL or DJANGO_ENV == "test"
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "portal"
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Auth ------------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": envint("PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "portal.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
if DJANGO_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Rate limits, captcha and sign-in lockout (docs/decisions/0005-ratelimit-captcha-lockout.md).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)  # reverse proxies in front of the web tier
RATE_LIMITS: dict = {}
RATE_LIMIT_PREFIX = "rl"
RATE_LIMIT_CACHE = "default"
CAPTCHA_ENABLED = envbool("CAPTCHA_ENABLED", True)
# Proof of work (docs/decisions/0021): search range, doubled every STEP filings per address
# and form today, up to CAP; daily quotas are the captcha.* entries of RATE_LIMITS.
CAPTCHA_TTL_SECONDS = envint("CAPTCHA_TTL_SECONDS", 10 * 60)
CAPTCHA_MAX_NUMBER = envint("CAPTCHA_MAX_NUMBER", 50_000)
CAPTCHA_DIFFICULTY_STEP = envint("CAPTCHA_DIFFICULTY_STEP", 3)
CAPTCHA_MAX_NUMBER_CAP = envint("CAPTCHA_MAX_NUMBER_CAP", 2_000_000)
SIGNIN_CAPTCHA_AFTER = envint("SIGNIN_CAPTCHA_AFTER", 3)
# Sign-in back-off (docs/decisions/0022): from a scope's count on (signin.* in RATE_LIMITS),
# each failure blocks that username+address, address or network for BASE seconds, doubled per
# further failure, at most MAX. Bursts for one account are mailed to the owner and these.
SIGNIN_BACKOFF_BASE = envint("SIGNIN_BACKOFF_BASE", 60)
SIGNIN_BACKOFF_MAX = envint("SIGNIN_BACKOFF_MAX", 60 * 60)
SECURITY_ALERT_EMAILS = envlist("SECURITY_ALERT_EMAILS", [])
# Working days within which the authority answers an objection to a public notice; the rules
# set no period, the portal promises this one (docs/decisions/0030).
OBJECTION_ANSWER_WORKING_DAYS = envint("OBJECTION_ANSWER_WORKING_DAYS", 15)
# Assessment plans are filed this many working days before the first sitting (Art 18).
SESSION_PLAN_LEAD_WORKING_DAYS = envint("SESSION_PLAN_LEAD_WORKING_DAYS", 5)
# Results of an assessment session (Art 20, decision 0039): on public notice this many working
# days; expected on notice within these working days of the last sitting (social
# organisations / employers); a worker asks for a score review (复核) within this many working
# days of the publication.
RESULTS_NOTICE_WORKING_DAYS = envint("RESULTS_NOTICE_WORKING_DAYS", 5)
RESULTS_DUE_WORKING_DAYS_SOCIAL_ORG = envint("RESULTS_DUE_WORKING_DAYS_SOCIAL_ORG", 5)
RESULTS_DUE_WORKING_DAYS_EMPLOYER = envint("RESULTS_DUE_WORKING_DAYS_EMPLOYER", 10)
SCORE_REVIEW_WORKING_DAYS = envint("SCORE_REVIEW_WORKING_DAYS", 5)
# Seconds a public page's content stays cached for anonymous visitors (portal.pagecache,
# docs/decisions/0030); any change of the data it shows abandons it at once. 0: off, the
# default in tests and without Redis (a per-process cache misses other processes' changes).
PUBLIC_PAGE_CACHE_SECONDS = envint(
    "PUBLIC_PAGE_CACHE_SECONDS", 0 if DJANGO_ENV == "test" or not REDIS_URL else 300
)

# Two-factor sign-in (TOTP): available to everyone; required for officials when on.
REQUIRE_2FA_FOR_OFFICIALS = envbool("REQUIRE_2FA_FOR_OFFICIALS", default=PRODUCTION)
OTP_TOTP_ISSUER = "职业技能等级认定服务平台"

# Idle sessions end after 30 minutes (MLPS 2.0 level 3 asks for an idle timeout).
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- I18n ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# PORTAL_LOCALE_DIR lets the catalogue test run makemessages into a scratch copy.
LOCALE_PATHS = [Path(envstr("PORTAL_LOCALE_DIR", str(BASE_DIR / "portal" / "locale")))]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Static and media ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
WHITENOISE_USE_FINDERS = not PRODUCTION
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"  # never served directly: private files go through an access check
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DOCUMENT_MAX_BYTES = envint("DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
# A ZIP upload (photos of a roster, and the ZIP inside XLSX/ODS files): limits once unpacked.
ZIP_MAX_MEMBERS = envint("ZIP_MAX_MEMBERS", 5000)
ZIP_MAX_UNCOMPRESSED_BYTES = envint("ZIP_MAX_UNCOMPRESSED_BYTES", 500 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024


# --- Mail ------------------------------------------------------------------------------
def _email_settings(url: str) -> dict[str, object]:
    if not url or url.startswith("console:"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if url.startswith("locmem:"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps", "smtp+tls"} or not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL must be console:, locmem: or smtp[s]://host:port")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 587),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
    }


globals().update(_email_settings(envsecret("EMAIL_URL", "console:")))
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "职业技能等级认定服务平台 <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- The site's identity (government-site footer) -----------------------------------------
SITE_NAME = _("Skill-Level Recognition Service Portal")
SITE_SPONSOR = envstr("SITE_SPONSOR", "人力资源和社会保障部门（演示）")
SITE_CONTACT = envstr("SITE_CONTACT", "12333")
SITE_ICP_NUMBER = envstr("SITE_ICP_NUMBER", "")
SITE_ID_CODE = envstr("SITE_ID_CODE", "")
SITE_PSB_NUMBER = envstr("SITE_PSB_NUMBER", "")

# --- Security ------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 varied characters")
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)

# --- Logging: never log passwords, ID numbers or tokens (portal.logging filters them) ----
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "portal.logfilters.RedactFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Scores (exam affairs part 3, decision 0038) -----------------------------------------------
# Skill and review marks of one candidate further apart than this many points (highest minus
# lowest mark) flag the score for the group leader (考评组长) to settle with a reason.
SKILL_MARK_TOLERANCE = envint("SKILL_MARK_TOLERANCE", 10)

# Exam affairs, the sitting (decision 0037): minutes a worker's ticket download link is valid
# after the look-up by name and ID number.
TICKET_LINK_MINUTES = envint("TICKET_LINK_MINUTES", 30)

# --- Certificates (issue 15, decisions 0041, 0042) ------------------------------------------
# The address printed in a certificate's QR code: lasts decades, so it is its own setting and
# never follows SITE_URL (a portal move must not break printed certificates).
CERTIFICATE_BASE_URL = envstr("CERTIFICATE_BASE_URL", SITE_URL).rstrip("/")
# Certificates inserted per statement when issuing (bulk_create chunk).
CERTIFICATE_ISSUE_CHUNK = envint("CERTIFICATE_ISSUE_CHUNK", 2000)

# --- Certificate PDFs (issue 15, decision 0043) ---------------------------------------------
# Cached certificate PDFs kept at most (least recently used evicted by a periodic job): PDFs
# are rendered on demand, never one file per certificate for ever.
CERTIFICATE_PDF_CACHE_MAX = envint("CERTIFICATE_PDF_CACHE_MAX", 20000)
# The largest seal image an agency may upload (PNG with transparency).
CERTIFICATE_SEAL_MAX_BYTES = envint("CERTIFICATE_SEAL_MAX_BYTES", 1024 * 1024)

# --- PDF worker memory (issue 15) -----------------------------------------------------------
# A Celery pool child is replaced after this many tasks: a second guard against memory growth
# in long-lived processes (WeasyPrint renders; portal.pdf itself keeps RSS flat). A batch PDF
# is one task, so the figure bounds tasks, not pages. 0 = never replaced. The worker's
# --max-tasks-per-child flag, when given, overrides it.
CELERY_WORKER_MAX_TASKS_PER_CHILD = envint("CELERY_WORKER_MAX_TASKS_PER_CHILD", 200) or None

# --- Verifiable credentials (issue 16, decision 0044) ----------------------------------------
# Public keys (z6Mk… multibase or base64 of the 32 raw bytes) of certificate signing keys
# replaced since: still published in /.well-known/did.json and accepted, so old certificates
# keep verifying. CERT_SIGNING_KEY itself is read with the other secrets above.
CERT_SIGNING_RETIRED_KEYS = envlist("CERT_SIGNING_RETIRED_KEYS", [])
# Certificates whose credentials one task signs (a batch is split into such chunks).
CERTIFICATE_VC_CHUNK = envint("CERTIFICATE_VC_CHUNK", 1000)

# The most rows one legacy-certificate import may have (decision 0046).
LEGACY_IMPORT_MAX_ROWS = envint("LEGACY_IMPORT_MAX_ROWS", 20000)

# The public certificate lookup (issue 17, decision 0047): minutes a holder's download link
# (signed, naming one certificate) stays valid after the lookup by name + full ID number.
CERTIFICATE_DOWNLOAD_LINK_MINUTES = envint("CERTIFICATE_DOWNLOAD_LINK_MINUTES", 10)
# Bulk verification (Art 22; decision 0051): items per API call and rows per uploaded
# spreadsheet. The token's daily quota is set per token by the organisation's administrator.
VERIFY_API_MAX_ITEMS = envint("VERIFY_API_MAX_ITEMS", 1000)
VERIFY_UPLOAD_MAX_ROWS = envint("VERIFY_UPLOAD_MAX_ROWS", 10000)
# --- Verifying an uploaded certificate (issue 17, decision 0048) -----------------------------
# The largest file /certificates/verify/ accepts: a signed certificate PDF is about 20-250 KB
# (font subset, photo), a VC JSON about 4 KB; anything larger is refused before it is read.
CERTIFICATE_VERIFY_MAX_BYTES = envint("CERTIFICATE_VERIFY_MAX_BYTES", 2 * 1024 * 1024)
# --- Certificate statistics (issue 18, decision 0053) -----------------------------------------
# The months (this one included) the daily job recounts from the certificates, agency by
# agency; older months change only through revocations and corrections, refreshed as they come.
CERTIFICATE_STATISTICS_MONTHS = envint("CERTIFICATE_STATISTICS_MONTHS", 2)
# --- Data submission to the testing centre (Art 21, issue 18, decision 0052) ------------------
# AES-GCM keys of the submission files at rest (current first; older ones keep decrypting):
# SUBMISSION_ENCRYPTION_KEY is read with the other secrets above (portal/keys.py).
SUBMISSION_ENCRYPTION_KEYS = _keys.symmetric_keys(
    SECRET_VALUES["SUBMISSION_ENCRYPTION_KEY"], "SUBMISSION_ENCRYPTION_KEY"
)
# How often the periodic job submits each agency's certificate events: "monthly" (the first
# day of each month, covering the month before), "weekly", or a number of days ("14").
DATA_SUBMISSION_PERIOD = envstr("DATA_SUBMISSION_PERIOD", "monthly")
# An agency whose oldest event not yet submitted is older than this many working days
# (portal.calendar) is late; the testing centre sees the list.
DATA_SUBMISSION_DUE_WORKING_DAYS = envint("DATA_SUBMISSION_DUE_WORKING_DAYS", 10)
# The public certificate lookup and bulk verification (Art 22; decision 0047): PostgreSQL
# statement_timeout of each lookup's queries; past it the page answers 503 "try again".
CERTIFICATE_LOOKUP_TIMEOUT_MS = envint("CERTIFICATE_LOOKUP_TIMEOUT_MS", 500)
# Spot checks (Art 25; decision 0055): an inspection's result is published (一公开) within this
# many working days (portal.calendar) of its conclusion; officials see a deadline tracker.
SPOT_CHECK_PUBLISH_WORKING_DAYS = envint("SPOT_CHECK_PUBLISH_WORKING_DAYS", 20)
# A spot-check result notice (decision 0056) takes no objections; it stays among the current
# notices for this many working days, then among the ended ones (the plan's results page keeps it).
SPOT_CHECK_RESULT_NOTICE_WORKING_DAYS = envint("SPOT_CHECK_RESULT_NOTICE_WORKING_DAYS", 20)
