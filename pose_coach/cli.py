"""The command line: parse, call one core function, render. Nothing else lives here.

Heavy modules (rich, yaml) are imported inside commands so ``--help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from . import __version__
from .errors import ExitCode, PoseCoachError
from .paths import ENV_DEBUG


class PoseCoachGroup(click.Group):
    """Turns every PoseCoachError into one stderr line plus its exit code, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PoseCoachError as error:
            report_error(error)
            ctx.exit(int(error.exit_code))
        except KeyboardInterrupt:
            click.echo("pose-coach: interrupted", err=True)
            ctx.exit(int(ExitCode.INTERRUPTED))
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            # a reader such as `head` went away: not an error worth a message
            _silence_stdout()
            ctx.exit(int(ExitCode.ERROR))
        except Exception as error:  # an unexpected bug: one line, traceback on request
            if os.environ.get(ENV_DEBUG):
                raise
            click.echo(f"pose-coach: internal error: {type(error).__name__}: {error}", err=True)
            click.echo(f"  set {ENV_DEBUG}=1 to see the traceback", err=True)
            ctx.exit(int(ExitCode.ERROR))


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def report_error(error: PoseCoachError) -> None:
    click.echo(f"pose-coach: error: {error.message}", err=True)
    problems = getattr(error, "problems", None)
    if problems and len(problems) > 1:
        for problem in problems[1:]:
            click.echo(f"pose-coach: error: {problem}", err=True)
    if error.hint:
        click.echo(f"  hint: {error.hint}", err=True)


@click.group(cls=PoseCoachGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="pose-coach")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """A running-form coach for the Pose Method, in the terminal.

    \b
    Pose running is three movements: the pose (on the ball of the foot, the
    other foot under the hip), the fall (lean from the ankles) and the pull
    (lift the support foot under the hip). pose-coach walks you through timed
    drills for each, out loud, and prints cue sheets and exports.

    \b
    Start here:
      pose-coach list              every drill and routine
      pose-coach show fall         one drill in full
      pose-coach drill fall        a coached session (space pauses, q quits)
    """
    from .config import ConfigDefaults

    # the config file feeds every option's default (command line > env > file > built-in)
    if ctx.default_map is None:
        ctx.default_map = ConfigDefaults(ctx.command)


def _register() -> None:
    from .commands import config as config_commands
    from .commands import export, library, log, new, session
    from .commands import sheet as sheet_commands

    for command in (
        export.export,
        library.list_command,
        library.show,
        library.validate,
        session.drill,
        session.routine,
        log.log_command,
        log.stats,
        new.new_group,
        config_commands.config_group,
        sheet_commands.sheet,
    ):
        cli.add_command(command)

    from .config import add_envvars

    add_envvars(cli)  # POSE_COACH_<OPTION> for every option, also of commands added above


_register()


def main() -> None:
    cli(prog_name="pose-coach")


if __name__ == "__main__":
    main()
