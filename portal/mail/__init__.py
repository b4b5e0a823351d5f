"""E-mail of the portal: templates edited in the admin, a log row per message, sending by a worker.

`services.email_queue` is the one way to send; `portal.send_email` (portal/tasks.py) delivers a
queued row; `reminders` finds the occasions for reminders that celery beat runs every day.
"""
