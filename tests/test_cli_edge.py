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


def test_a_file_with_several_errors_prints_each_once():
    from pose_coach.errors import DrillFileError, Problem

    problems = [
        Problem("bad.yaml", 4, 7, "sets", "expected sets between 1 and 20, got 0"),
        Problem("bad.yaml", 8, 14, "steps[0].seconds", "expected seconds between 1 and 3600"),
        Problem("bad.yaml", 9, 3, "steps[1].cue", "expected text, got a number (3)"),
    ]

    def fail():
        raise DrillFileError(problems, hint="run `pose-coach validate bad.yaml`")

    result = run(fail)
    assert result.exit_code == 1
    assert result.stderr == (
        "pose-coach: error: bad.yaml:4:7: sets: expected sets between 1 and 20, got 0\n"
        "pose-coach: error: bad.yaml:8:14: steps[0].seconds: expected seconds between 1 and 3600\n"
        "pose-coach: error: bad.yaml:9:3: steps[1].cue: expected text, got a number (3)\n"
        "  hint: run `pose-coach validate bad.yaml`\n"
    )
    assert "more)" not in result.stderr


def test_the_real_config_file_with_several_errors_prints_each_once(cli):
    from pose_coach.paths import config_file

    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("speed: 0\nlead_in: -1\n")
    result = cli("drill", "fall", "--dry-run")
    lines = result.stderr.splitlines()
    assert lines[0].startswith("pose-coach: error: ") and ":1:8: speed: expected" in lines[0]
    assert lines[1].startswith("pose-coach: error: ") and ":2:10: lead_in: expected" in lines[1]
    assert len(lines) == 3 and lines[2].startswith("  hint: ")
    assert "more)" not in result.stderr
