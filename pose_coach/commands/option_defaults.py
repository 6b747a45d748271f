"""How settings reach click options: config-file defaults and POSE_COACH_<OPTION> variables.

The root group sets ``ctx.default_map`` to :class:`ConfigDefaults`, and ``cli.py`` calls
:func:`add_envvars` on each command it registers, so that for every option the order is
command line > environment > config file > built-in default.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pose_coach.config import SETTINGS, ConfigFile, load_config
from pose_coach.paths import ENV_PREFIX

# Click parameters fed from a setting with the opposite sense (``--no-log`` → ``log``).
NEGATED_PARAMS = {"no_log": "log"}


class ConfigDefaults(Mapping[str, Any]):
    """``ctx.default_map`` for one command: the config file's values for its options.

    Keys are the command's subcommands (each with its own ConfigDefaults) and the
    options that have a setting of the same name; an option's value is read from the
    config file only when click asks for it, so commands without such options, and
    ``--help`` of the root, never parse YAML. Environment values are left to click
    (``envvar=``), which looks at them before the default map.
    """

    def __init__(self, command: Any, loader: _Loader | None = None) -> None:
        self._command = command
        self._loader = loader or _Loader()
        self._settings: dict[str, str] = {}  # parameter name -> option name
        for param in getattr(command, "params", ()):
            name = option_name(param)
            if param.name and name and NEGATED_PARAMS.get(name, name) in SETTINGS:
                self._settings[param.name] = name

    def _subcommand(self, name: str) -> Any:
        commands = getattr(self._command, "commands", None)
        return commands.get(name) if isinstance(commands, dict) else None

    def __getitem__(self, name: str) -> Any:
        sub = self._subcommand(name)
        if sub is not None:
            return ConfigDefaults(sub, self._loader)
        option = self._settings.get(name)
        if option is None:
            raise KeyError(name)
        setting_name = NEGATED_PARAMS.get(option, option)
        config = self._loader.get()
        if config.values.get(setting_name) is None:
            raise KeyError(name)  # unset: click falls through to the option's default
        value = config.values[setting_name]
        return (not value) if option in NEGATED_PARAMS else value

    def __contains__(self, name: object) -> bool:
        try:
            self[name]  # type: ignore[index]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        yield from getattr(self._command, "commands", {}) or {}
        yield from (name for name in self._settings if name in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Loader:
    """Loads the config file once per command-line invocation, on first use."""

    def __init__(self) -> None:
        self._config: ConfigFile | None = None

    def get(self) -> ConfigFile:
        if self._config is None:
            self._config = load_config()
        return self._config


def option_name(param: Any) -> str | None:
    """``lead_in`` for ``--lead-in``: an option's first long name, the key of its setting
    and of its ``POSE_COACH_<NAME>`` variable (``--json`` is ``json``, not ``as_json``)."""
    for opt in getattr(param, "opts", ()):
        if opt.startswith("--"):
            return opt[2:].replace("-", "_")
    return None


# Variables that already mean something else: an option of that name gets its command's.
RESERVED_ENV = {"POSE_COACH_HOME", "POSE_COACH_DRILLS", "POSE_COACH_DEBUG", "POSE_COACH_CONFIG"}


# Value options (not settings) that more than one command has. Commands are loaded one at
# a time, so the command being loaded cannot see the others: the list is kept here, and a
# test (tests/test_config.py) checks it against every command.
SHARED_OPTIONS = frozenset({"days", "format", "note", "output", "start", "weeks"})


def add_envvars(group: Any, path: tuple[str, ...] = ()) -> None:
    """Give every option of every command a ``POSE_COACH_<OPTION>`` variable.

    A value option that several commands have, other than a setting, means something
    different in each (``--format`` is fit/json/ics for ``export``, text/md/html/pdf for
    ``sheet``; ``--weeks``), so its variable names the command: ``POSE_COACH_SHEET_FORMAT``.
    One exported variable then cannot break another command. Settings (``--lead-in``)
    and flags (``--json``) mean the same everywhere and keep the short name. Options
    that already name a variable keep it; help and version are left alone. ``path``: the
    names of ``group`` itself (``("export",)``), which a command's variable starts with.
    """
    options = list(_options(group, path))
    users: dict[str, set[tuple[str, ...]]] = {}
    for path, _, name in options:
        users.setdefault(name, set()).add(path)
    for path, param, name in options:
        if param.envvar is None:
            variable = ENV_PREFIX + name.upper()
            shared = (
                (len(users[name]) > 1 or name in SHARED_OPTIONS)
                and name not in SETTINGS
                and not param.is_flag
            )
            if shared or variable in RESERVED_ENV:
                variable = ENV_PREFIX + "_".join(path + (name,)).upper().replace("-", "_")
            param.envvar = variable
        envvars = [param.envvar] if isinstance(param.envvar, str) else param.envvar
        if not any(e in (param.help or "") for e in envvars):
            param.help = with_envvar(param.help or "", envvars[0])


def with_envvar(help: str, variable: str) -> str:
    """``Print JSON for scripts [env: POSE_COACH_JSON].``: the variable written as every
    hand-written help writes it (not click's ``[env var: …]``), before the last full stop."""
    text = help.rstrip()
    if text.endswith("."):
        return f"{text[:-1]} [env: {variable}]."
    return f"{text} [env: {variable}]".lstrip()


def _options(command: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any, str]]:
    """(command path, option, option name) for every option below ``command``."""
    from click import Option

    for param in command.params:
        name = option_name(param)
        if isinstance(param, Option) and not param.is_eager and param.name and name:
            yield path, param, name
    for sub_name, sub in (getattr(command, "commands", None) or {}).items():
        yield from _options(sub, path + (sub_name,))
