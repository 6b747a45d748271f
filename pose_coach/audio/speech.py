"""Speech engines found at run time, and the clip cache.

Each engine writes a WAV file (never its own audio output: espeak-ng exits 0 when it
cannot play or write anything). Clips are cached in the platform cache dir, keyed by
engine, voice, rate and text, and every clip is checked to exist and hold sound before
it is used. Text always travels as one argv item after ``--`` (or, for Windows, in an
environment variable): never through a shell, never quoted into a script.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pose_coach.audio.clips import ClipError, holds_sound, load_clip, read_wav, write_wav
from pose_coach.audio.programs import speech_install_hint, which
from pose_coach.errors import (
    MissingProgramError,
    PoseCoachError,
    UsageError,
    display_path,
    printable,
)
from pose_coach.paths import cache_dir

SYNTH_TIMEOUT = 60.0
CACHE_VERSION = "1"  # bump when the cached clip format changes

_WINDOWS_SCRIPT = """
Add-Type -AssemblyName System.Speech
$s = New-Object System.Speech.Synthesis.SpeechSynthesizer
if ($env:PC_VOICE) { $s.SelectVoice($env:PC_VOICE) }
if ($env:PC_RATE) { $s.Rate = [int]$env:PC_RATE }
$f = [System.Speech.AudioFormat.SpeechAudioFormatInfo]::new(22050,
      [System.Speech.AudioFormat.AudioBitsPerSample]::Sixteen,
      [System.Speech.AudioFormat.AudioChannel]::Mono)
$s.SetOutputToWaveFile($env:PC_OUT, $f); $s.Speak($env:PC_TEXT); $s.Dispose()
"""


class SpeechError(PoseCoachError):
    """The speech engine failed or wrote no sound."""


@dataclass(frozen=True)
class SpeechEngine:
    """A speech program: ``kind`` says how to call it, ``argv`` is the program (+ args)."""

    kind: str  # 'espeak-ng', 'say' or 'windows'
    argv: tuple[str, ...]

    @property
    def name(self) -> str:
        return Path(self.argv[0]).name

    def command(
        self, text: str, out: Path, voice: str | None, rate: int | None
    ) -> tuple[list[str], dict[str, str] | None]:
        """The argv (and extra environment) that writes ``text`` spoken into ``out``."""
        argv = list(self.argv)
        if self.kind == "say":
            if voice:
                argv += ["-v", voice]
            if rate:
                argv += ["-r", str(rate)]
            return argv + ["-o", str(out), "--data-format=LEI16@22050", "--", text], None
        if self.kind == "windows":
            env = {"PC_TEXT": text, "PC_OUT": str(out), "PC_VOICE": voice or ""}
            # System.Speech's rate is -10..10 around ~180 words per minute
            env["PC_RATE"] = str(max(-10, min(10, round((rate - 180) / 20)))) if rate else ""
            return argv + ["-NoProfile", "-NonInteractive", "-Command", _WINDOWS_SCRIPT], env
        if voice:
            argv += ["-v", voice]
        if rate:
            argv += ["-s", str(rate)]
        return argv + ["-w", str(out), "--", text], None


def _kind_of(program: str) -> str:
    base = Path(program).name.lower().removesuffix(".exe")
    if base == "say":
        return "say"
    if base in ("powershell", "pwsh"):
        return "windows"
    return "espeak-ng"  # espeak-ng, espeak, or anything that takes espeak's arguments


def find_engine(override: list[str] | None = None) -> SpeechEngine | None:
    """The speech engine to use: the configured one, else the first found on PATH."""
    if override:
        path = which(override[0])
        if path is None:
            return None
        return SpeechEngine(_kind_of(override[0]), (path, *override[1:]))
    for program in ("espeak-ng", "espeak"):
        path = which(program)
        if path:
            return SpeechEngine("espeak-ng", (path,))
    if sys.platform == "darwin" and which("say"):
        return SpeechEngine("say", (which("say") or "say",))
    if sys.platform.startswith("win"):
        path = which("powershell") or which("powershell.exe")
        if path:
            return SpeechEngine("windows", (path,))
    return None


def configured_engine() -> list[str] | None:
    """The ``speech_engine`` setting (config file or POSE_COACH_SPEECH_ENGINE) as argv."""
    from pose_coach.config import command_setting

    return command_setting("speech_engine")


def missing_engine_error(override: list[str] | None = None) -> MissingProgramError:
    if override:
        return MissingProgramError(
            f"speech engine '{override[0]}' (set by speech_engine) is not on PATH; "
            f"install it or fix the setting"
        )
    return MissingProgramError(
        f"no speech engine found: espeak-ng is not on PATH (install: {speech_install_hint()})"
    )


# -- the cache --------------------------------------------------------------------------


def clip_key(engine: SpeechEngine, text: str, voice: str | None, rate: int | None) -> str:
    raw = "\x00".join(
        [CACHE_VERSION, engine.kind, *engine.argv[1:], voice or "", str(rate or ""), text]
    )
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def speech_cache_dir() -> Path:
    """Where clips are kept: ``<cache dir>/speech``, or, when that folder cannot be
    created (``POSE_COACH_HOME`` is a file, or read-only), a temporary folder for this run
    only, removed at exit; ``cache_problem()`` then says why."""
    folder = cache_dir() / "speech"
    if _fallback.folder is not None and _fallback.wanted == folder:
        return _fallback.folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(13, "Permission denied")
        return folder
    except OSError as exc:
        return _fallback.use(folder, exc.strerror or str(exc))


class _Fallback:
    """The temporary clip folder used when the cache folder cannot be made."""

    def __init__(self) -> None:
        self.wanted: Path | None = None
        self.folder: Path | None = None
        self.reason: str | None = None

    def use(self, wanted: Path, reason: str) -> Path:
        import atexit
        import shutil

        self.wanted, self.reason = wanted, reason
        self.folder = Path(tempfile.mkdtemp(prefix="pose-coach-speech-"))
        atexit.register(shutil.rmtree, self.folder, True)
        return self.folder


_fallback = _Fallback()


def cache_problem() -> str | None:
    """Why clips are not cached this run (one line), or None when they are."""
    if _fallback.folder is None or _fallback.wanted is None:
        return None
    return (
        f"cannot keep spoken clips in {display_path(_fallback.wanted)}: {_fallback.reason}; "
        "they are made afresh for this run (check the folder, or POSE_COACH_HOME)"
    )


@dataclass(frozen=True)
class Voice:
    """An engine with the voice and rate to speak in."""

    engine: SpeechEngine
    name: str | None = None
    rate: int | None = None

    def clip_path(self, text: str) -> Path:
        return speech_cache_dir() / f"{clip_key(self.engine, text, self.name, self.rate)}.wav"


def synthesise(voice: Voice, text: str):
    """The trimmed samples of ``text`` spoken, from the cache or made now (and cached)."""
    path = voice.clip_path(text)
    if os.path.lexists(path):
        try:
            samples = read_wav(path)  # cached clips are stored trimmed
            if holds_sound(samples):
                return samples
        except ClipError:
            pass
        # a damaged cache entry (or a FIFO, a folder, a symlink put there): make it again
        _remove(path)
    folder = path.parent
    try:
        made = tempfile.TemporaryDirectory(dir=folder, prefix=".synth-")
    except OSError as exc:
        raise SpeechError(
            f"cannot make spoken clips in {display_path(folder)}: {exc.strerror or exc}"
        ) from None
    with made as tmp:
        raw = Path(tmp) / "raw.wav"
        argv, extra_env = voice.engine.command(text, raw, voice.name, voice.rate)
        env = {**os.environ, **extra_env} if extra_env else None
        try:
            done = subprocess.run(
                argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=SYNTH_TIMEOUT
            )
        except FileNotFoundError:
            raise missing_engine_error([voice.engine.argv[0]]) from None
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SpeechError(f"{voice.engine.name} failed on {text!r}: {exc}") from None
        message = printable(_first_line(done.stderr))  # a program's words: escaped
        if done.returncode != 0:
            if voice.name and "voice" in message.lower():
                raise UsageError(
                    f"{voice.engine.name} has no voice '{printable(voice.name)}'",
                    hint=_voices_hint(voice.engine),
                )
            raise SpeechError(
                f"{voice.engine.name} failed on {text!r} (exit {done.returncode}: {message})"
            )
        try:
            samples = load_clip(raw)  # exit 0 proves nothing: check the file
        except ClipError:
            raise SpeechError(
                f"{voice.engine.name} wrote no sound for {text!r}"
                + (f" ({message})" if message else "")
            ) from None
        part = Path(tmp) / "clip.wav"
        write_wav(part, samples)
        os.replace(part, path)  # atomic: parallel runs never see half a clip
    return samples


def _remove(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            import shutil

            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise SpeechError(f"cannot replace the cached clip {path}: {exc.strerror}") from None


def _first_line(data: bytes) -> str:
    for line in data.decode("utf-8", "replace").splitlines():
        if line.strip():
            return line.strip()
    return ""


def _voices_hint(engine: SpeechEngine) -> str:
    if engine.kind == "say":
        return "list voices with: say -v '?'"
    if engine.kind == "windows":
        return "see the voices under Settings > Time & language > Speech"
    return f"list voices with: {engine.name} --voices"


def synthesise_all(
    voice: Voice,
    texts: Iterable[str],
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> dict:
    """Every text spoken (text -> samples), cached ones read, new ones made in parallel.

    ``progress(done, total)`` counts the new clips as they are made (never called when
    all are cached). Synthesis is a subprocess per clip, so threads overlap them well
    (about 5 ms per cue with 4 threads).
    """
    unique = list(dict.fromkeys(t for t in texts if t and t.strip()))
    out: dict = {}
    if not unique:
        return out
    workers = workers or min(4, os.cpu_count() or 1)
    new = {t for t in unique if not voice.clip_path(t).exists()}
    report = progress if new else None  # all cached: nothing worth a progress bar
    done = 0
    if report:
        report(0, len(new))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {text: pool.submit(synthesise, voice, text) for text in unique}
        try:
            for text, future in futures.items():
                out[text] = future.result()  # re-raises the first failure, in order
                if report and text in new:
                    done += 1
                    report(done, len(new))
        except BaseException:
            for future in futures.values():
                future.cancel()  # do not start clips nobody will use
            raise
    return out
