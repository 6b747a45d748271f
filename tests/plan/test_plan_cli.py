"""The plan commands end to end: plan start/show/status/stop, today (and --play), checkin."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from pose_coach.log import plans as records
from pose_coach.log.store import open_log
from pose_coach.terminal import Terminal

TTY = Terminal(stdout_tty=True, stderr_tty=True, stdin_keys=True, color=False)
PIPE_WITH_KEYS = Terminal(stdin_keys=True)  # stdin is a terminal, stdout a pipe


@pytest.fixture
def clock(monkeypatch):
    """Stand at a moment (UTC, the runner in UTC): ``clock("2025-03-03 07:00")``."""
    from pose_coach.plan import schedule

    def set_now(text: str) -> datetime:
        moment = datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
        monkeypatch.setattr(schedule, "current_time", lambda: moment)
        monkeypatch.setattr(schedule, "local_zone", lambda: timezone.utc)
        return moment

    set_now("2025-03-03 07:00")  # a Monday
    return set_now


def play(cli, *extra: str, terminal: Terminal | None = None, input: str | None = None):
    return cli(
        "today",
        "--play",
        "--plain",
        "--speed",
        "1000",
        "--lead-in",
        "0",
        *extra,
        terminal=terminal,
        input=input,
    )


def enrollment_records():
    with open_log() as log:
        enrollment = records.active_enrollment(log)
        assert enrollment is not None
        return records.plan_days(log, enrollment.id), records.checkins(log)


# -- plan ------------------------------------------------------------------------------


def test_plan_list_shows_the_builtin_plans(cli):
    result = cli("plan", "list")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "WEEKS", "A", "WEEK", "IN", "FORM", "TITLE"]
    assert lines[1].startswith("beginner-6-weeks  6      3       5-13 min")
    data = json.loads(cli("plan", "list", "--json").stdout)
    assert [p["id"] for p in data] == ["beginner-6-weeks", "drilled-4-weeks", "weekly-skill-day"]
    assert data[0]["form_minutes"] == [0, 5, 7, 9, 11, 13]


def test_plan_start_then_today_on_the_first_day(cli, clock):
    result = cli("plan", "start", "beginner-6-weeks")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Started Six-week transition for beginners (beginner-6-weeks): 6 weeks, 3 sessions a "
        "week on Mon, Wed, Sat.",
        "First session: today. See it with: pose-coach today",
    ]
    result = cli("today")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Mon 3 Mar: week 1, day 1 of Six-week transition for beginners"
    assert lines[1] == "Why       week 1, day 1; the plan starts"
    assert lines[2] == "Session   Warm-up, start to finish (7 min, routine warmup)"
    assert lines[3] == "          play it: pose-coach today --play"
    assert "Safety" not in result.stdout  # drills only: no running in the new form


def test_one_plan_at_a_time(cli, clock):
    assert cli("plan", "start", "beginner-6-weeks").exit_code == 0
    result = cli("plan", "start", "drilled-4-weeks")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "pose-coach: error: plan 'beginner-6-weeks' is active (week 1); one plan at a time",
        "  hint: stop it first: pose-coach plan stop",
    ]
    stopped = cli("plan", "stop")
    assert stopped.stdout == (
        "Stopped Six-week transition for beginners (beginner-6-weeks) after 0 sessions; its "
        "record stays in the practice log.\n"
    )
    assert cli("plan", "start", "drilled-4-weeks", "--days", "tue,thu").exit_code == 0
    status = json.loads(cli("plan", "status", "--json").stdout)
    assert status["plan"] == "drilled-4-weeks" and status["days"] == ["tue", "thu"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--days", "mon,tue,wed,thu"), "4 training days for a plan of 3 sessions a week"),
        (("--days", "mon,funday"), "'funday' is not a weekday"),
        (
            ("--start", "03/03/2025"),
            "expected a date between 1970-01-01 and 9990-12-31 (YYYY-MM-DD), got '03/03/2025'",
        ),
    ],
)
def test_plan_start_refuses_bad_days_and_dates(cli, clock, args, message):
    result = cli("plan", "start", "beginner-6-weeks", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_an_unknown_plan_is_a_usage_error_with_a_suggestion(cli, clock):
    result = cli("plan", "start", "beginer-6-weeks")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "pose-coach: error: no plan 'beginer-6-weeks'; did you mean 'beginner-6-weeks'?"
    )


def test_without_a_plan_today_says_how_to_start_one(cli, clock):
    result = cli("today")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "pose-coach: error: no plan is active",
        "  hint: start one: pose-coach plan start beginner-6-weeks (pose-coach plan list "
        "shows every plan)",
    ]
    assert json.loads(cli("plan", "status", "--json").stdout) == {"active": False, "plan": None}


def test_plan_show_is_a_table_of_the_weeks_with_where_you_are(cli, clock):
    cli("plan", "start", "beginner-6-weeks")
    result = cli("plan", "show")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("WEEK"))
    assert lines[header].split() == ["WEEK", "FOCUS", "IN", "FORM", "PIECES", "SESSIONS", "WHEN"]
    assert lines[header + 1].startswith("1     Drills only")
    assert lines[header + 1].endswith("◀ now: day 1 of 3")
    assert lines[header + 2].endswith("from Mon 10 Mar")
    assert any(line.startswith("Sources   [ta-physio]") for line in lines)
    data = json.loads(cli("plan", "show", "--json").stdout)
    assert [w["form_minutes"] for w in data["weeks"]] == [0, 5, 7, 9, 11, 13]
    assert data["status"]["week"] == 1
    other = cli("plan", "show", "drilled-4-weeks")
    assert "Start it: pose-coach plan start drilled-4-weeks" in other.stdout


# -- today --play and the check-in ------------------------------------------------------


def test_play_records_the_day_and_the_soreness_given(cli, clock):
    cli("plan", "start", "beginner-6-weeks")
    result = play(cli, "--soreness", "2", "--note", "all good")
    assert result.exit_code == 0, result.stderr
    assert "session_end" in result.stdout
    assert "pose-coach: checked in: 2/10" in result.stderr
    days, checkins = enrollment_records()
    assert [(d.week, d.day, d.status) for d in days] == [(1, 1, "done")]
    with open_log() as log:
        [session] = log.sessions()
    assert days[0].session_id == session.session_id  # the practice log's session
    assert [(c.soreness, c.note, c.week, c.day) for c in checkins] == [(2, "all good", 1, 1)]
    today = cli("today")
    assert today.stdout.splitlines()[:3] == [
        "Mon 3 Mar: today's session is done",
        "Why       week 1, day 2; last soreness 2/10, so the plan goes on",
        "Next      Wed 5 Mar — week 1, day 2: Pull focus (11 min)",
    ]
    again = play(cli)
    assert again.exit_code == 0
    assert "no session is due today; nothing to play" in again.stderr


def test_in_a_terminal_the_check_in_asks_one_question_and_a_note(cli, clock):
    cli("plan", "start", "beginner-6-weeks")
    result = play(cli, terminal=PIPE_WITH_KEYS, input="3\ncalves tight\n")
    assert result.exit_code == 0, result.stderr
    assert "Calf and Achilles soreness (0 none, 3 mild ache" in result.stderr
    assert "metronome" not in result.stderr  # no metronome on a drills-only day
    _, [checkin] = enrollment_records()
    assert (checkin.soreness, checkin.note) == (3, "calves tight")


def test_enter_alone_means_later(cli, clock):
    cli("plan", "start", "beginner-6-weeks")
    result = play(cli, terminal=PIPE_WITH_KEYS, input="\n")
    assert result.exit_code == 0
    assert "check in after it: pose-coach checkin N" in result.stderr
    assert enrollment_records()[1] == []


def test_a_wrong_answer_is_asked_again(cli, clock):
    cli("plan", "start", "beginner-6-weeks")
    result = play(cli, terminal=PIPE_WITH_KEYS, input="eleven\nsharp\n\n")
    assert "expected a number from 0 to 10, or 'sharp', got 'eleven'" in result.stderr
    _, [checkin] = enrollment_records()
    assert checkin.sharp_pain and checkin.soreness is None


def test_nothing_is_asked_without_a_terminal(cli, clock):
    cli("plan", "start", "beginner-6-weeks")
    result = play(cli, input="5\n")
    assert result.exit_code == 0
    assert "soreness (" not in result.stderr
    assert "check in after it: pose-coach checkin N" in result.stderr
    assert enrollment_records()[1] == []


def test_a_session_stopped_early_stays_due(cli, clock, monkeypatch):
    from pose_coach import session as session_module
    from pose_coach.play.scheduler import SessionResult

    cli("plan", "start", "beginner-6-weeks")
    real = session_module.run_session

    def quit_at_once(timeline, sinks, speed=1.0, *, keys=False, wait_open=False):
        result = real(timeline, sinks, speed, keys=keys, wait_open=wait_open)
        return SessionResult(**{**result.__dict__, "completed": False, "reason": "quit"})

    monkeypatch.setattr(session_module, "run_session", quit_at_once)
    result = play(cli)
    assert result.exit_code == 130
    assert "the session stopped early, so it is still due" in result.stderr
    assert enrollment_records()[0] == []


def test_mark_done_without_playing(cli, clock):
    cli("plan", "start", "beginner-6-weeks")
    result = cli("today", "--done", "--soreness", "1")
    assert result.exit_code == 0, result.stderr
    days, checkins = enrollment_records()
    assert [(d.status, d.session_id) for d in days] == [("done", None)]
    assert checkins[0].soreness == 1


# -- check-ins and decisions ------------------------------------------------------------


def test_checkin_on_a_rest_day_and_what_it_means(cli, clock):
    cli("plan", "start", "beginner-6-weeks")
    play(cli, "--soreness", "1")
    clock("2025-03-04 08:00")  # Tuesday: a rest day
    result = cli("checkin", "2", "--note", "a little stiff")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Checked in: 2/10 on Tue 4 Mar (week 1).",
        "Plan: week 1, day 2; last soreness 2/10, so the plan goes on.",
        "Next session: Wed 5 Mar — week 1, day 2: Pull focus (11 min)",
    ]
    today = cli("today")
    assert today.stdout.splitlines()[0] == "Tue 4 Mar: rest day"


def test_soreness_of_five_steps_back_and_says_why(cli, clock):
    cli("plan", "start", "beginner-6-weeks")
    play(cli, "--soreness", "2")
    result = cli("checkin", "6")
    assert "soreness 6/10 on Mon 3 Mar (5/10 or more), so week 1 starts again" in result.stdout
    data = json.loads(cli("plan", "status", "--json").stdout)
    assert data["decision"]["kind"] == "step_back" and (data["week"], data["day"]) == (1, 1)


def test_sharp_pain_stops_the_plan_and_play_refuses(cli, clock):
    cli("plan", "start", "beginner-6-weeks")
    result = cli("checkin", "sharp")
    assert result.exit_code == 0
    assert "see a clinician" in result.stdout
    today = cli("today")
    assert today.stdout.splitlines()[0] == "Mon 3 Mar: Six-week transition for beginners is stopped"
    refused = play(cli)
    assert refused.exit_code == 1
    assert refused.stderr.startswith("pose-coach: error: the plan is stopped: a sharp pain")
    assert "pose-coach plan stop, then pose-coach plan start beginner-6-weeks" in refused.stderr


def test_checkin_without_a_plan_is_kept(cli, clock):
    result = cli("checkin", "3", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["checkin"]["soreness"] == 3 and data["checkin"]["plan"] is None


def test_checkin_refuses_a_bad_soreness(cli, clock):
    result = cli("checkin", "12")
    assert result.exit_code == 2
    assert "expected a number from 0 to 10, or 'sharp', got '12'" in result.stderr


def test_a_missed_day_is_noticed_and_can_be_skipped(cli, clock):
    cli("plan", "start", "beginner-6-weeks")
    play(cli, "--soreness", "1")
    clock("2025-03-06 07:00")  # Thursday: Wednesday went by
    today = cli("today")
    assert "Missed    You missed Wednesday: do it today or skip it?" in today.stdout
    assert "skip it: pose-coach today --skip" in today.stdout
    data = json.loads(cli("today", "--json").stdout)
    assert data["today"] == "missed" and data["missed"] == ["2025-03-05"]
    skipped = cli("today", "--skip")
    assert skipped.exit_code == 0, skipped.stderr
    assert "pose-coach: skipped Wednesday" in skipped.stderr
    assert skipped.stdout.splitlines()[0] == "Thu 6 Mar: rest day"
    assert "week 1, day 3" in skipped.stdout


def test_skip_on_a_rest_day_is_refused(cli, clock):
    cli("plan", "start", "beginner-6-weeks", "--start", "2025-03-04")
    clock("2025-03-04 07:00")
    result = cli("today", "--skip")
    assert result.exit_code == 2
    assert "nothing to skip today: no session is due (the next is on Wed 5 Mar)" in result.stderr


def _week(cli, clock, days: list[str], soreness: str = "1", **kw):
    for day in days:
        clock(f"{day} 07:00")
        result = play(cli, "--soreness", soreness, *kw.get("extra", ()))
        assert result.exit_code == 0, result.stderr


def test_run_days_show_the_run_the_metronome_and_the_safety_text(cli, clock):
    cli("cadence", "test", "--count", "41")  # 164 steps per minute
    cli("plan", "start", "beginner-6-weeks")
    _week(cli, clock, ["2025-03-03", "2025-03-05", "2025-03-08"])
    _week(cli, clock, ["2025-03-10", "2025-03-12", "2025-03-15"])
    clock("2025-03-17 07:00")
    result = cli("today")
    lines = result.stdout.splitlines()
    assert lines[1] == (
        "Why       week 3, day 1; week 2 done with soreness at most 1/10, so the plan moves on "
        "to week 3"
    )
    assert (
        "Run       30 min easy, of which 7 min in the Pose form, in pieces of at most "
        "400 m" in lines
    )
    assert "          metronome for the pieces in form: 172 steps/min (your own 164 + 5 %)" in lines
    assert any(line.startswith("Safety    Calf and Achilles take more load") for line in lines)
    assert any("see a clinician" in line for line in lines)
    # the check-in in a terminal now asks about the metronome too
    played = play(cli, terminal=PIPE_WITH_KEYS, input="1\ny\n\n")
    assert "Back from your run? Calf and Achilles soreness" in played.stderr
    assert "Did the metronome at 172 steps/min feel easy?" in played.stderr
    assert "pose-coach: now the run: 30 min easy, of which 7 min" in played.stderr
    assert "pose-coach: safety: Let the heel touch after you land" in played.stderr
    _, checkins = enrollment_records()
    assert (checkins[-1].cadence_spm, checkins[-1].cadence_easy) == (172, True)


def test_the_readme_flow_start_see_play_check_in_and_tomorrow(cli, clock):
    """A new user: start the beginner plan, see today, play it, check in, and the next
    training day brings the next session."""
    assert cli("plan", "start", "beginner-6-weeks").exit_code == 0
    assert "week 1, day 1" in cli("today").stdout
    played = play(cli, terminal=PIPE_WITH_KEYS, input="2\n\n")
    assert played.exit_code == 0, played.stderr
    assert "pose-coach: checked in: 2/10" in played.stderr
    clock("2025-03-04 07:00")
    tuesday = cli("today").stdout.splitlines()
    assert tuesday[0] == "Tue 4 Mar: rest day"
    assert tuesday[2] == "Next      Wed 5 Mar — week 1, day 2: Pull focus (11 min)"
    clock("2025-03-05 07:00")
    wednesday = cli("today").stdout.splitlines()
    assert wednesday[0] == "Wed 5 Mar: week 1, day 2 of Six-week transition for beginners"
    assert wednesday[1] == "Why       week 1, day 2; last soreness 2/10, so the plan goes on"
    assert wednesday[2] == "Session   Pull focus (11 min, routine pull-focus)"


def test_today_json_fields(cli, clock):
    cli("plan", "start", "beginner-6-weeks")
    data = json.loads(cli("today", "--json").stdout)
    assert list(data) == [
        "date",
        "plan",
        "title",
        "today",
        "week",
        "day",
        "weeks",
        "week_complete",
        "session",
        "due_today",
        "next_date",
        "missed",
        "why",
        "decision",
        "last_checkin",
        "safety",
    ]
    assert data["session"]["id"] == "warmup" and data["session"]["run"] is None
    assert data["decision"] == {
        "kind": "start",
        "reason": "the plan starts",
        "date": "2025-03-03",
        "week": 1,
    }


def test_plan_status_plain(cli, clock):
    cli("plan", "start", "beginner-6-weeks")
    play(cli, "--soreness", "2", "--note", "ok")
    result = cli("plan", "status")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Six-week transition for beginners (beginner-6-weeks)"
    assert "Now       week 1 of 6, day 2 of 3" in lines
    assert 'Soreness  2/10 on Mon 3 Mar ("ok")' in lines
    assert "Sessions  1 done, 0 skipped" in lines


def test_text_from_a_user_plan_is_never_a_control_sequence(cli, clock, isolated_home):
    folder = isolated_home / "data" / "drills" / "plans"
    folder.mkdir(parents=True)
    plan = (isolated_home.parent / "x").parent  # any folder: just need the text below
    del plan
    text = (
        "title: Evil [bold]plan[/bold]\nsummary: s\nsources: {a: b}\n"
        "rules:\n  progress: {soreness_at_most: 3, source: a}\n"
        "  step_back: {soreness_at_least: 5, missed_days: 14, source: a}\n"
        "weeks:\n  - title: W [red]1[/red]\n    sessions:\n      - routine: warmup\n"
    )
    (folder / "evil.yaml").write_text(text)
    cli("plan", "start", "evil")
    result = cli("plan", "show", terminal=TTY)
    assert "[bold]plan[/bold]" in result.stdout and "\x1b" not in result.stdout


# -- plan validate ----------------------------------------------------------------------


def test_plan_validate_reports_each_file_like_a_compiler(cli, tmp_path):
    from plan_helpers import PLANS

    good = (PLANS / "weekly-skill-day.yaml").read_text()
    (tmp_path / "weekly-skill-day.yaml").write_text(good)
    (tmp_path / "steep.yaml").write_text(
        good.replace("id: weekly-skill-day\n", "").replace(
            "      - routine: skill-day\n",
            "      - routine: skill-day\n        run: "
            "{minutes: 30, form_minutes: 20, piece_max_m: 400, source: ta-physio}\n",
        )
    )
    result = cli("plan", "validate", str(tmp_path))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"FAIL  {tmp_path / 'steep.yaml'} (2 problems)",
        f"OK    {tmp_path / 'weekly-skill-day.yaml'} (plan weekly-skill-day, 6 weeks)",
    ]
    assert "running in the new form in week 1; drills come first" in result.stderr
    assert "20 min in the new form in week 2; after 20 min the week before" not in result.stderr
    data = json.loads(cli("plan", "validate", "--json", str(tmp_path)).stdout)
    assert [(r["ok"], r["id"]) for r in data] == [(False, None), (True, "weekly-skill-day")]
    assert data[0]["errors"][0]["field"] == "weeks[0].sessions[0].run.form_minutes"


def test_plan_validate_the_builtin_plans(cli):
    from plan_helpers import PLANS

    result = cli("plan", "validate", str(PLANS))
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3 and result.stderr == ""


def test_soreness_above_the_threshold_says_the_week_will_be_done_again(cli, clock):
    cli("plan", "start", "beginner-6-weeks")
    play(cli, "--soreness", "4")
    result = cli("today")
    assert result.stdout.splitlines()[1] == (
        "Why       week 1, day 2; last soreness 4/10, so the plan goes on; soreness reached "
        "4/10 this week (above 3/10), so week 1 will be done again before the plan moves on"
    )
