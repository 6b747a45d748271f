"""Run one coached session: timeline → sinks, on the real clock, with clean stops.

This is the core function behind ``pose-coach drill`` and ``pose-coach routine``.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

from .clock import MonotonicClock
from .scheduler import SessionResult, Sink, play
from .timeline import Timeline


@dataclass(frozen=True)
class SessionOptions:
    format: str = "plain"  # 'live', 'plain' or 'json'
    speed: float = 1.0
    title: bool = True  # show the time left in the terminal title (live view)
    color: bool = True


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM stops a session like Ctrl-C does: cleanly, with a summary, exit 130."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread (e.g. some test runners)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def build_sinks(
    timeline: Timeline, options: SessionOptions, stdout: TextIO, extra: list[Sink] | None = None
) -> list[Sink]:
    if options.format == "json":
        from .sinks.jsonl import JsonSink

        sinks: list[Sink] = [JsonSink(stdout)]
    elif options.format == "live":
        from .sinks.live import LiveSink

        sinks = [LiveSink(stdout, title=options.title, color=options.color)]
    else:
        from .sinks.plain import PlainSink

        sinks = [PlainSink(stdout)]
    return sinks + (extra or [])


def run_session(
    timeline: Timeline,
    options: SessionOptions,
    stdout: TextIO | None = None,
    extra_sinks: list[Sink] | None = None,
) -> SessionResult:
    """Play ``timeline`` in real time; keys are read only in the live view on a terminal."""
    stdout = stdout or sys.stdout
    sinks = build_sinks(timeline, options, stdout, extra_sinks)
    with sigterm_as_interrupt():
        if options.format == "live" and sys.stdin.isatty():
            from .terminal import KeyboardInput

            with KeyboardInput(sys.stdin) as keys:
                return play(timeline, MonotonicClock(keys), sinks, options.speed)
        return play(timeline, MonotonicClock(), sinks, options.speed)
