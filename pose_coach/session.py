"""Play one coached session: the core function behind ``drill`` and ``routine``.

``play_session`` takes a :class:`SessionRequest` (plain values, built by the command from
its options) and the :class:`~pose_coach.terminal.Terminal`, compiles the timeline, picks
the sinks (``sinks/``), records the session in the practice log, and returns what
happened. It never exits; the command turns the outcome into an exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO, cast

from pose_coach.audio.setup import SoundRequest
from pose_coach.errors import ExitCode
from pose_coach.library.model import Drill
from pose_coach.play.clock import MonotonicClock
from pose_coach.play.scheduler import SessionResult, Sink, play
from pose_coach.signals import held, received
from pose_coach.sinks.writer import BackgroundWriter
from pose_coach.terminal import Terminal
from pose_coach.timeline import Dose, Timeline

if TYPE_CHECKING:
    from pose_coach.log.record import SessionRecorder

Warn = Callable[[str], None]


@dataclass(frozen=True)
class SessionRequest:
    """What to play and how, as the command line (or a script) asked for it."""

    kind: str  # 'drill' or 'routine'
    entry_id: str
    dose: Dose = field(default_factory=Dose)
    speed: float = 1.0
    output: str = "auto"  # 'auto' (live view on a terminal, plain lines in a pipe), 'plain', 'json'
    dry_run: bool = False  # print the whole timeline at once instead of playing it
    title: bool = True  # show the time left in the terminal title (live view)
    wait: bool = False  # open-ended steps wait for a key instead of lasting their seconds
    sound: SoundRequest = field(default_factory=SoundRequest)
    log: bool = True  # record the session in the practice log


@dataclass(frozen=True)
class SessionOutcome:
    """What a session request came to."""

    format: str  # 'live', 'plain' or 'json'
    timeline: Timeline
    result: SessionResult | None = None  # None: a dry run, nothing was played
    unrecorded: str | None = None  # why the practice log could not record it, if so
    session_id: str | None = None  # the practice log's id of the session, when recorded

    @property
    def exit_code(self) -> int:
        """0 played to the end; 130 stopped (q, Ctrl-C, SIGTERM); 128 + N for signal N."""
        if self.result is None or self.result.completed:
            return ExitCode.OK
        if self.result.signal is not None:
            from pose_coach.signals import exit_status

            return exit_status(self.result.signal)
        return ExitCode.INTERRUPTED


class HeldWarnings:
    """Warnings that arrive while the live view owns the screen wait until it is gone."""

    def __init__(self, warn: Warn) -> None:
        self._warn = warn
        self.holding = False
        self._held: list[str] = []

    def __call__(self, message: str) -> None:
        if self.holding:
            self._held.append(message)
        else:
            self._warn(message)

    def release(self) -> None:
        self.holding = False
        held, self._held = self._held, []
        for message in held:
            self._warn(message)


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Every catchable termination signal (SIGTERM, SIGHUP, SIGQUIT, ...) stops a session
    like Ctrl-C does: cleanly, with a summary; see ``signals.py``. The command line
    installs this once for every command; a script calling :func:`play_session` gets it
    here."""
    from pose_coach.signals import stop_on_signals

    with stop_on_signals():
        yield


def play_session(
    request: SessionRequest,
    terminal: Terminal,
    warn: Warn,
    stdout: TextIO | None = None,
) -> SessionOutcome:
    """Compile, play and record the session ``request`` asks for."""
    from pose_coach.library.needed import session_catalog
    from pose_coach.sinks import choose_format, display_sink, sound_sinks
    from pose_coach.timeline import compile_session

    stdout = stdout or sys.stdout
    catalog = session_catalog(request.entry_id, request.kind)  # only the files it needs
    for line in catalog.warnings(request.entry_id):  # its own problems are the error
        warn(line)
    entry = catalog.get(request.entry_id, request.kind)
    timeline = compile_session(entry, catalog.entries, request.dose)
    fmt = choose_format(
        "plain" if request.dry_run and request.output == "auto" else request.output, terminal
    )
    if request.dry_run:
        return SessionOutcome(fmt, timeline)
    drills = {e.drill for e in timeline.events if e.drill}
    checkpoints = {
        i: drill.checkpoints for i in drills if isinstance(drill := catalog.entries.get(i), Drill)
    }
    recorder = _recorder(timeline, request, terminal)  # refuses a damaged log before playing
    for note in recorder.notes if recorder is not None else ():
        warn(note)
    warnings = HeldWarnings(warn)
    live = fmt == "live"
    status = None
    if live:  # what the live view says about sound, failures included, as they happen
        from pose_coach.audio.status import SoundStatus

        status = SoundStatus()
    extra = sound_sinks(
        timeline,
        fmt,
        request.speed,
        request.sound,
        terminal,
        warnings,
        wait=request.wait,
        status=status,
    )
    # plain and JSON lines go through a background writer, so a slow reader on a pipe
    # never delays a cue
    writer = None if live else BackgroundWriter(stdout)
    stream = stdout if writer is None else cast(TextIO, writer)  # it writes and flushes
    display = display_sink(
        fmt, stream, terminal, title=request.title, checkpoints=checkpoints, sound=status
    )
    # sound first: a failure it notices at a moment is on the frame drawn at that moment
    sinks = [*extra, display, *([recorder.tally] if recorder else [])]
    warnings.holding = live
    try:
        result = run_session(
            timeline,
            sinks,
            request.speed,
            keys=live and terminal.stdin_keys,
            wait_open=request.wait,
        )
    except (Exception, KeyboardInterrupt) as stop:
        with held():  # what was played is recorded, whatever signal comes now
            if writer is not None:
                try:
                    writer.close()
                except OSError:  # the reader went away too: nothing more to say there
                    pass
            warnings.release()
            if recorder is not None:
                unrecorded = recorder.save_failed(_stop_outcome(stop))
                if unrecorded:
                    warnings(unrecorded)
        raise
    with held() as late:  # a signal now cannot stop what has ended; it is only noted
        try:
            if writer is not None:
                writer.close()  # every line written is out before anything else is said
        finally:  # recorded as played even when the reader went away at the very end
            warnings.release()
            unrecorded = recorder.save(result) if recorder is not None else None
    if result.signal is None:
        result.signal = late.signum
    recorded = recorder.session_id if recorder is not None and unrecorded is None else None
    return SessionOutcome(fmt, timeline, result, unrecorded, recorded)


def _stop_outcome(stop: BaseException) -> str:
    """How the log records a session cut short by ``stop``: a signal, Ctrl-C or a closed
    pipe (the reader of ``| head`` went away) interrupted it; anything else is an error."""
    return "interrupted" if isinstance(stop, (KeyboardInterrupt, BrokenPipeError)) else "error"


def _recorder(
    timeline: Timeline, request: SessionRequest, terminal: Terminal
) -> SessionRecorder | None:
    if not request.log:
        return None
    from pose_coach.log.record import SessionRecorder

    # someone at a terminal (watching stdout, or at the keys) may be practising; with
    # neither (cron, a script) the session is recorded as scripted
    on_terminal = terminal.stdout_tty or terminal.stdin_keys
    return SessionRecorder(timeline, request.speed, on_terminal=on_terminal)


def run_session(
    timeline: Timeline,
    sinks: Sequence[Sink],
    speed: float = 1.0,
    *,
    keys: bool = False,
    wait_open: bool = False,
) -> SessionResult:
    """Play ``timeline`` in real time into ``sinks``; ``keys``: read keys from stdin;
    ``wait_open``: open-ended steps wait for a key.

    Whatever happens, every sink is closed (the live view puts the terminal back).
    """
    from pose_coach.play.keys import KeyboardInput

    result: SessionResult | None = None
    try:
        with sigterm_as_interrupt():
            if keys:
                with KeyboardInput(sys.stdin) as reader:
                    result = play(timeline, MonotonicClock(reader), list(sinks), speed, wait_open)
            else:
                result = play(timeline, MonotonicClock(), list(sinks), speed, wait_open)
    finally:
        with held():  # the terminal comes back and temporary files go, signal or not
            for sink in sinks:
                close = getattr(sink, "close", None)
                if close is not None:
                    try:
                        close()
                    except Exception:  # noqa: BLE001 - one sink failing to close must not
                        pass  # keep the others (the terminal, the sound folder) from closing
        if result is not None and result.signal is None and not result.completed:
            result.signal = received()  # one that came while the session was stopping
    assert result is not None  # play() returned, or the exception went on
    return result
