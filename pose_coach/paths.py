"""Where pose-coach keeps things, and every POSE_COACH_* environment variable name.

``POSE_COACH_HOME`` replaces every platform directory with folders under it, so tests
and scripts can isolate a whole installation with one variable.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "pose-coach"

ENV_HOME = "POSE_COACH_HOME"  # replaces data, config and cache dirs
ENV_DRILLS = "POSE_COACH_DRILLS"  # extra library folders, os.pathsep-separated
ENV_DEBUG = "POSE_COACH_DEBUG"  # show tracebacks for unexpected errors
ENV_NO_LOG = "POSE_COACH_NO_LOG"  # do not record sessions in the practice log
ENV_CONFIG = "POSE_COACH_CONFIG"  # use this config file instead of the default
ENV_PREFIX = "POSE_COACH_"  # POSE_COACH_<OPTION> for every configurable option

_PACKAGE_DIR = Path(__file__).resolve().parent


def builtin_library_dir() -> Path:
    """The built-in drills: inside the installed package, or the repo's ``drills/``."""
    installed = _PACKAGE_DIR / "drills"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "drills"


def docs_dir() -> Path:
    """The documentation (``docs/*.md`` and ``README.md``): inside the installed package
    (the wheel ships it as package data), or the repo's own files in a checkout."""
    installed = _PACKAGE_DIR / "docs"
    if (installed / "README.md").is_file():
        return installed
    return _PACKAGE_DIR.parent / "docs"


def readme_file() -> Path:
    """The README: beside the other docs when installed, at the repo's top in a checkout."""
    installed = _PACKAGE_DIR / "docs" / "README.md"
    return installed if installed.is_file() else _PACKAGE_DIR.parent / "README.md"


def _home() -> Path | None:
    value = os.environ.get(ENV_HOME)
    return Path(value).expanduser() if value else None


def _platform_dir(kind: str) -> Path:
    home = _home()
    if home is not None:
        return home / kind
    import platformdirs

    dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
    return Path(
        {
            "data": dirs.user_data_dir,
            "config": dirs.user_config_dir,
            "cache": dirs.user_cache_dir,
        }[kind]
    )


def data_dir() -> Path:
    return _platform_dir("data")


def config_dir() -> Path:
    return _platform_dir("config")


def cache_dir() -> Path:
    return _platform_dir("cache")


def user_library_dir() -> Path:
    """The user's own drills (and ``routines/`` beside them)."""
    return data_dir() / "drills"


def config_file() -> Path:
    override = os.environ.get(ENV_CONFIG)
    if override:
        return Path(override).expanduser()
    return config_dir() / "config.yaml"


def extra_library_dirs() -> list[Path]:
    value = os.environ.get(ENV_DRILLS, "")
    return [Path(part).expanduser() for part in value.split(os.pathsep) if part.strip()]


def library_dirs() -> list[tuple[str, Path]]:
    """The drill search path, in order: (origin, folder). Origin is 'builtin' or 'user'."""
    folders = [("builtin", builtin_library_dir()), ("user", user_library_dir())]
    folders += [("user", folder) for folder in extra_library_dirs()]
    return folders
