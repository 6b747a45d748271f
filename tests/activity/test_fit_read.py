"""FIT files as pose-coach reads them: units, developer fields, damage, sports."""

from __future__ import annotations

from pathlib import Path

import pytest
from activity_files import Stretch, write_fit

from pose_coach.activity import source
from pose_coach.activity.clean import clean_run
from pose_coach.activity.errors import ActivityFileError, NotARunError
from pose_coach.activity.fit import fit_crc, read_fit
from pose_coach.activity.model import (
    BALANCE,
    CADENCE,
    FORM_POWER,
    POWER,
    STANCE,
    STEP,
    STIFFNESS,
    VERTICAL_OSC,
    VERTICAL_RATIO,
)
from pose_coach.activity.source import decode, load_source


def _decoded(path: Path):
    return decode(load_source(path))


def test_cadence_is_steps_per_minute_from_strides_and_their_fraction(tmp_path):
    # 171 steps/min is 85.5 strides: cadence 85 and fractional_cadence 64/128 in the file
    path = write_fit(tmp_path / "odd.fit", [Stretch(120, cadence=171.0)], interval=10)
    values = _decoded(path).track.values[CADENCE]
    assert set(values) == {171.0}


def test_every_running_dynamics_field_in_its_unit(fit_files):
    track = _decoded(fit_files["standard"]).track
    middle = 120  # 600 s in, at 5 s a record: in the steady part
    assert track.values[STANCE][middle] == pytest.approx(245.0)
    assert track.values[VERTICAL_OSC][middle] == pytest.approx(85.0)
    assert track.values[VERTICAL_RATIO][middle] == pytest.approx(7.8)
    assert track.values[BALANCE][middle] == pytest.approx(50.2)
    assert track.values[STEP][middle] == pytest.approx(3.3 * 60000 / 172, abs=0.1)
    assert track.speed[middle] == pytest.approx(3.3)


def test_stryd_developer_fields_are_read(fit_files):
    track = _decoded(fit_files["stryd"]).track
    assert set(track.values[FORM_POWER]) == {70}
    assert track.values[STIFFNESS][0] == pytest.approx(10.5)
    assert set(track.values[POWER]) == {250}


def test_device_and_start_come_from_the_file(fit_files):
    decoded = _decoded(fit_files["standard"])
    assert decoded.device.manufacturer == "garmin"
    assert decoded.device.serial == "3900000001"
    assert decoded.start == 1714975200  # 2024-05-06T06:00:00Z, the session's start


def test_crc_matches_fitdecode_for_a_whole_file(fit_files):
    data = fit_files["standard"].read_bytes()
    assert fit_crc(data[:-2]) == int.from_bytes(data[-2:], "little")


def test_a_crc_error_is_refused_unless_asked(fit_files, tmp_path):
    data = bytearray(fit_files["standard"].read_bytes())
    data[-3] ^= 0xFF  # the last byte of the last message: the structure stays readable
    path = tmp_path / "changed.fit"
    path.write_bytes(bytes(data))
    with pytest.raises(ActivityFileError, match="CRC error") as caught:
        _decoded(path)
    assert "--ignore-crc" in (caught.value.hint or "")
    assert len(decode(load_source(path), check_crc=False).track) > 100


def test_a_truncated_file_says_how_much_was_read_and_is_analysed(fit_files, tmp_path):
    data = fit_files["standard"].read_bytes()
    path = tmp_path / "cut.fit"
    path.write_bytes(data[: len(data) * 6 // 10])
    decoded = _decoded(path)
    assert decoded.damage is not None
    assert decoded.damage.describe().startswith(
        f"the file ends early: read {len(data) * 6 // 10:,}"
    )
    run = clean_run(decoded, "cut.fit")
    assert run.running_seconds > 600


def test_a_file_cut_to_its_start_is_too_little(fit_files, tmp_path):
    path = tmp_path / "stub.fit"
    path.write_bytes(fit_files["standard"].read_bytes()[:300])
    decoded = _decoded(path)
    with pytest.raises(ActivityFileError, match="the file ends early: read 300 of .* too little"):
        clean_run(decoded, "stub.fit")


@pytest.mark.parametrize(
    "content, found",
    [
        (b"", "the file is empty"),
        (b"%PDF-1.7 not a run", "it is a PDF"),
        (b"PK\x03\x04zipzip", "a ZIP archive"),
        (b"hello, world\n" * 10, "it is neither"),
        (b"<html><body>hi</body></html>", "XML of another kind"),
    ],
)
def test_not_an_activity_file(tmp_path, content, found):
    path = tmp_path / "thing.fit"
    path.write_bytes(content)
    with pytest.raises(ActivityFileError, match="not a FIT, TCX or GPX activity file") as caught:
        _decoded(path)
    assert found in caught.value.message


def test_a_workout_file_is_not_an_activity(tmp_path):
    from pose_coach.library.catalog import load_catalog
    from pose_coach.render.export.fit import fit_bytes
    from pose_coach.timeline import Dose, compile_timeline

    catalog = load_catalog()
    timeline = compile_timeline(catalog.get("warmup"), catalog.entries, Dose())
    path = tmp_path / "warmup.fit"
    path.write_bytes(fit_bytes(timeline))
    with pytest.raises(ActivityFileError, match="a FIT workout file, not a recorded activity"):
        _decoded(path)


def test_a_file_over_100_mb_is_refused_before_a_byte_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.fit"
    with open(path, "wb") as handle:
        handle.truncate(source.MAX_BYTES + 1)  # sparse: costs no disk

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(source, "open", no_reading, raising=False)
    with pytest.raises(ActivityFileError, match="100 MB.* nothing was read"):
        load_source(path)


def test_folders_and_missing_files_are_one_line_errors(tmp_path):
    with pytest.raises(ActivityFileError, match="is a folder"):
        load_source(tmp_path)
    with pytest.raises(ActivityFileError, match="no such file"):
        load_source(tmp_path / "nope.fit")


def test_a_gzip_file_is_read(fit_files, tmp_path):
    import gzip

    path = tmp_path / "run.fit.gz"
    path.write_bytes(gzip.compress(fit_files["standard"].read_bytes()))
    assert len(_decoded(path).track) == len(_decoded(fit_files["standard"]).track)


@pytest.mark.parametrize("name, sport", [("ride", "cycling"), ("swim", "swimming")])
def test_rides_and_swims_are_not_runs(fit_files, name, sport):
    with pytest.raises(NotARunError, match=f"not a run: {sport}$") as caught:
        clean_run(_decoded(fit_files[name]), f"{name}.fit")
    assert "--as-run" in (caught.value.hint or "")


def test_as_run_reads_any_sport(fit_files):
    run = clean_run(_decoded(fit_files["ride"]), "ride.fit", as_run=True)
    assert run.notes == ["the file says cycling: read as a run (--as-run)"]


def test_a_multisport_file_keeps_only_its_run_legs(fit_files):
    decoded = _decoded(fit_files["triathlon"])
    assert decoded.sports == ["swimming", "transition", "cycling", "running"]
    run = clean_run(decoded, "tri.fit")
    assert run.multisport
    assert run.notes == [
        "a multisport file (swimming, transition, cycling, running): only the run leg analysed"
    ]
    assert run.distance[0] == 0.0  # not where the ride ended
    assert run.distance[-1] == pytest.approx(decoded.track.distance[-1] - 600 - 90 - 7200, abs=50)


def test_read_fit_without_the_structure_walk_guard(fit_files):
    data = fit_files["standard"].read_bytes()
    assert read_fit(data, "x.fit").format == "fit"


def test_a_big_file_reports_its_progress(fit_files):
    heard: list[tuple[float, float]] = []
    data = fit_files["long"].read_bytes()
    read_fit(data, "long.fit", progress=lambda done, total: heard.append((done, total)))
    assert heard and all(0 < done <= total == len(data) for done, total in heard)
    # small files (under source.PROGRESS_BYTES) never show a bar
    calls: list[tuple[float, float]] = []
    decode(load_source(fit_files["long"]), progress=lambda d, t: calls.append((d, t)))
    assert calls == []
