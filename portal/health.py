"""Health of the services the portal depends on: database, Redis broker and Celery workers."""

import redis
from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.celery import app as celery_app


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, "ok"
    except Exception as error:  # any failure means "down"; the message says why
        return False, _("unreachable: %(error)s") % {"error": error.__class__.__name__}


def check_redis() -> tuple[bool, str]:
    if not settings.REDIS_URL:
        return True, _("not configured (tasks run inline)")
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
        return True, "ok"
    except redis.RedisError as error:
        return False, _("unreachable: %(error)s") % {"error": error.__class__.__name__}


def check_workers() -> tuple[bool, str]:
    if not settings.REDIS_URL:
        return True, _("not needed (tasks run inline)")
    try:
        replies = celery_app.control.ping(timeout=1.0)
    except Exception as error:  # the broker itself may be down
        return False, _("unreachable: %(error)s") % {"error": error.__class__.__name__}
    if not replies:
        return False, _("no worker answered")
    count = len(replies)
    return True, ngettext("%(count)d worker answered", "%(count)d workers answered", count) % {"count": count}


def health_report() -> tuple[bool, dict[str, dict[str, object]]]:
    checks = {"database": check_database(), "redis": check_redis(), "workers": check_workers()}
    report = {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()}
    return all(ok for ok, _detail in checks.values()), report
