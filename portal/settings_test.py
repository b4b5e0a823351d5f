"""Test settings: the real settings on PostgreSQL and Redis, with a few test-only overrides.

Each test process gets its own Celery queue and its own document folder, so that workers started
by the tests (which receive the same values through the environment) never mix with another run.
"""

import os
import tempfile
import uuid

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 48)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("EMAIL_URL", "locmem://")
if "PORTAL_TEST_VAR_DIR" not in os.environ:
    os.environ["PORTAL_TEST_VAR_DIR"] = tempfile.mkdtemp(prefix="portal-test-")
os.environ["VAR_DIR"] = os.environ["PORTAL_TEST_VAR_DIR"]
os.environ.pop("PRIVATE_MEDIA_ROOT", None)

from portal.settings import *  # noqa: F403

CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE") or f"portal-test-{uuid.uuid4().hex[:10]}"
# A run's workers give back only their own run's unacknowledged messages: a test that shortens the
# visibility timeout must never hand another run's task to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    **{f"{name}_key": f"{name}:{CELERY_TASK_DEFAULT_QUEUE}" for name in ("unacked", "unacked_index", "unacked_mutex")},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Serve static files straight from the app folders (no collectstatic before the tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Concurrent test runs on one machine must not share a test database or cache keys.
_RUN_ID = os.environ.setdefault("PORTAL_TEST_RUN_ID", uuid.uuid4().hex[:8])
DATABASES["default"]["TEST"] = {"NAME": f"test_portal_{_RUN_ID}"}  # noqa: F405
CACHES["default"]["KEY_PREFIX"] = f"test-{_RUN_ID}"  # noqa: F405
# Tests run with the production rule: staff and coordinators need an authenticator app.
MFA_REQUIRED_FOR_STAFF = True
