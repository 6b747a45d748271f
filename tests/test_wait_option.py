"""``--wait`` (setting ``wait``, POSE_COACH_WAIT): how open steps end, from every way of
saying it to the request that plays the session (drill, routine and today --play)."""

from __future__ import annotations

import pytest

from pose_coach import session as session_module

FAST = ("--plain", "--speed", "1000", "--lead-in", "0", "--no-log")


@pytest.fixture
def requests(monkeypatch):
    """The SessionRequests played, with the real play underneath."""
    seen = []
    real = session_module.play_session

    def recording(request, *args, **kwargs):
        seen.append(request)
        return real(request, *args, **kwargs)

    monkeypatch.setattr(session_module, "play_session", recording)
    return seen


@pytest.mark.parametrize(
    "args, env, config, wait",
    [
        ((), {}, "", False),
        (("--wait",), {}, "", True),
        ((), {"POSE_COACH_WAIT": "1"}, "", True),
        ((), {}, "wait: true\n", True),
        (("--no-wait",), {"POSE_COACH_WAIT": "yes"}, "wait: true\n", False),
        ((), {"POSE_COACH_WAIT": "0"}, "wait: true\n", False),
    ],
)
def test_every_way_of_saying_wait_reaches_the_session(
    cli, requests, isolated_home, monkeypatch, args, env, config, wait
):
    if config:
        from pose_coach.paths import config_file

        path = config_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(config)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = cli("drill", "fall", *FAST, *args)
    assert result.exit_code == 0, result.output
    assert [r.wait for r in requests] == [wait]


def test_a_bad_wait_variable_is_a_usage_error(cli, monkeypatch):
    monkeypatch.setenv("POSE_COACH_WAIT", "maybe")
    result = cli("drill", "fall", *FAST)
    assert result.exit_code == 2 and "POSE_COACH_WAIT" in result.stderr


def test_routine_and_today_take_wait_too(cli, requests, monkeypatch):
    assert cli("routine", "warmup", *FAST, "--wait").exit_code == 0
    from datetime import datetime, timezone

    from pose_coach.plan import schedule

    moment = datetime(2025, 3, 3, 7, 0, tzinfo=timezone.utc)
    monkeypatch.setattr(schedule, "current_time", lambda: moment)
    monkeypatch.setattr(schedule, "local_zone", lambda: timezone.utc)
    assert cli("plan", "start", "beginner-6-weeks").exit_code == 0
    result = cli("today", "--play", *FAST[:-1], "--wait", input="2\n\n")
    assert result.exit_code == 0, result.output
    assert [r.wait for r in requests] == [True, True]
