"""The planner's sense of time: elapsed (wall-clock) time, or the process's CPU time.

With CPU time, a busy machine does not cut the search short: the planner runs until it has had its
seconds of processor. CP-SAT's own limit is always in elapsed time, so in that mode a solver call
gets its seconds stretched by how much slower than the processor the wall clock has run so far.
"""

from __future__ import annotations

import time

MAX_STRETCH = 10.0


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

    def solver_seconds(self, seconds: float) -> float:
        """The elapsed-time limit for a solver call that may spend `seconds` on this clock."""
        if not self.cpu:
            return seconds
        cpu = time.process_time() - self.cpu_started
        if cpu < 0.2:
            return seconds
        wall = time.perf_counter() - self.wall_started
        return seconds * min(MAX_STRETCH, max(1.0, wall / cpu))
