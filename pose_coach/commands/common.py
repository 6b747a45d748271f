"""Pieces shared by the commands: library loading with warnings, id completion, options."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import click

from pose_coach.numbers import NumberRange
from pose_coach.paths import ENV_NO_LOG, ENV_PREFIX
from pose_coach.terminal import Terminal


def warn(message: str) -> None:
    say(f"pose-coach: warning: {message}")


def say(line: str) -> None:
    """One diagnostic line on stderr, escaped (``errors.printable``): outside text in it
    (a path, a program's last words) never reaches the terminal as a control sequence.
    A closed terminal or pipe on stderr is not a new error."""
    from pose_coach.errors import printable

    try:
        click.echo(printable(line), err=True)
    except (OSError, ValueError):
        pass


def current_terminal() -> Terminal:
    """The terminal this command runs in, read once by the root group (``cli.py``)."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    return obj if isinstance(obj, Terminal) else Terminal.detect()


def output_option(help: str, **kwargs: Any) -> Callable:
    """``-o/--output FILE``: every command that writes a file (see output_target.py)."""
    return click.option("-o", "--output", metavar="FILE", help=help, **kwargs)


def load_library(needed: str | Iterable[str] | None = None):
    """The catalog, warning once on stderr about files that had to be set aside.

    ``needed``: the id (or ids) the command is about; if its file is broken, the command's error
    says so, so it is not warned about as well.
    """
    from pose_coach.library.catalog import load_catalog

    catalog = load_catalog()
    for line in catalog.warnings(needed):
        warn(line)
    return catalog


def complete_ids(kind: str | None):
    """Shell completion of drill/routine ids, user files included, for any ID argument.

    ``kind``: 'drill', 'routine' or None for both. Never raises: with a broken library
    or home folder it completes nothing rather than print a traceback into the shell.
    For an argument taking several ids (``sheet ID...``), ids already typed are skipped.
    """

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str):
        from click.shell_completion import CompletionItem

        try:
            given = ctx.params.get(param.name) if param.name else None
            typed = set(given) if isinstance(given, (tuple, list)) else set()
            return [
                CompletionItem(entry_id, help=title)
                for entry_id, title in completion_ids(kind)
                if entry_id.startswith(incomplete) and entry_id not in typed
            ]
        except Exception:  # completion must never print a traceback into the shell
            return []

    return complete


class Number(click.ParamType):
    """The one number type of every option: finite, in a stated range (``numbers.py``).

    Settings (``--speed``, ``--lead-in``, ...) take their range from ``config.SETTINGS``,
    so an option, its ``POSE_COACH_*`` variable and the config file refuse the same values
    with the same words. ``nan`` and ``inf`` are refused, never compared.
    """

    def __init__(self, spec: NumberRange, metavar: str = "N") -> None:
        self.spec = spec
        self.metavar = metavar
        self.name = "integer" if spec.kind == "int" else "number"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return self.metavar

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None):
        try:
            return self.spec.parse(value, strict=isinstance(value, str))
        except ValueError as problem:
            self.fail(str(problem), param, ctx)


class NumberOption(click.Option):
    """An option of a :class:`Number` type; its help says the range (``[0 to 60]``)."""

    def get_help_extra(self, ctx: click.Context) -> Any:
        extra = super().get_help_extra(ctx)
        if isinstance(self.type, Number):
            extra["range"] = self.type.spec.describe()
        return extra


def number_option(*names: str, spec: NumberRange, metavar: str = "N", **kwargs: Any) -> Callable:
    """``click.option`` for a number: the one type, its range in the help."""
    return click.option(*names, cls=NumberOption, type=Number(spec, metavar), **kwargs)


def setting_number(name: str) -> NumberRange:
    """The range of a number setting (config.SETTINGS), shared with its option."""
    from pose_coach.config import SETTINGS

    return SETTINGS[name].range


def completion_ids(kind: str | None) -> list[tuple[str, str]]:
    """(id, title) of every drill and/or routine, sorted, for Tab completion.

    From the library's indexes in the cache dir when no folder changed since they were
    written (no drill file is read: 10,000 user drills complete at once); else the whole
    library is loaded, which writes them anew for the next Tab.
    """
    from pose_coach.library.index import quick_ids
    from pose_coach.paths import library_dirs

    quick = quick_ids(library_dirs())
    if quick is not None:
        return sorted(
            (entry_id, title)
            for entry_id, (entry_kind, title) in quick.items()
            if kind is None or entry_kind == kind
        )
    from pose_coach.library.catalog import load_catalog

    catalog = load_catalog()
    return [(entry_id, catalog.entries[entry_id].title) for entry_id in catalog.ids(kind)]


def env(name: str) -> str:
    """POSE_COACH_<NAME>: every option's environment variable."""
    return ENV_PREFIX + name.upper().replace("-", "_")


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(f)


class LogOption(click.Option):
    """``--log/--no-log``, for which ``POSE_COACH_NO_LOG=1`` is one more way to say no.

    It counts as an environment value: the command line still wins over it, and it wins
    over the config file.
    """

    def resolve_envvar_value(self, ctx: click.Context) -> str | None:
        value = super().resolve_envvar_value(ctx)
        if value is None and os.environ.get(ENV_NO_LOG, "").strip() not in ("", "0"):
            return "false"
        return value


def session_options(f):
    """Options shared by every command that plays a session."""
    options = dose_options() + [
        number_option(
            "--speed",
            spec=setting_number("speed"),
            metavar="FACTOR",
            default=1.0,
            show_default=True,
            envvar=env("speed"),
            help=f"Play faster to try things out, e.g. 10 [env: {env('speed')}].",
        ),
        click.option(
            "--plain",
            is_flag=True,
            help="One plain line per event (the default when stdout is not a terminal).",
        ),
        click.option(
            "--json",
            "as_json",
            is_flag=True,
            help="JSON Lines, one event per line (schema: `pose-coach docs events`).",
        ),
        click.option(
            "--dry-run", is_flag=True, help="Print the whole timeline at once, without waiting."
        ),
        click.option(
            "--wait/--no-wait",
            default=False,
            envvar=env("wait"),
            help="Open-ended steps (run-outs) wait for Enter; by default they last their "
            f"seconds, counted down aloud, and the session goes on [env: {env('wait')}].",
        ),
        click.option(
            "--title/--no-title",
            default=True,
            envvar=env("title"),
            help="Show the time left in the terminal title (live view).",
        ),
        click.option(
            "--log/--no-log",
            cls=LogOption,
            default=True,
            envvar=env("log"),
            help=f"Record the session in the practice log (`pose-coach docs log`) "
            f"[env: {env('log')}=false or {ENV_NO_LOG}=1].",
        ),
    ]
    options += sound_options(live=True)  # docs/audio.md
    return apply_options(options)(f)


def apply_options(options: list) -> Callable:
    """One decorator from a list of click options, applied in the order listed."""

    def decorate(f: Callable) -> Callable:
        for option in reversed(options):
            f = option(f)
        return f

    return decorate


def dose_options(lead_in_help: str = "Get-ready countdown in seconds") -> list:
    """--lead-in, --sets and --rest: how a drill is dosed, for every command that compiles
    a timeline. ``lead_in_help`` lets a command say what the lead-in means for it."""
    return [
        number_option(
            "--lead-in",
            spec=setting_number("lead_in"),
            metavar="SECONDS",
            default=3.0,
            show_default=True,
            envvar=env("lead_in"),
            help=f"{lead_in_help} [env: {env('lead_in')}].",
        ),
        number_option(
            "--sets",
            spec=setting_number("sets"),
            envvar=env("sets"),
            help=f"Sets of each drill (default: the drill's dose) [env: {env('sets')}].",
        ),
        number_option(
            "--rest",
            spec=setting_number("rest"),
            metavar="SECONDS",
            envvar=env("rest"),
            help=f"Rest seconds between sets (default: the drill's dose) [env: {env('rest')}].",
        ),
        runner_cadence_option(),
    ]


def runner_cadence_option():
    """--runner-cadence: the runner's own cadence, which steps written ``+5%`` count from."""
    return number_option(
        "--runner-cadence",
        spec=setting_number("runner_cadence"),
        metavar="SPM",
        envvar=env("runner_cadence"),
        help="Your own running cadence in steps per minute; steps with a cadence such as "
        "+5% count from it (default: the runner_cadence setting, else 180) "
        f"[env: {env('runner_cadence')}].",
    )


def resolve_runner_cadence(value: int | None, *, tolerant: bool = False):
    """The runner's cadence and where it came from (cadence.runner_cadence): a value typed
    on the command line wins; otherwise the setting is read as the setting, so ``show``
    and the sheet can say whether it came from the config file, the environment or the
    default."""
    from pose_coach.cadence import runner_cadence

    ctx = click.get_current_context(silent=True)
    typed = (
        ctx is not None
        and ctx.get_parameter_source("runner_cadence") is click.core.ParameterSource.COMMANDLINE
    )
    return runner_cadence(value if typed else None, tolerant=tolerant)


def timeline_dose(sets: int | None, rest: float | None, lead_in: float, runner_cadence: int | None):
    """The Dose a command compiles its timeline with, its runner's cadence resolved."""
    from pose_coach.timeline import Dose

    spm = resolve_runner_cadence(runner_cadence).spm
    return Dose(sets=sets, rest=rest, lead_in=lead_in, runner_cadence=spm)


def sound_options(live: bool = True) -> list:
    """Speech, beeps and metronome options (docs/audio.md); ``live`` adds --sound."""
    options = [
        click.option(
            "--voice/--no-voice",
            default=None,
            envvar=env("voice"),
            help="Speak the cues (default: on with sound, where a speech engine is found) "
            f"[env: {env('voice')}].",
        ),
        click.option(
            "--voice-name",
            metavar="NAME",
            envvar=env("voice_name"),
            help=f"Speech voice, e.g. en-us (default: the engine's) [env: {env('voice_name')}].",
        ),
        number_option(
            "--rate",
            spec=setting_number("rate"),
            metavar="WPM",
            envvar=env("rate"),
            help=f"Speech rate in words per minute [env: {env('rate')}].",
        ),
        number_option(
            "--cadence",
            spec=setting_number("cadence"),
            metavar="SPM",
            envvar=env("cadence"),
            help="Metronome at SPM steps per minute during every step (default: steps "
            f"with their own cadence) [env: {env('cadence')}].",
        ),
    ]
    if live:
        options.append(
            click.option(
                "--sound/--no-sound",
                default=None,  # not given: plays by default only in the live view
                envvar=env("sound"),
                help="All audio on or off (default: on in the live view, up to --speed 2) "
                f"[env: {env('sound')}].",
            )
        )
    return options


FIRST_START = date(1970, 1, 1)
LAST_START = date(9990, 12, 31)  # a plan of 104 weeks still ends before the calendar does


def parse_start_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """``--start``: a date in the range a plan or calendar can hold, else a usage error."""
    if value is None:
        return None
    expected = f"a date between {FIRST_START} and {LAST_START} (YYYY-MM-DD)"
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"expected {expected}, got {value!r}") from None
    if not FIRST_START <= day <= LAST_START:
        raise click.BadParameter(f"expected {expected}, got {value!r}")
    return day
