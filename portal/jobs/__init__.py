"""Background work: tasks queued by name after the transaction commits, and jobs that a worker
claims, reports on and finishes, with a page that follows their progress.

- `queue`: `send` a task by name now, robustly, or `queue_after_commit` (the one way a service
  asks for work). No service imports its task module; the worker knows the task by its name.
- `models.BackgroundJob`: the fields every job row has (progress, stage, error, timestamps).
- `services`: request, claim, progress, finish, fail; and the outbox source of a kind of job.
"""
