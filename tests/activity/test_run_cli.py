"""`pose-coach run FILE` as a runner uses it: table, JSON, HTML, the log, the feedback."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import timedelta

import pytest
from activity_files import START, Stretch, easy, gpx_text, standard_run, warm_up, write_fit

from pose_coach.library.catalog import load_catalog
from pose_coach.library.faults import drills_for_fault
from pose_coach.library.model import Phase
from pose_coach.log.store import log_db_path


def _rows():
    with sqlite3.connect(log_db_path()) as conn:
        return conn.execute("SELECT started_at, device, file_name FROM runs").fetchall()


def test_the_table_in_a_pipe(cli, fit_files):
    result = cli("run", str(fit_files["standard"]))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Run 2024-05-06 06:00 UTC · garmin fenix5 · 7.31 km in 39:56 moving"
    assert lines[3].split() == [
        "km",
        "pace",
        "cadence",
        "contact",
        "bounce",
        "v.ratio",
        "balance",
        "step",
        "HR",
    ]
    assert lines[4].split() == ["/km", "spm", "ms", "cm", "%", "%", "L", "m", "bpm"]
    assert lines[5].split() == [
        "1",
        "6:15",
        "162",
        "275",
        "8.0",
        "7.8",
        "50.2",
        "0.93",
        "150",
        "warm-up",
    ]
    assert (
        "Main part: 5.79 km at 5:09/km "
        "(warm-up 5:05, cool-down 5:00, 1 walk break (1:00) set aside)" in result.stdout
    )
    assert "\x1b" not in result.stdout
    assert "not a diagnosis" in result.stdout
    assert result.stderr == ""


def test_json_fields_carry_their_units(cli, fit_files):
    data = json.loads(cli("run", str(fit_files["standard"]), "--json").stdout)
    assert list(data) == [
        "schema",
        "file",
        "sha256",
        "format",
        "sport",
        "started_at",
        "device",
        "damage",
        "notes",
        "summary",
        "parts",
        "by",
        "splits",
        "measured",
        "derived",
        "missing",
        "baseline",
        "findings",
        "drills",
        "log",
        "sources",
    ]
    main = data["summary"]["main"]
    assert main["cadence_spm"] == 172.0 and main["stance_time_ms"] == 245.0
    assert main["vertical_oscillation_mm"] == 85.0 and main["balance_left_pct"] == 50.2
    assert data["summary"]["bands"]["cadence_spm"] == {
        "colour": "green",
        "meaning": "30th-69th percentile",
        "source": "garmin-gauges",
    }
    assert len(data["splits"]) == 8 and data["splits"][0]["parts"] == ["warm-up"]
    assert data["started_at"] == "2024-05-06T06:00:00+00:00"
    assert data["log"] == {"stored": True, "new": True, "runs_on_device": 1, "problem": None}
    assert data["missing"] == [] and data["findings"] == []


def test_by_lap(cli, fit_files):
    data = json.loads(cli("run", str(fit_files["standard"]), "--by", "lap", "--json").stdout)
    assert data["by"] == "lap" and {s["kind"] for s in data["splits"]} == {"lap"}


def test_by_lap_on_a_gpx_says_it_has_no_laps(cli, tmp_path):
    path = tmp_path / "run.gpx"
    path.write_text(gpx_text([easy(900)]))
    result = cli("run", str(path), "--by", "lap", "--no-log")
    assert result.exit_code == 0
    assert "the GPX file has no laps: split per km instead" in result.stderr


def test_the_html_report_is_written_and_said_so(cli, fit_files, tmp_path):
    out = tmp_path / "run.html"
    result = cli("run", str(fit_files["standard"]), "-o", str(out))
    assert result.exit_code == 0
    assert result.stderr.strip().endswith("run.html (run report)")
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert result.stdout.startswith("Run 2024-05-06")  # and the table as usual
    page = cli("run", str(fit_files["standard"]), "-o", "-").stdout
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page


def test_the_same_file_twice_is_one_run_in_the_log(cli, fit_files):
    assert cli("run", str(fit_files["standard"])).exit_code == 0
    again = cli("run", str(fit_files["standard"]))
    assert "Already in the practice log: its row was updated." in again.stdout
    assert _rows() == [("2024-05-06T06:00:00+00:00", "garmin fenix5", "standard.fit")]


def test_no_log_keeps_the_log_untouched(cli, fit_files):
    assert cli("run", str(fit_files["standard"]), "--no-log").exit_code == 0
    assert not log_db_path().exists()
    env = {"POSE_COACH_NO_LOG": "1"}
    assert cli("run", str(fit_files["standard"]), env=env).exit_code == 0
    assert not log_db_path().exists()
    assert cli("run", str(fit_files["standard"]), "--log", env=env).exit_code == 0
    assert len(_rows()) == 1


def _earlier_runs(tmp_path, cadence: float = 172, speed: float = 3.3, **options):
    """Three earlier runs of 6 km at a steady pace, a week apart."""
    paths = []
    for n in range(3):
        path = tmp_path / f"earlier-{n}.fit"
        start = START - timedelta(days=7 * (3 - n))
        paths.append(
            write_fit(
                path,
                [warm_up(300), easy(1800, cadence=cadence, speed=speed)],
                start=start,
                interval=10,
                **options,
            )
        )
    return paths


def _today(tmp_path, cadence: float = 164):
    return write_fit(
        tmp_path / "today.fit", [warm_up(300), easy(1800, cadence=cadence)], interval=10
    )


def test_cadence_below_your_own_at_the_same_pace_prescribes_pull_drills_and_a_metronome(
    cli, tmp_path
):
    for path in _earlier_runs(tmp_path):
        assert cli("run", str(path)).exit_code == 0
    result = cli("run", str(_today(tmp_path)), "--json")
    data = json.loads(result.stdout)
    assert data["baseline"]["runs"] == 3 and data["baseline"]["cadence_spm"] == 172.0
    cadence = [f for f in data["findings"] if f["fault"] == "low-cadence"]
    assert cadence and cadence[0]["metronome_spm"] == 172  # 164 × 1.05 = 172.2
    assert "8 below your usual 172 at this pace" in cadence[0]["message"]
    drills = next(p for p in data["drills"] if p["fault"] == "low-cadence")
    catalog = load_catalog()
    expected = [
        d.id for d in drills_for_fault(catalog.entries, "low-cadence") if d.phase is Phase.PULL
    ]
    assert [d["id"] for d in drills["drills"]] == expected[:3]
    assert drills["command"] == f"pose-coach drill {expected[0]} --cadence 172"
    # the command is ready to run as printed
    args = drills["command"].split()[1:] + ["--dry-run", "--json"]
    assert cli(*args).exit_code == 0
    text = cli("run", str(_today(tmp_path))).stdout
    assert f"Do: pose-coach drill {expected[0]} --cadence 172" in text


def test_no_baseline_from_another_device_or_another_pace(cli, tmp_path):
    (tmp_path / "other").mkdir()
    (tmp_path / "slow").mkdir()
    for path in _earlier_runs(tmp_path / "other", serial=42):  # another watch
        cli("run", str(path))
    for path in _earlier_runs(tmp_path / "slow", speed=3.0):  # 5:33/km, 30 s/km slower
        cli("run", str(path))
    data = json.loads(cli("run", str(_today(tmp_path)), "--json").stdout)
    assert data["baseline"] is None
    assert not [f for f in data["findings"] if f["fault"] == "low-cadence"]  # 164 is green


def test_long_contact_bounce_and_imbalance_get_their_drills(cli, tmp_path):
    path = write_fit(
        tmp_path / "heavy.fit",
        [easy(900, stance=290, ratio=9.5, balance=52.0)],
        interval=10,
    )
    data = json.loads(cli("run", str(path), "--json", "--no-log").stdout)
    faults = {f["fault"]: f for f in data["findings"]}
    assert set(faults) == {"long-contact", "bouncing", "imbalance"}
    assert faults["imbalance"]["side"] == "left"
    catalog = load_catalog()
    for p in data["drills"]:
        assert p["drills"], p["fault"]
        indexed = [d.id for d in drills_for_fault(catalog.entries, p["fault"])]
        assert all(d["id"] in indexed for d in p["drills"])
    imbalance = next(p for p in data["drills"] if p["fault"] == "imbalance")
    assert imbalance["note"] == "start each drill on the left leg and give it one extra set"
    single_leg = catalog.entries[imbalance["drills"][0]["id"]]
    assert any(step.side is not None for step in single_leg.steps)


def test_a_run_without_dynamics_says_what_would_measure_them(cli, fit_files):
    result = cli("run", str(fit_files["no-dynamics"]), "--no-log")
    assert result.exit_code == 0
    assert "Not in this file" in result.stdout
    assert re.search(r"contact: needs a chest strap with running dynamics", result.stdout)
    assert "balance: needs a chest strap with running dynamics or a running dynamics pod" in (
        result.stdout
    )
    assert "so this report looks at what there is: cadence, step and pace." in result.stdout


def test_a_multisport_file_warns_and_reads_the_run(cli, fit_files):
    result = cli("run", str(fit_files["triathlon"]), "--no-log")
    assert result.exit_code == 0
    assert result.stderr.startswith("pose-coach: warning: ")
    assert "a multisport file (swimming, transition, cycling, running)" in result.stderr
    assert "Run 2024-05-06 06:26 UTC" in result.stdout  # the run leg's own start, 26 min in


@pytest.mark.parametrize(
    "name, message",
    [("ride", "not a run: cycling"), ("swim", "not a run: swimming")],
)
def test_not_a_run_is_one_line_and_exit_1(cli, fit_files, name, message):
    result = cli("run", str(fit_files[name]))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"pose-coach: error: {fit_files[name]}: {message}"
    assert result.stdout == ""
    assert not log_db_path().exists()


def test_bad_files_are_one_line_and_exit_1(cli, tmp_path, fit_files):
    data = bytearray(fit_files["standard"].read_bytes())
    data[-3] ^= 0xFF
    (tmp_path / "crc.fit").write_bytes(bytes(data))
    (tmp_path / "notes.txt").write_text("just notes\n")
    (tmp_path / "bomb.gpx").write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><gpx/>')
    for name, message in [
        ("crc.fit", "CRC error"),
        ("notes.txt", "not a FIT, TCX or GPX activity file"),
        ("bomb.gpx", "refused: the file declares a DOCTYPE"),
        ("missing.fit", "no such file"),
    ]:
        result = cli("run", str(tmp_path / name))
        assert result.exit_code == 1, name
        first = result.stderr.splitlines()[0]
        assert first.startswith("pose-coach: error: ") and message in first, name
        assert "Traceback" not in result.stderr
    assert cli("run", str(tmp_path / "crc.fit"), "--ignore-crc", "--no-log").exit_code == 0


def test_text_from_the_file_never_reaches_the_terminal_as_control_codes(cli, tmp_path):
    # XML cannot hold control characters (expat refuses them), so a file name is the way in
    path = tmp_path / "evil\x1b]0;owned\x07.gpx"
    path.write_text(gpx_text([Stretch(300)]))
    result = cli("run", str(path), "--no-log")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "evil\\x1b]0;owned\\x07.gpx" in result.stdout
    bad = tmp_path / "control.gpx"
    bad.write_text(gpx_text([Stretch(300)]).replace("Garmin Connect", "Evil\x1bapp"))
    refused = cli("run", str(bad), "--no-log")
    assert refused.exit_code == 1 and "not well-formed XML (not well-formed" in refused.stderr


def test_help_teaches(cli):
    result = cli("run", "--help")
    assert result.exit_code == 0
    assert "Feedback on a run from your watch's file" in result.stdout
    assert "pose-coach run activity.fit" in result.stdout


def test_the_standard_run_is_as_written():
    assert sum(s.seconds for s in standard_run()) == 2400


def test_the_report_file_must_be_html(cli, fit_files, tmp_path):
    result = cli("run", str(fit_files["standard"]), "-o", str(tmp_path / "run.pdf"))
    assert result.exit_code == 2
    assert "the run report is an HTML page, not .pdf" in result.stderr
    assert "-o run.html" in result.stderr
    assert not (tmp_path / "run.pdf").exists()


def test_a_watch_is_the_same_device_in_its_fit_and_tcx_files(tmp_path):
    from activity_files import tcx_text

    from pose_coach.activity.source import decode, load_source

    fit = write_fit(tmp_path / "a.fit", [easy(120)], interval=10, serial=3990000001)
    tcx = tmp_path / "a.tcx"
    tcx.write_text(tcx_text([easy(120)]))  # Creator UnitId 3990000001
    keys = {decode(load_source(path)).device.key for path in (fit, tcx)}
    assert keys == {"garmin/#3990000001"}


def test_on_a_terminal_the_bands_are_coloured_and_the_words_the_same(fit_files, monkeypatch):
    import io

    monkeypatch.setenv("FORCE_COLOR", "1")  # rich: a terminal, though the stream is not
    monkeypatch.setenv("COLUMNS", "400")  # no wrapping: the lines compare word for word

    from pose_coach.activity.analysis import RunRequest, analyse_run
    from pose_coach.activity.report_text import print_report

    report = analyse_run(RunRequest(fit_files["standard"], store=False))
    plain, styled = io.StringIO(), io.StringIO()
    print_report(report, styled=False, stream=plain)
    print_report(report, styled=True, color=True, stream=styled)
    assert "\x1b[" not in plain.getvalue() and "\x1b[" in styled.getvalue()
    without_codes = re.sub(r"\x1b\[[0-9;]*m", "", styled.getvalue())
    assert without_codes.split() == plain.getvalue().split()


def test_json_and_html_on_stdout_together_is_a_usage_error(cli, fit_files):
    result = cli("run", str(fit_files["standard"]), "--json", "-o", "-")
    assert result.exit_code == 2
    assert "--json and -o - would both write to stdout" in result.stderr


def test_a_damaged_log_never_stops_the_report(cli, fit_files):
    path = log_db_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database, and not ours to touch")
    result = cli("run", str(fit_files["standard"]))
    assert result.exit_code == 0
    assert "pose-coach: warning: the run was not stored: " in result.stderr
    assert "is not a pose-coach practice log" in result.stderr
    assert path.read_bytes() == b"not a database, and not ours to touch"
    assert "Main part" in result.stdout


def test_a_long_run_keeps_its_sparklines_on_one_line():
    from pose_coach.activity.report_text import SPARK_WIDTH, sparkline

    line = sparkline([float(n % 7) for n in range(160)])
    assert len(line) == SPARK_WIDTH
    assert sparkline([1.0, None, 3.0]) == "▁ █"
