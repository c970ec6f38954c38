"""A dependency-free progress bar on stderr for long commands."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, label: str, total: int | None, *, width: int = 30) -> None:
        self.label = label
        self.total = total
        self.width = width
        self.done = 0
        self._started = time.monotonic()
        self._last_draw = 0.0

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self._last_draw > 0.1 or (self.total is not None and self.done >= self.total):
            self._draw(now)

    def finish(self) -> None:
        self._draw(time.monotonic())
        print(file=sys.stderr, flush=True)

    def _draw(self, now: float) -> None:
        self._last_draw = now
        rate = self.done / max(now - self._started, 1e-9)
        if self.total:
            filled = int(self.width * min(self.done, self.total) / self.total)
            bar = f"[{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total}"
        else:
            bar = f"{self.done}"
        print(f"\r{self.label} {bar} ({rate:,.0f}/s)", end="", file=sys.stderr, flush=True)
