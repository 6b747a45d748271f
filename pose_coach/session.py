"""Run one coached session: timeline → sinks, on the real clock, with clean stops.

This is the core function behind ``pose-coach drill`` and ``pose-coach routine``.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

from .clock import MonotonicClock
from .scheduler import SessionResult, Sink, play
from .terminal import KeyboardInput, keys_available
from .timeline import Timeline


@dataclass(frozen=True)
class SessionOptions:
    format: str = "plain"  # 'live', 'plain' or 'json'
    speed: float = 1.0
    title: bool = True  # show the time left in the terminal title (live view)
    color: bool = True
    # drill id -> its checkpoints, listed by the live view (the timeline carries no prose)
    checkpoints: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


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

        sinks = [
            LiveSink(
                stdout,
                title=options.title,
                color=options.color,
                checkpoints=options.checkpoints,
                keys=keys_available(sys.stdin),
            )
        ]
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
    """Play ``timeline`` in real time; keys are read only in the live view on a terminal.

    Plain and JSON lines go through a background writer, so a slow reader on a pipe
    never delays a cue. Whatever happens, every sink is closed (the live view puts the
    terminal back) and every line written is out before this returns.
    """
    from .sinks.writer import BackgroundWriter

    stdout = stdout or sys.stdout
    writer = BackgroundWriter(stdout) if options.format != "live" else None
    sinks = build_sinks(timeline, options, writer or stdout, extra_sinks)
    try:
        with sigterm_as_interrupt():
            if options.format == "live" and keys_available(sys.stdin):
                with KeyboardInput(sys.stdin) as keys:
                    return play(timeline, MonotonicClock(keys), sinks, options.speed)
            return play(timeline, MonotonicClock(), sinks, options.speed)
    finally:
        for sink in sinks:
            close = getattr(sink, "close", None)
            if close is not None:
                close()
        if writer is not None:
            writer.close()
