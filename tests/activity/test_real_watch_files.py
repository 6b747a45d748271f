"""Every file of ../shared/data/fit, run as a user would: `pose-coach run FILE`.

Each real file is a case from the wild: a run with every dynamics field, a 9 km run, a
Stryd run, a walk, a ride, a phone recording that stops on a damaged record, a truncated
file and one whose second header is corrupt. Skipped where the folder is absent.
"""

from __future__ import annotations

import json

import pytest


def _run(cli, real_fit, name, *args):
    return cli("run", str(real_fit / name), "--no-log", *args)


def test_a_run_with_every_dynamics_field(cli, real_fit):
    result = _run(cli, real_fit, "garmin-fenix-5-run.fit", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["device"]["name"] == "garmin fenix5"
    assert data["missing"] == []
    assert data["derived"] == []
    main = data["summary"]["main"]
    for field in (
        "cadence_spm",
        "stance_time_ms",
        "vertical_oscillation_mm",
        "vertical_ratio_pct",
        "balance_left_pct",
        "step_length_mm",
    ):
        assert main[field] is not None, field
    assert 170 <= main["cadence_spm"] <= 185  # 89-91 strides a minute in the file
    assert main["balance_left_pct"] > 52  # the file's stance_time_balance reads 52-53 %
    imbalance = [f for f in data["findings"] if f["fault"] == "imbalance"]
    assert imbalance and imbalance[0]["side"] == "left"


def test_the_9_km_run(cli, real_fit):
    result = _run(cli, real_fit, "activity-small-fenix2-run.fit", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["summary"]["distance_m"] == pytest.approx(9007, abs=5)
    assert len(data["splits"]) == 9
    assert data["splits"][0]["parts"] == ["warm-up"]
    assert "cool-down" in data["splits"][-1]["parts"]
    assert data["parts"]["warm_up"]["seconds"] > 180
    assert data["summary"]["main"]["pace_s_per_km"] == pytest.approx(266, abs=5)
    assert [m["measure"] for m in data["missing"]] == ["balance_left_pct"]
    assert data["derived"] == ["vertical_ratio_pct", "step_length_mm"]


def test_the_9_km_run_by_lap(cli, real_fit):
    result = _run(cli, real_fit, "activity-small-fenix2-run.fit", "--by", "lap", "--json")
    data = json.loads(result.stdout)
    assert [s["kind"] for s in data["splits"]] == ["lap"] * 4
    assert [s["distance_m"] for s in data["splits"]][:3] == pytest.approx([849, 2988, 2979], abs=5)


def test_the_stryd_run(cli, real_fit):
    data = json.loads(_run(cli, real_fit, "developer-types-sample.fit", "--json").stdout)
    main = data["summary"]["main"]
    assert main["form_power_w"] is not None and main["leg_spring_stiffness_kn_m"] is not None
    assert main["power_w"] is not None
    assert data["device"]["name"] == "stryd"


def test_the_phone_run_stops_where_the_app_crashed(cli, real_fit):
    result = _run(cli, real_fit, "strava-android-app-201.10-b1218918.fit")
    assert result.exit_code == 0
    assert "damaged data (local message 11 not defined): read 7,471 of 78,233 bytes" in (
        result.stderr
    )
    assert "1 sample with an impossible time set aside" in result.stderr
    assert "no form to read here" in result.stdout
    assert "cadence: needs a running watch or a foot pod" in result.stdout


@pytest.mark.parametrize(
    "name, message",
    [
        ("garmin-fenix-5-bike.fit", "not a run: cycling"),
        ("garmin-fenix-5-walk.fit", "not a run: walking"),
        (
            "activity-unexpected-eof.fit",
            "the file ends early: read 768 of 771 bytes (99 %); too little to analyse",
        ),
        (
            "activity-settings-corruptheader.fit",
            "a corrupt FIT header at byte 771: read 771 of 854 bytes (90 %); too little",
        ),
    ],
)
def test_files_that_cannot_be_analysed_say_why_in_one_line(cli, real_fit, name, message):
    result = _run(cli, real_fit, name)
    assert result.exit_code == 1
    first, *rest = result.stderr.splitlines()
    assert first.startswith("pose-coach: error: ") and message in first
    assert all(line.startswith("  hint: ") for line in rest)
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_every_real_file_behaves(cli, real_fit):
    """No file, known or added later, may crash: exit 0 or one error line (exit 1)."""
    for path in sorted(real_fit.glob("*.fit")):
        result = cli("run", str(path), "--no-log")
        assert result.exit_code in (0, 1), path.name
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr
