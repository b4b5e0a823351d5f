"""Celery beat's schedule (CELERY_BEAT_SCHEDULE in portal/settings.py): beat loads every entry, and
each names a task that the workers register, so no scheduled work is sent to nobody."""

from celery.beat import Scheduler
from django.conf import settings

from portal.celery import app


def test_beat_loads_every_entry_and_each_names_a_task_the_workers_know():
    app.loader.import_default_modules()

    scheduler = Scheduler(app=app, lazy=False)

    assert set(settings.CELERY_BEAT_SCHEDULE) <= set(scheduler.schedule)
    unknown = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} - set(app.tasks)
    assert unknown == set()
    assert all(entry.is_due().next > 0 for entry in scheduler.schedule.values())
