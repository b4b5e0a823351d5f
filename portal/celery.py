"""The Celery application: configured from Django settings (CELERY_*), tasks found in each app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each layer keeps its tasks in its own `tasks` module.
TASK_PACKAGES = [
    "portal",
    "applicants",
    "applicants.privacy",
    "placements.allocation",
    "placements.hosting",
    "placements.training",
]
app.autodiscover_tasks(TASK_PACKAGES)
