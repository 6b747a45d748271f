"""System programs: found on PATH at run time (or named in the config), and what to
install when one is missing, for the platform at hand."""

from __future__ import annotations

import os
import shutil
import sys
from functools import cache
from pathlib import Path
from typing import IO

# program -> package name per Linux package manager (None: the program's own name)
_LINUX_PACKAGES: dict[str, dict[str, str]] = {
    "espeak-ng": {},
    "aplay": {
        "apt": "alsa-utils",
        "dnf": "alsa-utils",
        "pacman": "alsa-utils",
        "zypper": "alsa-utils",
        "apk": "alsa-utils",
    },
    "paplay": {
        "apt": "pulseaudio-utils",
        "dnf": "pulseaudio-utils",
        "pacman": "libpulse",
        "zypper": "pulseaudio-utils",
        "apk": "pulseaudio-utils",
    },
    "pw-play": {
        "apt": "pipewire-bin",
        "dnf": "pipewire-utils",
        "pacman": "pipewire",
        "zypper": "pipewire-tools",
        "apk": "pipewire-tools",
    },
    "ffmpeg": {},
    "lame": {},
    "oggenc": {
        "apt": "vorbis-tools",
        "dnf": "vorbis-tools",
        "pacman": "vorbis-tools",
        "zypper": "vorbis-tools",
        "apk": "vorbis-tools",
    },
    "sox": {},
}

_MANAGERS = {  # os-release ID / ID_LIKE word -> (manager, install command prefix)
    "debian": ("apt", "sudo apt install"),
    "ubuntu": ("apt", "sudo apt install"),
    "fedora": ("dnf", "sudo dnf install"),
    "rhel": ("dnf", "sudo dnf install"),
    "arch": ("pacman", "sudo pacman -S"),
    "suse": ("zypper", "sudo zypper install"),
    "opensuse": ("zypper", "sudo zypper install"),
    "alpine": ("apk", "sudo apk add"),
}

_MACOS = {
    "espeak-ng": "brew install espeak-ng (or use the built-in `say`)",
    "ffmpeg": "brew install ffmpeg",
    "lame": "brew install lame",
    "oggenc": "brew install vorbis-tools",
    "sox": "brew install sox",
}

_WINDOWS = {
    "espeak-ng": "install eSpeak NG from https://github.com/espeak-ng/espeak-ng/releases",
    "ffmpeg": "winget install --id Gyan.FFmpeg",
    "sox": "winget install --id ChrisBagwell.SoX",
}


def which(program: str) -> str | None:
    """The full path of ``program`` on PATH (or as given, when it is a path), else None."""
    return shutil.which(program)


@cache
def _linux_manager(os_release: str = "/etc/os-release") -> tuple[str, str]:
    try:
        text = Path(os_release).read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    words: list[str] = []
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key in ("ID", "ID_LIKE"):
            words += value.strip().strip('"').lower().split()
    for word in words:
        for name, manager in _MANAGERS.items():
            if word == name or word.startswith(name):
                return manager
    return ("apt", "sudo apt install")  # the most common; the package names match


def install_hint(program: str, platform: str | None = None) -> str:
    """The command that installs ``program`` here, e.g. ``sudo apt install espeak-ng``."""
    platform = platform or sys.platform
    if platform == "darwin":
        return _MACOS.get(program, f"brew install {program}")
    if platform.startswith("win"):
        return _WINDOWS.get(program, f"install {program} and put it on PATH")
    manager, command = _linux_manager()
    package = _LINUX_PACKAGES.get(program, {}).get(manager, program)
    return f"{command} {package}"


def player_install_hint(platform: str | None = None) -> str:
    platform = platform or sys.platform
    if platform == "darwin":
        return "afplay is part of macOS; check PATH includes /usr/bin"
    if platform.startswith("win"):
        return "Windows plays sound itself (winsound); check the sound settings"
    return install_hint("aplay", platform)


def speech_install_hint(platform: str | None = None) -> str:
    platform = platform or sys.platform
    if platform == "darwin":
        return "`say` is part of macOS; check PATH includes /usr/bin, or brew install espeak-ng"
    if platform.startswith("win"):
        return (
            "Windows PowerShell (powershell.exe) provides speech; check it is on PATH, "
            "or " + _WINDOWS["espeak-ng"]
        )
    return install_hint("espeak-ng", platform)


def speech_and_player_install_hint(platform: str | None = None) -> str:
    """One command that installs a speech engine and a player together, where one can."""
    platform = platform or sys.platform
    if platform == "darwin" or platform.startswith("win"):
        return f"{speech_install_hint(platform)}; {player_install_hint(platform)}"
    manager, command = _linux_manager()
    packages = [_LINUX_PACKAGES.get(p, {}).get(manager, p) for p in ("espeak-ng", "aplay")]
    return f"{command} {' '.join(packages)}"


def runtime_dir() -> Path | None:
    value = os.environ.get("XDG_RUNTIME_DIR")
    return Path(value) if value else None


def last_line(errors: IO[bytes]) -> str:
    """The last words of a program's stderr, kept in a file: aplay and ffmpeg, for two,
    end with the line that says what failed. Only the file's tail is read."""
    errors.seek(max(errors.seek(0, 2) - 4096, 0))
    for line in reversed(errors.read(4096).decode("utf-8", "replace").splitlines()):
        if line.strip():
            return line.strip()[:200]
    return ""
