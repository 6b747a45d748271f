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

from pose_coach.play.clock import MonotonicClock
from pose_coach.play.keys import KeyboardInput, keys_available
from pose_coach.play.scheduler import SessionResult, Sink, play
from pose_coach.timeline import Timeline


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


def build_sink(options: SessionOptions, stdout: TextIO, keys: bool) -> Sink:
    """The sink that shows the session in ``options.format``; ``keys``: keys can be read."""
    if options.format == "json":
        from pose_coach.sinks.jsonl import JsonSink

        return JsonSink(stdout)
    if options.format == "live":
        from pose_coach.sinks.live import LiveSink

        return LiveSink(
            stdout,
            title=options.title,
            color=options.color,
            checkpoints=options.checkpoints,
            keys=keys,
        )
    from pose_coach.sinks.plain import PlainSink

    return PlainSink(stdout)


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
    from pose_coach.sinks.writer import BackgroundWriter

    stdout = stdout or sys.stdout
    live = options.format == "live"
    keys = live and keys_available(sys.stdin)
    writer = None if live else BackgroundWriter(stdout)
    sinks = [build_sink(options, writer or stdout, keys), *(extra_sinks or [])]
    try:
        with sigterm_as_interrupt():
            if keys:
                with KeyboardInput(sys.stdin) as reader:
                    return play(timeline, MonotonicClock(reader), sinks, options.speed)
            return play(timeline, MonotonicClock(), sinks, options.speed)
    finally:
        for sink in sinks:
            close = getattr(sink, "close", None)
            if close is not None:
                close()
        if writer is not None:
            writer.close()
