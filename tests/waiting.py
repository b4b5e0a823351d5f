"""Waiting on other processes (a worker, an SMTP server, gunicorn) by deadline instead of by sleep."""

import time
from collections.abc import Callable


def wait_for(condition: Callable[[], object], *, timeout: float, what: str, interval: float = 0.2):
    """Poll `condition` until it returns something true (returned) or `timeout` seconds pass (AssertionError)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Still waiting after {timeout:.0f} s: {what}")
        time.sleep(interval)
