"""The command line: parse, call one core function, render. Nothing else lives here.

Heavy modules (rich, yaml) are imported inside commands, and each command module only
when that command runs or shows its help, so ``pose-coach --help`` stays fast
(benchmarks/startup.py).
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from pose_coach import __version__

# Every command: name → (module in pose_coach/commands/, attribute, the one-line summary
# `pose-coach --help` lists without importing the module; a test checks it matches the
# command's own). Add new commands here.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "cadence": (
        "cadence",
        "cadence_group",
        "Your own cadence (steps per minute): measure it with a 30-second count.",
    ),
    "checkin": (
        "today",
        "checkin",
        "Record how your calves and Achilles feel: soreness 0-10, or 'sharp'.",
    ),
    "config": ("config", "config_group", "The config file: defaults for every session option."),
    "docs": (
        "docs",
        "docs",
        "Read the documentation: a topic (log, plans, ...) or the list of them.",
    ),
    "doctor": (
        "audio",
        "doctor",
        "Check the speech engine, audio player, encoders and folders; say what to install.",
    ),
    "drill": ("session", "drill", "Play a drill as a coached, timed session."),
    "export": (
        "export",
        "export",
        "Export a drill or routine: FIT workout for a watch, calendar plan, or JSON.",
    ),
    "faults": (
        "library",
        "faults",
        "List the form faults and the drills that correct each, best first.",
    ),
    "figure": (
        "figure",
        "figure",
        "Draw one stick figure as SVG or PNG: a figure by name, or a drill's own.",
    ),
    "form": (
        "form",
        "form",
        "Form feedback from a side-view video of the runner: measures, faults, drills.",
    ),
    "list": ("library", "list_command", "List the drills and routines in the library."),
    "log": ("log", "log_command", "Show the practice log: every session played, newest first."),
    "new": ("new", "new_group", "Start a drill or routine of your own from a commented template."),
    "plan": (
        "plan",
        "plan_group",
        "Transition plans over weeks: start one, see where you are, stop it.",
    ),
    "render": (
        "audio",
        "render",
        "Render a drill or routine to one audio file, to play on a phone.",
    ),
    "routine": ("session", "routine", "Play a routine: several drills in a row, with rests."),
    "run": (
        "run",
        "run_command",
        "Feedback on a run from your watch's file: form proxies, drills, a report.",
    ),
    "sheet": (
        "sheet",
        "sheet",
        "Print a cue sheet: order, doses, steps, checkpoints, faults, safety, diagrams.",
    ),
    "show": (
        "library",
        "show",
        "Show a drill or routine in full: steps, checkpoints, faults, safety, dose.",
    ),
    "stats": (
        "log",
        "stats",
        "Minutes per phase per week, streaks and favourite drills, from the practice log.",
    ),
    "today": ("today", "today", "What to do today in your plan, in one screen; --play plays it."),
    "validate": ("library", "validate", "Check drill and routine files (or folders of them)."),
}


class LazyCommands(dict):
    """``Group.commands`` that imports a command's module the first time it is looked up.

    Looking up one name loads that command only; iterating (as tests, completion and
    config do) loads them all, so the group behaves like a plain click group.
    """

    def __init__(self, table: dict[str, tuple[str, str, str]]) -> None:
        super().__init__()
        self.table = table

    def loaded(self, name: str) -> bool:
        return dict.__contains__(self, name)

    def _load(self, name: object) -> None:
        if not isinstance(name, str) or name not in self.table or self.loaded(name):
            return
        import importlib

        from pose_coach.commands.option_defaults import add_envvars

        module, attribute, _ = self.table[name]
        command = getattr(importlib.import_module(f"pose_coach.commands.{module}"), attribute)
        add_envvars(command, (name,))  # POSE_COACH_<OPTION> for every option
        dict.__setitem__(self, name, command)

    def _load_all(self) -> None:
        for name in self.table:
            self._load(name)

    def __getitem__(self, name: str) -> Any:
        self._load(name)
        return dict.__getitem__(self, name)

    def get(self, name: str, default: Any = None) -> Any:
        self._load(name)
        return dict.get(self, name, default)

    def __contains__(self, name: object) -> bool:
        return name in self.table or dict.__contains__(self, name)

    def __iter__(self):
        self._load_all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._load_all()
        return dict.__len__(self)

    def keys(self):
        self._load_all()
        return dict.keys(self)

    def values(self):
        self._load_all()
        return dict.values(self)

    def items(self):
        self._load_all()
        return dict.items(self)


class PoseCoachGroup(click.Group):
    """Turns every PoseCoachError into one stderr line plus its exit code, in one place;
    loads each command's module only when needed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lazy = LazyCommands(COMMANDS)
        for name, command in self.commands.items():
            dict.__setitem__(lazy, name, command)
        self.commands = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        loaded = dict.keys(self.commands) if isinstance(self.commands, dict) else ()
        return sorted({*COMMANDS, *loaded})

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``--help``, from the table: no command module is imported."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if isinstance(self.commands, LazyCommands) and not self.commands.loaded(name):
                # shortened exactly as click shortens a loaded command's help
                summary = click.Command(name, help=COMMANDS[name][2])
                rows.append((name, summary.get_short_help_str(limit)))
            elif not self.commands[name].hidden:
                rows.append((name, self.commands[name].get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """click's own errors (a missing argument, a bad value) in our one style:
        ``pose-coach: error: …`` and a hint line, exit 2, never click's ``Error:`` block."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as error:
            from pose_coach.commands.usage import click_error

            message, hint = click_error(error)
            _say(f"pose-coach: error: {message}")
            if hint:
                _say(f"  hint: {hint}")
            sys.exit(error.exit_code)
        except click.exceptions.Abort:  # Ctrl-C at a prompt, or end of input there
            _say("pose-coach: error: aborted")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        from pose_coach.errors import ExitCode, PoseCoachError
        from pose_coach.paths import ENV_DEBUG
        from pose_coach.signals import stop_on_signals

        try:
            # every catchable termination signal unwinds like Ctrl-C: files and folders
            # being written are removed, children stopped, the terminal restored
            with stop_on_signals():
                code = super().invoke(ctx)
            # a command returns its exit code (None: success) instead of exiting itself
            if isinstance(code, int) and code != ExitCode.OK:
                ctx.exit(int(code))
            return code
        except PoseCoachError as error:
            report_error(error)
            ctx.exit(int(error.exit_code))
        except KeyboardInterrupt as stop:
            name = getattr(stop, "name", "SIGINT")
            _say("pose-coach: interrupted" + ("" if name == "SIGINT" else f" ({name})"))
            ctx.exit(int(getattr(stop, "exit_code", ExitCode.INTERRUPTED)))
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            # a reader such as `head` went away: not an error worth a message, and the
            # same exit status from every command (docs/scripting.md)
            _silence_stdout()
            ctx.exit(int(ExitCode.ERROR))
        except Exception as error:  # an unexpected bug: one line, traceback on request
            if os.environ.get(ENV_DEBUG):
                raise
            _say(f"pose-coach: internal error: {type(error).__name__}: {error}")
            _say(f"  set {ENV_DEBUG}=1 to see the traceback")
            ctx.exit(int(ExitCode.ERROR))


def _say(line: str) -> None:
    """One line on stderr, escaped; a closed terminal or pipe there is not a new error."""
    from pose_coach.errors import printable

    try:
        click.echo(printable(line), err=True)
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def report_error(error: Any) -> None:
    """One ``pose-coach: error:`` line per problem of a PoseCoachError, each once, then
    its hint. An error with several problems prints them all, not its one-line summary
    (``… (and 2 more)``, for warnings and logs), which would repeat the first."""
    problems = getattr(error, "problems", None)
    if problems and len(problems) > 1:
        for problem in problems:
            _say(f"pose-coach: error: {problem}")
    else:
        _say(f"pose-coach: error: {error.message}")
    if error.hint:
        _say(f"  hint: {error.hint}")


@click.group(cls=PoseCoachGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="pose-coach")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """A running-form coach for the Pose Method, in the terminal.

    \b
    Pose running is three movements: the pose (on the ball of the foot, the
    other foot under the hip), the fall (lean from the ankles) and the pull
    (pull the support foot up under the hip). pose-coach walks you through timed
    drills for each, out loud, and prints cue sheets and exports.

    \b
    Start here:
      pose-coach list              every drill and routine
      pose-coach show fall         one drill in full
      pose-coach drill fall        a coached session (space pauses, q quits)
    """
    from pose_coach.commands.option_defaults import ConfigDefaults
    from pose_coach.terminal import Terminal

    # the terminal is read once, here; tests pass their own (``obj=Terminal(...)``)
    if ctx.obj is None:
        ctx.obj = Terminal.detect()
    # the config file feeds every option's default (command line > env > file > built-in)
    if ctx.default_map is None:
        # a read-only Mapping: click only ever reads its default map
        ctx.default_map = ConfigDefaults(ctx.command)  # type: ignore[assignment]


def main() -> None:
    code: Any = 0
    try:
        cli(prog_name="pose-coach")
    except SystemExit as done:
        code = done.code
    # what is still buffered goes out now, so that a reader that went away (`| head`)
    # means the same exit status as everywhere else, not Python's 120 at shutdown
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        code = code or 1
    except (OSError, ValueError):
        _silence_stdout()
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        _silence_stderr()
    sys.exit(code)


def _silence_stderr() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stderr.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    main()
