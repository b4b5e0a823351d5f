"""The planner's sense of time: elapsed (wall-clock) time, or the process's CPU time.

With CPU time, a busy machine does not cut the search short: the planner runs until it has had its
seconds of processor. CP-SAT's own limit is always in elapsed time, so in that mode a solver call
is watched by a thread that stops it once the process has spent its seconds of processor (`watch`),
with its elapsed-time limit set far beyond them.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

MAX_STRETCH = 10.0
POLL_SECONDS = 0.01


class Clock:
    def __init__(self, kind: str = "wall"):
        if kind not in ("wall", "cpu"):
            raise ValueError(f"Unknown clock {kind!r}: use 'wall' or 'cpu'.")
        self.cpu = kind == "cpu"
        self.wall_started, self.cpu_started = time.perf_counter(), time.process_time()

    def now(self) -> float:
        return time.process_time() if self.cpu else time.perf_counter()

    def __call__(self) -> float:
        return self.now()

    def solver_limit(self, seconds: float) -> float:
        """The elapsed-time limit to give a solver call that `watch` stops after `seconds` on this clock."""
        return seconds * MAX_STRETCH if self.cpu else seconds

    @contextmanager
    def watch(self, solver, seconds: float):
        """While the block runs, stop `solver` (a CP-SAT solver) once the process has spent `seconds` of
        CPU time (CPU clock only; on the wall clock the solver's own limit does it)."""
        if not self.cpu:
            yield
            return
        done = threading.Event()
        deadline = time.process_time() + seconds

        def stop_in_time():
            while not done.wait(POLL_SECONDS):
                if time.process_time() >= deadline:
                    solver.stop_search()
                    return

        watcher = threading.Thread(target=stop_in_time, daemon=True)
        watcher.start()
        try:
            yield
        finally:
            done.set()
            watcher.join()
