"""The one error edge (cli.py): every way a command can end becomes one message and a code."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from pose_coach.cli import PoseCoachGroup
from pose_coach.errors import ExitCode, OutputError, UsageError


def _group(action) -> PoseCoachGroup:
    """A root group like pose-coach's with one command, ``t``, that does ``action``."""
    group = PoseCoachGroup("pose-coach")

    @group.command("t")
    def t() -> object:
        return action()

    return group


def run(action, env: dict | None = None):
    return CliRunner().invoke(_group(action), ["t"], env=env, catch_exceptions=False)


def test_success_is_exit_0_and_silent():
    result = run(lambda: None)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize("code", [ExitCode.OK, ExitCode.ERROR, ExitCode.INTERRUPTED])
def test_a_returned_exit_code_is_the_exit_status(code):
    result = run(lambda: code)
    assert result.exit_code == int(code)
    assert result.stderr == ""


def test_bad_input_is_one_error_line_with_its_hint_and_exit_1():
    def fail():
        raise OutputError("cannot write x.pdf: no space left on the device", hint="free some space")

    result = run(fail)
    assert result.exit_code == 1
    assert result.stderr == (
        "pose-coach: error: cannot write x.pdf: no space left on the device\n"
        "  hint: free some space\n"
    )


def test_usage_error_is_exit_2():
    def fail():
        raise UsageError("say which format to export")

    result = run(fail)
    assert result.exit_code == 2
    assert result.stderr == "pose-coach: error: say which format to export\n"


def test_click_usage_error_stays_exit_2():
    result = CliRunner().invoke(_group(lambda: None), ["t", "--nope"])
    assert result.exit_code == 2
    assert result.stderr == (
        "pose-coach: error: no such option '--nope'\n  hint: see pose-coach t --help\n"
    )


def test_internal_error_is_one_line_and_how_to_see_the_traceback():
    def fail():
        raise RuntimeError("boom")

    result = run(fail)
    assert result.exit_code == 1
    assert result.stderr == (
        "pose-coach: internal error: RuntimeError: boom\n"
        "  set POSE_COACH_DEBUG=1 to see the traceback\n"
    )


def test_internal_error_with_debug_raises_the_traceback():
    def fail():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        run(fail, env={"POSE_COACH_DEBUG": "1"})


def test_ctrl_c_is_exit_130():
    def fail():
        raise KeyboardInterrupt

    result = run(fail)
    assert result.exit_code == 130
    assert result.stderr == "pose-coach: interrupted\n"


def test_closed_pipe_is_exit_1_without_a_message():
    def fail():
        raise BrokenPipeError

    result = run(fail)
    assert result.exit_code == 1
    assert result.stderr == ""


def test_click_exit_and_abort_pass_through():
    assert run(lambda: click.get_current_context().exit(3)).exit_code == 3
    result = CliRunner().invoke(_group(lambda: (_ for _ in ()).throw(click.Abort())), ["t"])
    assert result.exit_code == 1
    assert result.stderr == "pose-coach: error: aborted\n"
