"""Termination signals: every one a process can catch stops pose-coach like Ctrl-C does.

A closed terminal (SIGHUP), Ctrl-\\ (SIGQUIT), ``kill`` (SIGTERM), a timeout wrapper
(SIGALRM, SIGXCPU) or a user's SIGUSR1 would otherwise kill the process where it stands:
no summary, no ``session_end``, nothing recorded, the terminal left in the alternate
screen, temporary files and child processes left behind. :func:`stop_on_signals`
(installed once, at the command-line edge) turns each into a :class:`Terminated`
exception instead; it is a ``KeyboardInterrupt``, so every ``finally``, every
``except BaseException`` clean-up and the scheduler's clean stop run as they do for
Ctrl-C. The exit status is 128 + the signal number, except SIGINT and SIGTERM, which
keep the documented 130.

Clean-up itself must not be cut short by a second signal (or by a first one that comes
while the clean-up runs): only the first signal raises, and code inside
:func:`deferred` blocks sees a signal only once the block is done. Signals the parent
set to be ignored (``nohup``) stay ignored.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# Signals whose default action ends the process and that a program may catch. Faults
# (SIGSEGV, SIGBUS, SIGFPE, SIGILL), SIGABRT and SIGTRAP are left alone: they mean a bug,
# and the default action (a core dump) is what helps. SIGPIPE and SIGXFSZ are already
# ignored by Python (writes fail with EPIPE / EFBIG instead).
_NAMES = (
    "SIGHUP",
    "SIGINT",
    "SIGQUIT",
    "SIGTERM",
    "SIGUSR1",
    "SIGUSR2",
    "SIGALRM",
    "SIGVTALRM",
    "SIGPROF",
    "SIGXCPU",
    "SIGPOLL",
    "SIGPWR",
    "SIGSTKFLT",
)
INTERRUPT_EXIT = 130  # 128 + SIGINT: Ctrl-C, and SIGTERM, as documented


def termination_signals() -> tuple[int, ...]:
    """The catchable termination signals of this platform, real-time signals included."""
    found = {int(getattr(signal, name)) for name in _NAMES if hasattr(signal, name)}
    low, high = getattr(signal, "SIGRTMIN", None), getattr(signal, "SIGRTMAX", None)
    if low is not None and high is not None:
        found.update(range(int(low), int(high) + 1))
    return tuple(sorted(found))


def signal_name(signum: int) -> str:
    """``SIGHUP`` for 1; ``signal 40`` for one without a name."""
    try:
        return signal.Signals(signum).name
    except ValueError:
        low = getattr(signal, "SIGRTMIN", None)
        if low is not None and signum >= int(low):
            return f"SIGRTMIN+{signum - int(low)}"
        return f"signal {signum}"


def exit_status(signum: int) -> int:
    """The exit status of a process stopped by ``signum``: 128 + N, 130 for SIGINT/SIGTERM."""
    if signum in (int(signal.SIGINT), int(getattr(signal, "SIGTERM", signal.SIGINT))):
        return INTERRUPT_EXIT
    return 128 + signum


class Terminated(KeyboardInterrupt):
    """A termination signal arrived: stop cleanly, as for Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal_name(signum))
        self.signum = signum

    @property
    def name(self) -> str:
        return signal_name(self.signum)

    @property
    def exit_code(self) -> int:
        return exit_status(self.signum)


class _State:
    installed = 0  # nesting depth of stop_on_signals
    received: int | None = None  # the first signal that arrived
    raised = False  # a Terminated has been raised: later signals are only noted
    deferring = 0  # nesting depth of deferred()
    previous: dict[int, Any] = {}


_state = _State()


def _handler(signum: int, frame: object) -> None:
    if _state.received is None:
        _state.received = signum
    if _state.raised or _state.deferring:
        return
    _state.raised = True
    raise Terminated(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Inside, every catchable termination signal raises :class:`Terminated` (once).

    Nested uses share one installation. Outside the main thread (where Python cannot
    set handlers) it does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if _state.installed:
        _state.installed += 1
        try:
            yield
        finally:
            _state.installed -= 1
        return
    previous: dict[int, Any] = {}
    for signum in termination_signals():
        try:
            old = signal.getsignal(signum)
            if old is signal.SIG_IGN:  # nohup, or a parent that wants it ignored
                continue
            signal.signal(signum, _handler)
        except (OSError, ValueError, RuntimeError):  # reserved by the platform
            continue
        previous[signum] = old
    _state.installed = 1
    _state.received, _state.raised, _state.deferring = None, False, 0
    _state.previous = previous
    try:
        yield
    finally:
        for signum, old in previous.items():
            try:
                signal.signal(signum, old)
            except (OSError, ValueError, TypeError):
                pass
        _state.installed = 0
        _state.previous = {}
        _state.received, _state.raised, _state.deferring = None, False, 0


@contextmanager
def deferred() -> Iterator[None]:
    """Clean-up that must finish: a signal arriving inside is raised when it ends.

    If the block ends with an exception of its own, that exception goes on and the
    signal stays noted (``received()``), not raised.
    """
    _state.deferring += 1
    try:
        yield
    finally:
        _state.deferring -= 1
    if _state.deferring == 0 and _state.received is not None and not _state.raised:
        _state.raised = True
        raise Terminated(_state.received)


class Held:
    """What :func:`held` saw: the signal that arrived inside the block, if one did."""

    signum: int | None = None


@contextmanager
def held() -> Iterator[Held]:
    """Clean-up whose caller decides what a signal means: one arriving inside is noted
    in the yielded :class:`Held` (and counts as dealt with), never raised."""
    note = Held()
    _state.deferring += 1
    try:
        yield note
    finally:
        _state.deferring -= 1
        if _state.received is not None and not _state.raised:
            note.signum = _state.received
            _state.raised = True


def received() -> int | None:
    """The first termination signal that arrived since :func:`stop_on_signals` began."""
    return _state.received
