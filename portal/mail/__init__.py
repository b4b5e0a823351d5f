"""E-mail of the portal: templates edited in the admin, a log row per message, sending by a worker.

`services.email_queue` is the one way to send; `portal.send_email` (portal/tasks.py) delivers a
queued row and announces the outcome through `signals.email_settled`. What the e-mails say about
applications, and the daily reminders, belong to the applications app (applicants/notifications.py,
applicants/services/reminders.py).
"""
