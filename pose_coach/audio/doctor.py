"""``pose-coach doctor``: what this machine has for sound, and what to install."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from pose_coach.audio.players import CommandPlayer, configured_player, find_player
from pose_coach.audio.programs import install_hint, player_install_hint, speech_install_hint, which
from pose_coach.audio.speech import configured_engine, find_engine
from pose_coach.paths import cache_dir, config_dir, config_file, data_dir


@dataclass(frozen=True)
class Check:
    """One line of the report."""

    name: str  # speech_engine, player, ffmpeg, ..., data_dir, config_file
    label: str  # how the line is titled for people
    found: bool
    value: str | None  # program path and version, or a folder
    required: bool  # needed for a spoken session; optional items never fail doctor
    install: str | None = None  # what to run when it is missing
    source: str | None = None  # 'PATH', 'config', 'POSE_COACH_HOME', ...
    note: str | None = None
    kind: str = "program"  # or 'device', 'folder', 'file'

    @property
    def state(self) -> str:
        if self.found:
            return "ok"
        if self.kind in ("folder", "file"):
            return "not yet"
        return "MISSING" if self.required else "missing"

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "found": self.found,
            "value": self.value,
            "required": self.required,
            "install": None if self.found else self.install,
            "source": self.source,
            "note": self.note,
        }


def _version(argv: list[str]) -> str | None:
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=5, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0].strip()[:80] if text else None


def _program_check(
    name: str,
    label: str,
    override: list[str] | None,
    value: str | None,
    usual: str,
    install: str,
) -> Check:
    """A required program: ``value`` describes it when found; ``usual`` is what is
    looked for on PATH when no setting (``override``) names one."""
    if override:
        from pose_coach.config import effective

        source = effective(name).source
    else:
        source = "PATH"
    if value is None:
        return Check(name, label, False, override[0] if override else usual, True, install, source)
    return Check(name, label, True, value, True, None, source)


def speech_check() -> Check:
    override = configured_engine()
    engine = find_engine(override)
    value = None
    if engine is not None:
        value = engine.argv[0]
        if engine.kind == "espeak-ng":
            import re

            match = re.search(r"\d+\.\d+(\.\d+)?", _version([value, "--version"]) or "")
            if match:
                value += f" {match.group(0)}"
    return _program_check(
        "speech_engine", "speech engine", override, value, "espeak-ng", speech_install_hint()
    )


def player_check() -> Check:
    override = configured_player()
    player = find_player(override)
    value = None
    if isinstance(player, CommandPlayer):
        value = " ".join(player.argv)
    elif player is not None:
        value = player.name
    usual = "afplay" if sys.platform == "darwin" else "aplay"
    return _program_check("player", "audio player", override, value, usual, player_install_hint())


def output_check() -> Check | None:
    """Whether the player can reach a sound device: on PATH is not enough (a machine or
    container without a sound card has aplay, and every sound fails). None when there
    is no player to ask, or no sure way to ask it."""
    player = find_player(configured_player())
    if not isinstance(player, CommandPlayer):
        return None
    from pose_coach.audio.players import output_problem

    problem = output_problem(player.argv)
    if problem is None:
        if player.name != "aplay" or any(a.startswith(("-D", "--device")) for a in player.argv):
            return None  # nothing was asked: say nothing rather than guess
        return Check(
            "sound_output", "sound output", True, "a sound card (aplay -l)", True, kind="device"
        )
    return Check(
        "sound_output",
        "sound output",
        False,
        problem,
        True,
        kind="device",
        note="connect a sound device, or set player to one that plays here",
    )


ENCODERS = (
    ("ffmpeg", "renders .mp3 .ogg .m4a"),
    ("lame", ".mp3 without ffmpeg"),
    ("oggenc", ".ogg without ffmpeg"),
    ("sox", ".mp3 .ogg without ffmpeg"),
)


def encoder_checks() -> list[Check]:
    out = []
    for program, use in ENCODERS:
        path = which(program)
        out.append(
            Check(
                program,
                f"encoder {program}",
                path is not None,
                path,
                False,
                install_hint(program),
                "PATH" if path else None,
                note=use,
            )
        )
    return out


def folder_checks() -> list[Check]:
    import os

    from pose_coach.paths import ENV_CONFIG, ENV_HOME

    source = "POSE_COACH_HOME" if os.environ.get(ENV_HOME) else "platform"
    out = []
    for name, label, folder in (
        ("data_dir", "data folder", data_dir()),
        ("config_dir", "config folder", config_dir()),
        ("cache_dir", "cache folder", cache_dir()),
    ):
        problem = None if folder.is_dir() else why_not_creatable(folder)
        out.append(
            Check(
                name,
                label,
                folder.is_dir(),
                str(folder),
                False,
                None,
                source,
                note=None if folder.is_dir() else problem or "created when first needed",
                kind="folder",
            )
        )
    path = config_file()
    out.append(
        Check(
            "config_file",
            "config file",
            path.is_file(),
            str(path),
            False,
            None,
            "POSE_COACH_CONFIG" if os.environ.get(ENV_CONFIG) else source,
            note=None if path.is_file() else "optional: `pose-coach config path`",
            kind="file",
        )
    )
    return out


def why_not_creatable(folder: Path) -> str | None:
    """Why ``folder`` could not be created (a file in the way, a read-only parent), or
    None when it could be."""
    import os

    from pose_coach.errors import display_path

    parent = folder
    while not os.path.lexists(parent) and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        return f"cannot be created: {display_path(parent)} is not a folder"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"cannot be created: {display_path(parent)} is read-only"
    return None


def all_checks() -> list[Check]:
    output = output_check()
    return [
        speech_check(),
        player_check(),
        *([output] if output is not None else []),
        *encoder_checks(),
        *folder_checks(),
    ]


def platform_name() -> str:
    return {"darwin": "macOS", "win32": "Windows"}.get(sys.platform, sys.platform.capitalize())


def test_sound_files(folder: Path) -> tuple[Path, str]:
    """A test beep file in ``folder``, and the sentence to speak."""
    from array import array

    from pose_coach.audio.clips import write_wav
    from pose_coach.audio.tones import get_tone

    beep = array("h")
    for name in ("count", "count", "step"):
        beep.extend(get_tone(name))
        beep.extend(array("h", bytes(2 * 6000)))
    path = folder / "beep.wav"
    write_wav(path, beep)
    return path, "This is pose coach. Lean from the ankles, not the waist."
