"""The config file and the effective value of every setting.

Precedence, for every setting: command line > ``POSE_COACH_<NAME>`` > config file >
built-in default. Click handles the first two for options (``envvar=``); the config file
reaches options through ``ctx.default_map`` (``commands/option_defaults.py``, set by the
root group), and code that needs a setting that is not an option calls :func:`setting`.

The file is YAML read through ``yamlnodes`` (safe loader, composed nodes, line numbers),
and every value is parsed from its raw text, so ``voice: no`` means false and ``1:30``
is never 90. Importing this module is cheap: YAML is parsed only when a config file
exists and a setting is asked for, so ``pose-coach --help`` never touches it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

from pose_coach.errors import ConfigError, Problem, UsageError, display_path
from pose_coach.files import FileRefused, FileTooLarge, is_null_device, read_bytes
from pose_coach.numbers import NumberRange
from pose_coach.paths import ENV_NO_LOG, ENV_PREFIX, config_file

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}
# click reads an option's variable with these words too: env values are read as click does
_ENV_TRUE, _ENV_FALSE = _TRUE | {"t", "y"}, _FALSE | {"f", "n"}


class Setting(NamedTuple):
    """One known setting: its type, range, built-in default and help."""

    name: str
    kind: str  # 'float', 'int', 'bool', 'text', 'command' or 'choice'
    default: Any
    help: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    nullable: bool = False  # None is meaningful: "not set" (the drill's dose, automatic)
    noun: str | None = None  # what a number is: "expected a speed between 0.1 and 1000"

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()

    @property
    def range(self) -> NumberRange:
        """A number setting's range: the same type reads the option (commands/common.py)."""
        assert self.kind in ("float", "int") and self.low is not None and self.high is not None
        return NumberRange(self.kind, self.low, self.high, self.noun)

    def expected(self) -> str:
        if self.kind in ("float", "int"):
            return self.range.expected()
        if self.kind == "bool":
            return "true or false"
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind == "command":
            return "a command line, e.g. 'aplay -q'"
        return "text"

    def parse(self, raw: str, *, env: bool = False) -> Any:
        """The typed value of a raw string; ValueError with the message for a bad one.

        ``env``: the value of a variable, which click also reads for the option of the same
        name; it must mean the same here (``y`` is true, ``2.0`` is not a whole number).
        """
        text = raw.strip()
        if self.kind in ("float", "int"):
            return self.range.parse(raw, strict=env)
        if self.kind == "bool":
            if text.lower() in (_ENV_TRUE if env else _TRUE):
                return True
            if text.lower() in (_ENV_FALSE if env else _FALSE):
                return False
            raise ValueError(f"expected {self.expected()}, got {raw!r}")
        if self.kind == "choice":
            if text not in self.choices:
                import difflib

                close = difflib.get_close_matches(text.lower(), self.choices, n=1)
                tip = f" — did you mean {close[0]!r}?" if close else ""
                raise ValueError(f"expected {self.expected()}, got {raw!r}{tip}")
            return text
        if not text or not text.isprintable():
            raise ValueError(f"expected {self.expected()}, got {raw!r}")
        if self.kind == "command":
            import shlex

            try:
                if not shlex.split(text):
                    raise ValueError
            except ValueError:
                raise ValueError(f"expected {self.expected()}, got {raw!r}") from None
        return text


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("lead_in", "float", 3.0, "get-ready countdown in seconds", 0, 60),
        Setting(
            "speed",
            "float",
            1.0,
            "play faster to try things out, e.g. 10",
            0.1,
            1000,
            noun="a speed",
        ),
        Setting(
            "sets",
            "int",
            None,
            "sets of each drill (unset: the drill's dose)",
            1,
            20,
            nullable=True,
        ),
        Setting(
            "rest",
            "float",
            None,
            "rest seconds between sets (unset: the drill's dose)",
            0,
            600,
            nullable=True,
        ),
        Setting("title", "bool", True, "show the time left in the terminal title"),
        Setting(
            "wait",
            "bool",
            False,
            "open-ended steps (run-outs) wait for a key instead of going on after their seconds",
        ),
        Setting(
            "voice",
            "bool",
            None,
            "speak the cues (unset: on when a speech engine is found)",
            nullable=True,
        ),
        Setting(
            "voice_name",
            "text",
            None,
            "speech voice, e.g. en-us (unset: the engine's)",
            nullable=True,
        ),
        Setting(
            "rate",
            "int",
            None,
            "speech rate in words per minute (unset: the engine's)",
            80,
            450,
            nullable=True,
        ),
        Setting(
            "sound",
            "bool",
            None,
            "any audio at all: speech, beeps, metronome (unset: on in the live view at speed 1)",
            nullable=True,
        ),
        Setting(
            "cadence",
            "int",
            None,
            "metronome steps per minute (unset: each step's own)",
            60,
            240,
            nullable=True,
        ),
        Setting(
            "runner_cadence",
            "int",
            None,
            "your own running cadence in steps per minute: steps written as +5% count from"
            " it (unset: 180 until yours is known)",
            120,
            230,
            nullable=True,
        ),
        Setting("log", "bool", True, "record sessions in the practice log"),
        Setting(
            "paper", "choice", "a4", "paper size of printed cue sheets", choices=("a4", "letter")
        ),
        Setting(
            "player",
            "command",
            None,
            "audio player command (unset: found on PATH: pw-play, paplay, aplay, afplay)",
            nullable=True,
        ),
        Setting(
            "speech_engine",
            "command",
            None,
            "speech command (unset: found on PATH: espeak-ng, say, Windows speech)",
            nullable=True,
        ),
    )
}

# -- the file -------------------------------------------------------------------------


class ConfigFile(NamedTuple):
    """The settings a config file sets (parsed), with the line and column of each."""

    path: Path
    exists: bool
    values: dict[str, Any] = {}  # never mutated: a NamedTuple default is shared
    where: dict[str, tuple[int, int]] = {}


_cache: dict[Path, tuple[tuple[int, int, int], ConfigFile]] = {}


def load_config(path: Path | None = None) -> ConfigFile:
    """Read and check the config file (default: ``paths.config_file()``).

    A missing file is an empty config; a broken one raises ConfigError listing every
    located problem. Cached per path until the file changes.
    """
    path = path or config_file()
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):  # (POSE_COACH_HOME a file: no config)
        return ConfigFile(path, exists=False)
    except OSError as exc:
        raise ConfigError(
            f"cannot read the config file {display_path(path)}: {exc.strerror}"
        ) from None
    if is_null_device(info):  # POSE_COACH_CONFIG=/dev/null: an empty file, the defaults
        return ConfigFile(path, exists=True)
    key = (info.st_mtime_ns, info.st_size, info.st_ino)
    cached = _cache.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    from pose_coach.library.yamlnodes import MAX_BYTES

    try:
        # a FIFO would block and /dev/zero never ends: a regular file, read to a limit
        data = read_bytes(path, MAX_BYTES)
    except FileTooLarge as big:
        message = f"file is {big.size} bytes; the limit is {MAX_BYTES} (1 MiB)"
        raise _config_error([Problem(display_path(path), None, None, "", message)]) from None
    except FileRefused:
        raise ConfigError(f"the config file {display_path(path)} is not a regular file") from None
    except OSError as exc:
        raise ConfigError(
            f"cannot read the config file {display_path(path)}: {exc.strerror}"
        ) from None
    config = parse_config(data, path)
    _cache[path] = (key, config)
    return config


def parse_config(data: bytes, path: Path) -> ConfigFile:
    """Check a config file's bytes; ConfigError with every located problem."""
    import difflib

    from pose_coach.library.yamlnodes import (
        YamlProblem,
        check_structure,
        check_text,
        compose,
        decode,
    )

    shown = display_path(path)
    try:
        text = decode(data)
        raw = check_text(text)
        if raw:  # the YAML reader would stop at the first one, unlocated
            raise _config_error([Problem(shown, p.line, p.column, "", p.message) for p in raw])
        root = compose(text)
        structure = check_structure(root, text)
    except YamlProblem as exc:
        raise _config_error([Problem(shown, exc.line, exc.column, "", exc.message)]) from None
    if structure.problems:
        raise _config_error(
            [Problem(shown, p.line, p.column, "", p.message) for p in structure.problems]
        )
    if root is None:  # an empty file (or only comments) sets nothing
        return ConfigFile(path, exists=True)
    import yaml

    if not isinstance(root, yaml.MappingNode):
        line, column = root.start_mark.line + 1, root.start_mark.column + 1
        raise _config_error(
            [Problem(shown, line, column, "", "expected settings as 'name: value' lines")]
        )
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    where: dict[str, tuple[int, int]] = {}
    for key, node in root.value:
        name = str(key.value)
        key_at = (key.start_mark.line + 1, key.start_mark.column + 1)
        spec = SETTINGS.get(name)
        if spec is None:
            close = difflib.get_close_matches(name.replace("-", "_"), SETTINGS, n=1)
            tip = f" — did you mean {close[0]!r}?" if close else ""
            problems.append(Problem(shown, *key_at, name, f"unknown setting {name!r}{tip}"))
            continue
        at = (node.start_mark.line + 1, node.start_mark.column + 1)
        if not isinstance(node, yaml.ScalarNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
            problems.append(Problem(shown, *at, name, f"expected {spec.expected()}, got {kind}"))
            continue
        if node.tag == "tag:yaml.org,2002:null":
            if spec.nullable:  # written out but empty: the built-in "unset"
                values[name], where[name] = None, at
            else:
                problems.append(
                    Problem(shown, *at, name, f"expected {spec.expected()}, got nothing")
                )
            continue
        try:
            values[name] = spec.parse(node.value)
        except ValueError as exc:
            problems.append(Problem(shown, *at, name, str(exc)))
            continue
        where[name] = at
    if problems:
        raise _config_error(problems)
    return ConfigFile(path, exists=True, values=values, where=where)


def _config_error(problems: list[Problem]) -> ConfigError:
    first = str(problems[0])
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    error = ConfigError(
        first + more,
        hint="fix the config file (the settings: `pose-coach docs config`; "
        "`pose-coach config show` checks it)",
    )
    error.problems = problems  # type: ignore[attr-defined]  # cli.report_error prints all
    return error


# -- effective values -----------------------------------------------------------------


class Effective(NamedTuple):
    """A setting's effective value and where it came from."""

    name: str
    value: Any
    source: str  # 'default', 'config file' or 'env POSE_COACH_<NAME>'


def _from_env(spec: Setting) -> Effective | None:
    if spec.name == "log" and os.environ.get(ENV_NO_LOG, "").strip() not in ("", "0"):
        return Effective(spec.name, False, f"env {ENV_NO_LOG}")
    raw = os.environ.get(spec.env)
    if not raw:  # unset or empty: not given (as click treats envvars)
        return None
    try:
        return Effective(spec.name, spec.parse(raw, env=True), f"env {spec.env}")
    except ValueError as exc:
        # a bad variable is a bad option value given another way: a usage error, as in click
        raise UsageError(f"{spec.env}: {exc}", hint=f"fix or unset {spec.env}") from None


def effective(name: str, config: ConfigFile | None = None) -> Effective:
    """The value of one setting: env > config file > built-in default."""
    spec = SETTINGS[name]
    from_env = _from_env(spec)
    if from_env is not None:
        return from_env
    config = config if config is not None else load_config()
    if name in config.values:
        return Effective(name, config.values[name], "config file")
    return Effective(name, spec.default, "default")


def setting(name: str) -> Any:
    """The effective value of a setting (env > config file > built-in default)."""
    return effective(name).value


def command_setting(name: str) -> list[str] | None:
    """A program setting (``player``, ``speech_engine``) as an argv list, or None."""
    import shlex

    value = setting(name)
    return shlex.split(value) if value else None


def all_effective(config: ConfigFile | None = None) -> list[Effective]:
    config = config if config is not None else load_config()
    return [effective(name, config) for name in SETTINGS]
