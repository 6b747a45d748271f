"""Audio players: the platform's own program in a subprocess, behind one small interface.

``play`` starts a file and returns at once (``Popen`` takes well under a millisecond),
so the scheduler never waits on audio. A failed player is reported through
``failures()``, to be shown once as a warning: a dying player never stops a session.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from pose_coach.audio.programs import last_line, player_install_hint, runtime_dir, which
from pose_coach.errors import MissingProgramError, printable
from pose_coach.signals import deferred


class AudioPlayer(Protocol):
    @property
    def name(self) -> str:
        """The program's name, for messages."""

    def play(self, path: Path) -> None:
        """Stop whatever is playing and start ``path``; return at once."""

    def stop(self) -> None:
        """Stop playing now (pause, quit)."""

    def wait(self, timeout: float) -> None:
        """Let the current sound finish, for at most ``timeout`` seconds."""

    def failures(self) -> list[str]:
        """Messages for plays that failed since the last call (exit code, first line)."""


@dataclass
class _Running:
    proc: subprocess.Popen
    errors: IO[bytes]
    stopped: bool = False


@dataclass
class CommandPlayer:
    """A player program: ``argv + [file]``, one process per sound, the previous one stopped."""

    argv: list[str]
    running: list[_Running] = field(default_factory=list)
    _failed: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return Path(self.argv[0]).name

    def play(self, path: Path) -> None:
        self.stop()
        errors = tempfile.TemporaryFile()  # a file, not a pipe: a chatty player never blocks
        with deferred():  # a player started is a player known, so close() can stop it
            try:
                proc = subprocess.Popen(
                    [*self.argv, str(path)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=errors,
                    close_fds=True,
                )
            except OSError as exc:
                errors.close()
                self._failed.append(f"{self.name} could not start: {exc.strerror or exc}")
                return
            self.running.append(_Running(proc, errors))

    def stop(self) -> None:
        for item in self.running:
            if item.proc.poll() is None:
                item.stopped = True
                try:
                    item.proc.terminate()
                except OSError:
                    pass
        self._reap()

    def wait(self, timeout: float) -> None:
        for item in self.running:
            try:
                item.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                item.stopped = True
                item.proc.kill()
        self._reap()

    def failures(self) -> list[str]:
        self._reap()
        out, self._failed = self._failed, []
        return out

    def close(self) -> None:
        self.stop()
        for item in self.running:
            try:
                item.proc.wait(1.0)
            except subprocess.TimeoutExpired:
                item.proc.kill()
        self._reap()

    def _reap(self) -> None:
        """Collect finished processes without waiting; note the ones that failed."""
        keep = []
        for item in self.running:
            code = item.proc.poll()
            if code is None:
                keep.append(item)
                continue
            if code != 0 and not item.stopped and code not in (-signal.SIGTERM, -signal.SIGINT):
                line = printable(last_line(item.errors))
                self._failed.append(
                    f"{self.name} failed (exit {code}{': ' + line if line else ''})"
                )
            item.errors.close()
        self.running = keep


class WinsoundPlayer:
    """Windows: ``winsound.PlaySound`` with SND_ASYNC (one sound at a time, like ours)."""

    name = "winsound"

    def __init__(self) -> None:
        import winsound

        self._winsound: Any = winsound  # typeshed declares its functions for Windows only
        self._failed: list[str] = []

    def play(self, path: Path) -> None:
        ws = self._winsound
        try:
            ws.PlaySound(str(path), ws.SND_FILENAME | ws.SND_ASYNC | ws.SND_NODEFAULT)
        except RuntimeError as exc:
            self._failed.append(f"winsound failed: {exc}")

    def stop(self) -> None:
        self._winsound.PlaySound(None, 0)  # None stops the current sound

    def wait(self, timeout: float) -> None:
        import time

        time.sleep(max(min(timeout, 2.0), 0.0))  # no handle to wait on; a short grace

    def failures(self) -> list[str]:
        out, self._failed = self._failed, []
        return out

    def close(self) -> None:
        self.stop()


# program -> the arguments it needs to play one file quietly and exit
_LINUX_PLAYERS: tuple[tuple[str, list[str]], ...] = (
    ("pw-play", []),
    ("paplay", []),
    ("aplay", ["-q"]),
    ("ffplay", ["-nodisp", "-autoexit", "-loglevel", "error"]),  # exit code lies: last resort
)


def _server_running(program: str) -> bool | None:
    """Whether the sound server a player needs is up (None: cannot tell)."""
    folder = runtime_dir()
    if folder is None:
        return None
    if program == "pw-play":
        return (folder / "pipewire-0").exists()
    if program == "paplay":
        return bool(os.environ.get("PULSE_SERVER")) or (folder / "pulse" / "native").exists()
    return None


def player_argv(platform: str | None = None) -> list[str] | None:
    """The player found on PATH for this platform, as argv (file appended at play time)."""
    platform = platform or sys.platform
    if platform == "darwin":
        path = which("afplay")
        return [path] if path else None
    found = [(path, args, p) for p, args in _LINUX_PLAYERS if (path := which(p))]
    for path, args, program in found:
        if program in ("pw-play", "paplay"):
            # these need a running sound server; without one they fail on every sound
            if _server_running(program):
                return [path, *args]
            continue
        return [path, *args]
    return [found[0][0], *found[0][1]] if found else None


def output_problem(argv: list[str]) -> str | None:
    """Why ``argv`` cannot play anything here, when the system says so, else None.

    Only what can be asked cheaply and surely: aplay without a ``-D`` device of its own
    lists the sound cards (``aplay -l``); none means every sound would fail. Players that
    need a sound server are checked for it when they are found (``player_argv``).
    """
    if Path(argv[0]).name != "aplay" or any(a.startswith(("-D", "--device")) for a in argv):
        return None
    try:
        done = subprocess.run(
            [argv[0], "-l"],
            capture_output=True,
            text=True,
            timeout=3,
            stdin=subprocess.DEVNULL,
            errors="replace",
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if "no soundcards found" in done.stdout + done.stderr:
        return "no sound card: `aplay -l` lists none, so nothing can be heard here"
    return None


def configured_player() -> list[str] | None:
    """The ``player`` setting (config file or POSE_COACH_PLAYER) as argv, or None."""
    from pose_coach.config import command_setting

    return command_setting("player")


def find_player(override: list[str] | None = None) -> AudioPlayer | None:
    """The player to use: the configured command, else the platform's, else None."""
    if override:
        path = which(override[0])
        return CommandPlayer([path, *override[1:]]) if path else None
    if sys.platform.startswith("win"):
        return WinsoundPlayer()
    argv = player_argv()
    return CommandPlayer(argv) if argv else None


def missing_speech_and_player_error() -> MissingProgramError:
    """``--voice`` where neither a speech engine nor a player is found: both named, and
    the one command that installs both."""
    from pose_coach.audio.programs import speech_and_player_install_hint

    if sys.platform == "darwin":
        what = "neither say nor espeak-ng, nor afplay, is on PATH"
    else:
        what = "espeak-ng is not on PATH, nor any of pw-play, paplay, aplay"
    return MissingProgramError(
        f"no speech engine and no audio player found: {what} "
        f"(install both: {speech_and_player_install_hint()})"
    )


def missing_player_error(override: list[str] | None = None) -> MissingProgramError:
    if override:
        return MissingProgramError(
            f"audio player '{override[0]}' (set by player) is not on PATH; "
            "install it or fix the setting"
        )
    if sys.platform == "darwin":
        what = "afplay is not on PATH"
    else:
        what = "none of pw-play, paplay, aplay is on PATH"
    return MissingProgramError(f"no audio player found: {what} (install: {player_install_hint()})")
