"""``pose-coach log``, ``log export``, ``log import`` and ``stats`` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timezone

import pytest
from log_helpers import make_record

from pose_coach.log.report import print_stats
from pose_coach.log.stats import compute_stats
from pose_coach.log.store import Part, log_db_path, open_log
from pose_coach.log.transfer import CSV_FIELDS


def _add(*records) -> None:
    with open_log() as log:
        log.add(records)


def _three() -> list:
    records = [
        make_record("2024-03-04T07:00:00+00:00", entry_id="pose", phase="pose"),
        make_record("2024-03-05T07:00:00+00:00", entry_id="fall", outcome="quit", seconds=90),
        make_record(
            "2024-03-06T07:00:00+00:00",
            entry_id="warmup",
            kind="routine",
            parts=(
                Part("pose", "Running pose", "pose", 100.0),
                Part("wall-pull", "Wall pull", "pull", 50.5),
            ),
        ),
    ]
    _add(*records)
    return records


# -- log -------------------------------------------------------------------------------


def test_empty_log(cli):
    result = cli("log")
    assert result.exit_code == 0
    assert result.stdout == "No sessions recorded yet. Play one: pose-coach drill pose\n"
    assert json.loads(cli("log", "--json").stdout) == []


def test_log_json_newest_first_with_every_field(cli):
    records = _three()
    result = cli("log", "--json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["session_id"] for r in rows] == [r.session_id for r in reversed(records)]
    assert rows[0] == records[2].to_dict()
    assert list(rows[0]) == [
        "session_id",
        "id",
        "kind",
        "title",
        "phases",
        "started_at",
        "planned_seconds",
        "actual_seconds",
        "steps_done",
        "steps_total",
        "sets_done",
        "sets_total",
        "outcome",
        "completed",
        "speed",
        "played_as",
        "app_version",
        "parts",
    ]


def test_log_filters(cli):
    _three()
    ids = lambda *args: [r["id"] for r in json.loads(cli("log", "--json", *args).stdout)]  # noqa: E731
    assert ids("--id", "fall") == ["fall"]
    assert ids("--limit", "2") == ["warmup", "fall"]
    assert ids("--limit", "0") == ["warmup", "fall", "pose"]
    assert ids("--since", "2024-03-05T12:00:00+00:00") == ["warmup"]
    assert ids("--since", "2024-03-07") == []
    assert cli("log", "--since", "2024-03-07").stdout == "No sessions match.\n"


def test_log_rejects_a_bad_date(cli):
    result = cli("log", "--since", "last tuesday")
    assert result.exit_code == 2
    assert "expected a date like 2024-05-06" in result.stderr


def test_log_table_in_a_pipe(cli, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    _three()
    result = cli("log")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "STARTED           ID      OUTCOME    PLAYED     STEPS  TITLE",
        "2024-03-06 07:00  warmup  completed  5:00/5:00  4/4    Warmup drill",
        "2024-03-05 07:00  fall    quit       1:30/1:30  2/4    Fall drill",
        "2024-03-04 07:00  pose    completed  5:00/5:00  4/4    Pose drill",
    ]


def test_control_characters_in_titles_are_not_printed(cli):
    _add(make_record(title="Evil \x1b]0;owned\x07 drill"))
    result = cli("log")
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "Evil ?]0;owned? drill" in result.stdout


# -- stats -----------------------------------------------------------------------------


def test_stats_json_fields(cli):
    _add(make_record(datetime.now(timezone.utc).isoformat(timespec="seconds"), seconds=120))
    result = cli("stats", "--json", "--weeks", "3")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == [
        "today",
        "phases",
        "weeks",
        "weeks_total",
        "totals",
        "counted",
        "not_counted",
        "streak",
        "top_drills",
        "message",
    ]
    assert data["phases"] == ["pose", "fall", "pull"]
    assert len(data["weeks"]) == 3
    assert list(data["weeks"][-1]) == [
        "week_start",
        "minutes",
        "total_minutes",
        "sessions",
        "completed",
        "stopped",
    ]
    assert data["weeks"][-1]["minutes"]["fall"] == 2.0
    assert data["totals"] == {"sessions": 1, "completed": 1, "stopped": 0, "minutes": 2.0}
    assert data["weeks_total"] == data["totals"]
    assert (data["counted"], data["not_counted"]) == (["live"], {})
    assert data["streak"] == {
        "current": 1,
        "longest": 1,
        "last_day": data["today"],
        "practised_today": True,
    }
    assert data["top_drills"] == [
        {"id": "fall", "title": "Fall drill", "sessions": 1, "minutes": 2.0}
    ]
    assert data["message"].startswith("Practised today")


def test_stats_plain_in_a_pipe(cli):
    result = cli("stats", "--weeks", "2")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "week",
        "pose",
        "fall",
        "pull",
        "total",
        "sessions",
        "completed",
        "stopped",
    ]
    # header, 2 weeks, these weeks + all time + streak, message
    assert len(lines) == 1 + 2 + 3 + 1
    assert lines[3:6] == [
        "these 2 weeks: 0 sessions (0 completed, 0 stopped), 0 min of drill time",
        "all time: 0 sessions, 0 min of drill time",
        "streak: none yet",
    ]
    assert lines[-1].startswith("No sessions recorded yet")


def _chart(records, now: str) -> str:
    _add(*records)
    with open_log() as log:
        stats = compute_stats(log, 2, now=datetime.fromisoformat(now), tz=timezone.utc)
    out = io.StringIO()
    print_stats(stats, terminal=True, stream=out)
    return out.getvalue()


def test_stats_chart_on_a_terminal_scales_bars_and_never_reads_markup():
    text = _chart(
        [
            make_record(
                "2024-02-27T07:00:00Z",
                entry_id="pose",
                phase="pose",
                seconds=600,
                title="[bold red]Pose[/] drill",
            ),
            make_record("2024-03-05T07:00:00Z", seconds=1200),
        ],
        "2024-03-06T12:00:00+00:00",
    )
    lines = text.splitlines()
    assert lines[0].startswith("Drill minutes per week, last 2 weeks")
    first, second = lines[1], lines[2]
    assert first.startswith("Feb 26") and second.startswith("Mar 04")
    assert second.count("▓") == 2 * first.count("█") > 0  # 20 fall minutes vs 10 pose minutes
    assert "[bold red]Pose[/] drill" in text
    assert "These 2 weeks: 2 sessions (2 completed, 0 stopped), 30 min of drill time" in text
    assert "All time: 2 sessions, 30 min of drill time" in text


# -- export and import --------------------------------------------------------------------


def test_export_json_and_import_round_trip_without_duplicates(cli, tmp_path, monkeypatch):
    records = _three()
    target = tmp_path / "practice.json"
    result = cli("log", "export", "--format", "json", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"pose-coach: wrote {target} (3 sessions, json)\n"
    data = json.loads(target.read_text())
    assert (data["format"], data["version"]) == ("pose-coach-log", 1)
    assert [s["session_id"] for s in data["sessions"]] == [r.session_id for r in records]

    monkeypatch.setenv("POSE_COACH_HOME", str(tmp_path / "other-machine"))
    _add(make_record("2024-03-07T07:00:00+00:00", entry_id="pull", phase="pull"))
    result = cli("log", "import", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "imported 3 sessions\n"
    result = cli("log", "import", str(target))
    assert result.stdout == "imported 0 sessions, skipped 3 already in the log\n"
    result = cli("log", "import", "--json", str(target))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"added": 0, "skipped": 3}
    rows = json.loads(cli("log", "--json").stdout)
    assert len(rows) == 4
    imported = {r["session_id"]: r for r in rows}
    for record in records:
        assert imported[record.session_id] == record.to_dict()


def test_export_csv_and_import_it_back(cli, tmp_path, monkeypatch):
    records = _three()
    target = tmp_path / "practice.csv"
    assert cli("log", "export", "-o", str(target)).exit_code == 0  # format from the suffix
    rows = list(csv.DictReader(target.open(newline="")))
    assert list(rows[0]) == list(CSV_FIELDS)
    assert rows[2]["phases"] == "pose;pull" and rows[2]["completed"] == "true"
    monkeypatch.setenv("POSE_COACH_HOME", str(tmp_path / "coach"))
    assert cli("log", "import", str(target)).stdout == "imported 3 sessions\n"
    back = {r["session_id"]: r for r in json.loads(cli("log", "--json").stdout)}
    assert [back[r.session_id] for r in records] == [r.to_dict() for r in records]


def test_export_to_stdout_and_import_from_stdin(cli, monkeypatch, tmp_path):
    _three()
    exported = cli("log", "export", "--format", "csv", "-o", "-")
    assert exported.exit_code == 0
    assert exported.stdout.splitlines()[0] == ",".join(CSV_FIELDS)
    monkeypatch.setenv("POSE_COACH_HOME", str(tmp_path / "elsewhere"))
    result = cli("log", "import", "-", input=exported.stdout)
    assert result.stdout == "imported 3 sessions\n"


def test_log_json_output_can_be_imported(cli, tmp_path, monkeypatch):
    _three()
    dump = tmp_path / "dump.json"
    dump.write_text(cli("log", "--json", "--limit", "0").stdout)
    monkeypatch.setenv("POSE_COACH_HOME", str(tmp_path / "new"))
    assert cli("log", "import", str(dump)).stdout == "imported 3 sessions\n"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"session_id": "not-hex"}, "sessions[1]: session_id: expected 32 hex digits"),
        ({"kind": "race"}, "sessions[1]: kind: expected drill or routine, got 'race'"),
        ({"started_at": "2024-03-05 07:00"}, "sessions[1]: started_at: expected an ISO 8601"),
        ({"started_at": "1969-12-31T23:00:00Z"}, "sessions[1]: started_at: '1969-12-31T23:00"),
        ({"speed": 0}, "sessions[1]: speed: expected a number > 0, got 0"),
        ({"actual_seconds": -5}, "sessions[1]: actual_seconds: expected a number ≥ 0"),
        ({"steps_done": 2.5}, "sessions[1]: steps_done: expected a whole number"),
        ({"outcome": "won"}, "sessions[1]: outcome: expected one of completed, quit"),
        ({"title": "a\x1b[31mred"}, "sessions[1]: title: too long or contains control"),
        ({"phases": ["Fall Phase"]}, "sessions[1]: phases: expected a list of phase names"),
        (
            {"parts": [{"phase": "fall", "seconds": "x"}]},
            "sessions[1]: parts[0]: seconds: expected a number, got 'x'",
        ),
    ],
)
def test_import_refuses_a_bad_row_and_adds_nothing(cli, tmp_path, change, message):
    good = [make_record().to_dict(), make_record("2024-03-05T07:00:00Z").to_dict()]
    good[1].update(change)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": "pose-coach-log", "version": 1, "sessions": good}))
    result = cli("log", "import", str(path))
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"pose-coach: error: {path}: {message}"), line
    assert line.endswith("; nothing was imported")
    assert not log_db_path().exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"sessions": []}', "not a pose-coach log export"),
        ("name,age\nNick,40\n", "not a pose-coach log export (neither JSON nor CSV"),
        ("session_id,id\n", "not a pose-coach CSV export (missing columns: kind"),
        ('{"format": "pose-coach-log", "version": 99, "sessions": []}', "newer"),
    ],
)
def test_import_refuses_files_that_are_not_exports(cli, tmp_path, text, message):
    path = tmp_path / "wrong.txt"
    path.write_text(text)
    result = cli("log", "import", str(path))
    assert result.exit_code == 1
    assert message in result.stderr


def test_import_of_a_missing_file_is_a_usage_error(cli):
    result = cli("log", "import", "no-such-file.json")
    assert result.exit_code == 2
    assert "'no-such-file.json' does not exist" in result.stderr


def test_export_into_a_missing_folder_fails_cleanly(cli, tmp_path):
    result = cli("log", "export", "-o", str(tmp_path / "no" / "such" / "x.json"))
    assert result.exit_code == 1
    assert "pose-coach: error: cannot write" in result.stderr


def test_old_exports_without_parts_are_imported_like_migrated_rows(cli, tmp_path):
    row = make_record(kind="routine", entry_id="warmup", seconds=120).to_dict()
    row.pop("parts")
    row["phases"] = ["pose", "fall"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps([row]))
    assert cli("log", "import", str(path)).exit_code == 0
    [back] = json.loads(cli("log", "--json").stdout)
    assert back["parts"] == [
        {"drill": None, "title": None, "phase": "pose", "seconds": 60.0},
        {"drill": None, "title": None, "phase": "fall", "seconds": 60.0},
    ]


@pytest.mark.parametrize("command", [("log",), ("log", "export"), ("log", "import"), ("stats",)])
def test_help(cli, command):
    result = cli(*command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout


def test_today_is_local(cli):
    data = json.loads(cli("stats", "--json").stdout)
    assert data["today"] == date.today().isoformat()


# -- the format of an import: from the name, else the content -----------------------------


def test_a_json_file_that_is_not_json_says_so_with_its_line(cli, tmp_path):
    garbage = tmp_path / "garbage.json"
    garbage.write_text("\n\nthis is not a log\n")
    result = cli("log", "import", str(garbage))
    assert result.exit_code == 1
    assert result.stderr == (
        f"pose-coach: error: {garbage}:3:1: not valid JSON (Expecting value); "
        "nothing was imported\n"
    )
    assert "CSV" not in result.stderr


def test_a_broken_json_export_names_the_line_of_the_problem(cli, tmp_path):
    broken = tmp_path / "export.json"
    broken.write_text('{"format": "pose-coach-log",\n "version": 1\n "sessions": []}\n')
    result = cli("log", "import", str(broken))
    assert result.stderr.startswith(f"pose-coach: error: {broken}:3:2: not valid JSON")


def test_a_csv_file_is_read_as_csv_whatever_it_starts_with(cli, tmp_path):
    odd = tmp_path / "practice.csv"
    odd.write_text("[1, 2]\n")
    result = cli("log", "import", str(odd))
    assert result.exit_code == 1
    assert "not a pose-coach log export (neither JSON nor CSV" in result.stderr


def test_without_a_telling_name_the_content_decides(cli, tmp_path):
    records = _three()
    exported = cli("log", "export", "--format", "json").stdout
    assert cli("log", "import", "-", input=exported).stdout == (
        "imported 0 sessions, skipped 3 already in the log\n"
    )
    assert len(records) == 3
    noname = tmp_path / "from-the-old-laptop"
    noname.write_text("hello\n")
    result = cli("log", "import", str(noname))
    assert result.stderr.startswith(f"pose-coach: error: {noname}: not a pose-coach log export")
