"""Progress of long work shown while a call that reports nothing itself runs (a solver, say)."""

import threading
import time
from collections.abc import Callable

from django.db import connection, connections
from django.utils import translation
from django.utils.translation import gettext as _

Report = Callable[[int, str], None]  # (percent, stage in words)


class ProgressTicker:
    """Moves the progress bar through the solving stage while the solver works (it reports nothing itself).

    Only outside a transaction: inside one, no one else could see the progress anyway.
    """

    def __init__(self, report: Report, start: int, end: int, seconds: float):
        self.report, self.start, self.end, self.seconds = report, start, end, max(seconds, 1.0)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.enabled = not connection.in_atomic_block
        self.language = translation.get_language()  # the thread's own: a new thread starts without it

    def _run(self):
        began = time.monotonic()
        try:
            with translation.override(self.language):
                while not self.stop.wait(1.0):
                    elapsed = time.monotonic() - began
                    share = min(1.0, elapsed / self.seconds)
                    stage = _("Solving (%(seconds)d s)") % {"seconds": int(elapsed)}
                    self.report(self.start + int((self.end - self.start) * share), stage)
        finally:
            connections.close_all()

    def __enter__(self):
        if self.enabled:
            self.thread.start()
        return self

    def __exit__(self, *exc):
        if self.enabled:
            self.stop.set()
            self.thread.join(timeout=10)
