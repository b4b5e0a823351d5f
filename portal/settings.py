"""Settings of the placement portal, read from the environment (see README, "Configuration").

Without any variable set, the portal runs on its embedded default: a SQLite file under var/,
Celery tasks executed inline, e-mail printed to the console.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from portal.env import email_settings, env_bool, env_int, env_list, env_str, env_url, next_redis_database

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode-0123456789abcdef"  # only with DEBUG  # nosec B105
elif len(SECRET_KEY) < 50 and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the portal's host names when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Catalogue texts in English and Dutch (<field>_en, <field>_nl); before the admin, which it extends.
    "modeltranslation",
    "portal",
    "placements",
    "applicants",
    "placements.training.apps.TrainingConfig",
    "placements.apps.HostingConfig",
    "portal.apps.PortalAdminConfig",  # django.contrib.admin with the portal's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "portal.security",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # While signed in, the account's language is the active one (portal/language.py).
    "portal.language.AccountLanguageMiddleware",
    "portal.security.middleware.SensitivePagesNotStoredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.security.middleware.StaffSessionTimeoutMiddleware",
    "portal.security.middleware.StaffTwoFactorRequiredMiddleware",
    "portal.security.middleware.RefusalLogMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it turns a locked-out sign-in into the lockout page (see "Login throttling").
    "axes.middleware.AxesMiddleware",
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
                "portal.security.roles.navigation",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://user:pass@host:5432/name) or a SQLite file under var/.
_database_url = env_url("DATABASE_URL", schemes={"postgres", "postgresql", "sqlite"})
if _database_url:
    try:
        DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {error}") from None
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "portal.sqlite3",
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The review queue's and the documents' indexes carry extra columns (INCLUDE) so that PostgreSQL
# answers from the index alone. SQLite (`make run`) has no such indexes and builds them on their key
# columns only, which serves it as well; its warning about that would be printed by every migrate.
SILENCED_SYSTEM_CHECKS = ["models.W040"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else []

# Redis: broker, result backend and cache. Without it, tasks run inline in the request.
REDIS_URL = env_url("REDIS_URL", schemes={"redis", "rediss"})
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "portal")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_SOFT_TIME_LIMIT", 120, minimum=1)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 30
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis away: queueing a task fails within seconds instead of holding the request (the work is
# saved in its table and portal.sweep_outbox queues it later). A message taken by a worker that
# died unacknowledged is given to another worker after the visibility timeout (longer than any
# task; tests that kill workers shorten it).
_FAIL_FAST = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1),
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    **_FAIL_FAST,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = _FAIL_FAST
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": _FAIL_FAST}
# Minutes after which portal.sweep_outbox queues again work whose task never reached a worker.
OUTBOX_SWEEP_AFTER_MINUTES = env_int("OUTBOX_SWEEP_AFTER_MINUTES", 5, minimum=1)
CELERY_TIMEZONE = "Europe/Brussels"
# The one schedule of celery beat (documented in README, "Scheduled tasks").
CELERY_BEAT_SCHEDULE = {
    # Reminders every morning, each sent once per occasion (applicants/services/reminders.py).
    "reminders-drafts": {"task": "applicants.send_reminders_drafts", "schedule": crontab(hour=8, minute=0)},
    "reminders-info": {"task": "applicants.send_reminders_info", "schedule": crontab(hour=8, minute=10)},
    "reminders-reviews": {"task": "applicants.send_reminders_reviews", "schedule": crontab(hour=8, minute=20)},
    # Just after midnight, drafts past their last day to submit expire (applicants/services/drafts.py).
    "expire-drafts": {"task": "applicants.expire_drafts", "schedule": crontab(hour=0, minute=30)},
    # PDFs stored before uploads were rebuilt (or under older rules), a batch at a time until none is left
    # (applicants/services/stored_documents.py); then each run is one count.
    "disarm-stored-documents": {"task": "applicants.disarm_stored_documents", "schedule": 120.0},
    # E-mails a worker claimed and then lost (the outbox sweeper has those never claimed).
    "send-stuck-emails": {"task": "portal.send_stuck_emails", "schedule": crontab(minute="*/10")},
    # Tasks that never reached a worker (Redis was away, the message was lost) are sent again (portal/outbox.py).
    "outbox-sweep": {"task": "portal.sweep_outbox", "schedule": 60.0},
    # Host departments (placements/hosting/tasks.py): placements start on their first day and are
    # completed after their last; each row moves once, however often the task runs.
    "hosting-start-placements": {"task": "hosting.start_placements", "schedule": crontab(hour=0, minute=45)},
    "hosting-complete-placements": {"task": "hosting.complete_placements", "schedule": crontab(hour=0, minute=50)},
    # A week before a confirmed placement starts: the trainee and the supervisors (placements/hosting/reminders.py).
    "hosting-remind-starts": {"task": "hosting.remind_starts", "schedule": crontab(hour=8, minute=50)},
    # Training (placements/training/services/reminders.py): supervisors' reminders, each sent once per occasion.
    "training-remind-evaluations": {"task": "training.remind_evaluations", "schedule": crontab(hour=8, minute=30)},
    "training-remind-logbooks": {"task": "training.remind_logbooks", "schedule": crontab(hour=8, minute=40)},
    # Certificates that became due (a placement completed after its final evaluation was submitted).
    "training-request-due-certificates": {"task": "training.request_due_certificates", "schedule": 3600.0},
    "placements-expire-offers": {"task": "placements.expire_offers", "schedule": 3600.0},
    "placements-propose-freed-seats": {"task": "placements.propose_freed_seats", "schedule": 6 * 3600.0},
    # Privacy, at night: archives of data exports older than a week, documents past their retention period.
    "privacy-delete-expired-exports": {
        "task": "applicants.delete_expired_exports",
        "schedule": crontab(hour=3, minute=0),
    },
    "privacy-purge-expired-documents": {
        "task": "applicants.purge_expired_documents",
        "schedule": crontab(hour=3, minute=15),
    },
}
# Days an applicant has to accept or decline a placement offer before it lapses.
OFFER_RESPONSE_DAYS = env_int("OFFER_RESPONSE_DAYS", 14, minimum=1)

# The cache (whole pages, copies of sessions, rate limits) lives apart from the broker: it may lose
# keys, the broker never may. In production CACHE_URL is a Redis of its own with a memory limit that
# evicts the least recently used keys (docker-compose.yml); by default another database of REDIS_URL.
CACHE_URL = env_url("CACHE_URL", schemes={"redis", "rediss"}) or (REDIS_URL and next_redis_database(REDIS_URL))
if CACHE_URL:
    # Pages fall back to rendering when Redis is away (portal.page_cache); the timeouts keep that short.
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # Every signed-in request reads its session: from the cache shared by all processes, written
    # through to the database (portal.session_store).
    SESSION_ENGINE = "portal.session_store"
    SESSION_CACHE_SECONDS = 60
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# E-mail: EMAIL_URL such as smtp+tls://user:password@mail.example.org:587 (default: console).
globals().update(email_settings("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Placement portal <noreply@placements.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Accounts
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out e-mail and IP before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Nothing tells whether an address has an account: signing up with a registered address answers
# exactly as with a new one ("we sent you a link"), and its owner gets an e-mail saying someone
# tried, with a link to reset the password. For that nobody is signed in before confirming the
# address (the link signs them in): a sign-up that signed in at once would give the new address away.
# Submitting an application requires a confirmed login address as well (portal.accounts.has_verified_email).
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
# The link in the message opens a page with a button: mail scanners that follow links confirm nothing.
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Placement portal] "
ACCOUNT_SIGNUP_REDIRECT_URL = "home"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Failed passwords are counted by axes per address and IP (see "Login throttling"), not by allauth.
ACCOUNT_ADAPTER = "portal.security.adapter.AccountAdapter"

# Internationalisation
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("nl", "Nederlands")]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
# The portal's own Dutch catalogue (scripts/translations.py builds and checks it).
LOCALE_PATHS = [BASE_DIR / "locale"]
# A visitor's choice of language (the switcher in the page frame) is kept for a year in a cookie that
# no script reads; a signed-in person's is kept on their account as well (portal/language.py).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Catalogue texts (django-modeltranslation): English is the default, and an empty Dutch text shows the English one.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# A record created with a plain `title=` (code, fixtures) gets it as its English text, whatever the language.
MODELTRANSLATION_AUTO_POPULATE = "default"
USE_TZ = True

# Static assets: Bootstrap and htmx come from npm (`make assets`) and are served by whitenoise.
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Files browsers ask for at the site's root (/favicon.ico), served by whitenoise as they are.
WHITENOISE_ROOT = BASE_DIR / "public"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Applicants' documents live here; no URL maps to this folder, they are served by a checked view.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "documents")))
# Nothing of the applicants' is ever stored under MEDIA_ROOT; it stays empty and no view serves it.
MEDIA_ROOT = VAR_DIR / "public-media"
MEDIA_URL = "/media/"
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security: production values by default, relaxed only in DEBUG.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# Content-Security-Policy: only the portal's own files run or style a page; no inline script or
# style, no eval. htmx is told not to inject its indicator styles (meta tag in base.html). The
# admin needs nothing more (Django 5.2 has no inline scripts); the QR code of the authenticator
# set-up is an SVG data: image.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Client IP for throttling and the security log: REMOTE_ADDR, or the address the given number of
# proxies of ours in front of the portal added to X-Forwarded-For (never trusted by default).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Login throttling (django-axes): 5 failed sign-ins for one e-mail address from one IP lock that
# pair out for 15 minutes (each further try restarts the wait); never permanently. A successful
# sign-in or a password reset clears the count.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "portal.security.throttling.attempted_login"
AXES_CLIENT_IP_CALLABLE = "portal.security.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "portal.security.throttling.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Successful sign-ins go to the portal.security log; no second table of personal data.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Two-factor authentication: an authenticator app (TOTP) with recovery codes. Staff and programme
# coordinators must set one up before anything else (portal.security.middleware); `make run`
# (DEBUG) leaves it optional so that the demo accounts sign in with a password only.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Placement portal"
MFA_ADAPTER = "portal.security.mfa.PortalMFAAdapter"
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", not DEBUG)
# Staff and coordinators are signed out after this many seconds without a request; applicants
# keep Django's two weeks.
STAFF_SESSION_IDLE_SECONDS = 30 * 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Sign-ins, sign-outs, lockouts, two-factor changes and refused requests: kept at INFO
        # whatever LOG_LEVEL says.
        "portal.security": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # pikepdf announces its logging bridge at INFO on import, on every command.
        "pikepdf": {"level": "WARNING"},
    },
}
