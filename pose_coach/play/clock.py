"""Time, injected: a real monotonic clock and a hand-advanced one for tests.

Key input is a clock concern too: the scheduler waits on "the next deadline or a key,
whichever comes first", so the real clock can block in ``select`` instead of polling,
and the fake clock can deliver scripted keys at exact moments in zero wall time.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a monotonic scale (never the wall clock)."""

    def wait(self, deadline: float) -> str | None:
        """Block until ``deadline`` (a ``now()`` value) or a key press; return the key or None."""

    @property
    def interactive(self) -> bool:
        """Whether keys can arrive (a terminal, or a scripted test)."""


class MonotonicClock:
    """The real clock. With a ``keys`` reader, waits on the deadline and the keyboard together."""

    def __init__(self, keys: KeyReader | None = None) -> None:
        self.keys = keys

    @property
    def interactive(self) -> bool:
        return self.keys is not None

    def now(self) -> float:
        return time.monotonic()

    def wait(self, deadline: float) -> str | None:
        remaining = deadline - time.monotonic()
        if self.keys is not None:
            return self.keys.read(max(remaining, 0.0))
        if remaining > 0:
            time.sleep(remaining)
        return None


class KeyReader(Protocol):
    def read(self, timeout: float) -> str | None:
        """Wait up to ``timeout`` seconds for one key; None when none came."""


class FakeClock:
    """A clock that only moves when waited on; keys arrive at scripted times."""

    def __init__(
        self,
        start: float = 1000.0,
        keys: Iterable[tuple[float, str]] = (),
        interactive: bool | None = None,
    ) -> None:
        self.start = start
        self.t = start
        self.keys = sorted(keys, key=lambda k: k[0])  # (seconds after start, key)
        self._interactive = bool(self.keys) if interactive is None else interactive
        self.waits: list[float] = []  # every deadline waited on, for assertions

    @property
    def interactive(self) -> bool:
        return self._interactive

    def now(self) -> float:
        return self.t

    def wait(self, deadline: float) -> str | None:
        self.waits.append(deadline)
        if self.keys and self.start + self.keys[0][0] <= deadline:
            at, key = self.keys.pop(0)
            self.t = max(self.t, self.start + at)
            return key
        if deadline == float("inf"):
            # a real terminal would wait for a key forever; a test would hang instead
            raise RuntimeError("FakeClock: waiting forever and no scripted key is left")
        self.t = max(self.t, deadline)
        return None
