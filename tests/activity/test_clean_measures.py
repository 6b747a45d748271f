"""Cleaning a run (walks, stops, warm-up, cool-down), its splits and medians, the bands."""

from __future__ import annotations

import pytest
from activity_files import Stretch, easy, tcx_text, walk, warm_up, write_fit

from pose_coach.activity.bands import band_for
from pose_coach.activity.clean import clean_run
from pose_coach.activity.measures import km_splits, lap_splits, summarise, weighted_median
from pose_coach.activity.model import (
    BALANCE,
    CADENCE,
    STANCE,
    STEP,
    VERTICAL_OSC,
    VERTICAL_RATIO,
    Track,
)
from pose_coach.activity.rules import COOL_DOWN, MAIN, RUN, STOP, WALK, WARM_UP
from pose_coach.activity.source import decode, load_source


def _clean(path, name="run.fit"):
    decoded = decode(load_source(path))
    return decoded, clean_run(decoded, name)


def test_warm_up_walk_break_and_cool_down_are_found(fit_files):
    _, run = _clean(fit_files["standard"])
    assert run.warm_up is not None and run.warm_up.seconds == pytest.approx(300, abs=60)
    assert run.cool_down is not None and run.cool_down.seconds == pytest.approx(300, abs=60)
    assert [round(w.seconds) for w in run.walk_breaks] == [60]
    assert run.part[0] == WARM_UP and run.part[-1] == COOL_DOWN
    assert run.part[len(run.part) // 3] == MAIN


def test_the_main_part_is_what_the_medians_are_of(fit_files):
    _, run = _clean(fit_files["standard"])
    summary = summarise(run)
    # warm-up and cool-down ran at 162 spm and 275 ms, the main part at 172 and 245
    assert summary.values[CADENCE] == 172.0
    assert summary.values[STANCE] == 245.0
    assert 1000 / 3.3 < summary.pace < 320  # 5:03/km, and the walk's minute in it
    assert summary.walk_seconds == pytest.approx(60, abs=10)


def test_a_short_run_has_no_warm_up(tmp_path):
    path = write_fit(tmp_path / "short.fit", [warm_up(120), easy(300)], interval=5)
    _, run = _clean(path)
    assert run.warm_up is None and run.cool_down is None


def test_a_paused_timer_is_a_stop_not_running(fit_files):
    _, run = _clean(fit_files["paused"])
    assert [round(s.seconds) for s in run.stops] == [pytest.approx(300, abs=10)]
    assert run.running_seconds == pytest.approx(1320, abs=15)


def test_km_splits_end_with_the_part_km(fit_files):
    _, run = _clean(fit_files["standard"])
    splits = km_splits(run)
    assert [s.index for s in splits] == list(range(1, 9))
    assert splits[0].parts == (WARM_UP,)
    assert "walk" in splits[3].parts
    assert splits[-1].metres < 1000
    assert all(s.kind == "km" for s in splits)


def test_a_few_metres_into_a_new_km_join_the_last_one(tmp_path):
    path = write_fit(tmp_path / "round.fit", [easy(int(3030 / 3.3))], interval=5)
    _, run = _clean(path)
    splits = km_splits(run)
    assert len(splits) == 3 and splits[-1].metres > 1000


def test_lap_splits_follow_the_watch_laps(fit_files):
    decoded, run = _clean(fit_files["standard"])
    splits = lap_splits(run, decoded.laps)
    assert len(splits) == len(decoded.laps)
    assert all(s.kind == "lap" for s in splits)


def test_step_length_and_vertical_ratio_are_worked_out_when_missing(tmp_path):
    fields = frozenset({"cadence", "oscillation", "distance", "speed"})
    path = write_fit(tmp_path / "fenix2.fit", [easy(600)], interval=5, fields=fields)
    _, run = _clean(path)
    assert run.derived == {STEP, VERTICAL_RATIO}
    summary = summarise(run)
    assert summary.values[STEP] == pytest.approx(3.3 * 60000 / 172, rel=0.01)
    assert summary.values[VERTICAL_RATIO] == pytest.approx(85 / (3.3 * 60000 / 172) * 100, rel=0.01)


def test_cadence_stored_as_steps_per_minute_is_noticed(tmp_path):
    text = tcx_text([easy(300)]).replace("<ns3:RunCadence>86<", "<ns3:RunCadence>172<")
    path = tmp_path / "spm.tcx"
    path.write_text(text)
    _, run = _clean(path, "spm.tcx")
    assert "the file stores cadence as steps per minute; read as such" in run.notes
    assert set(run.track.values[CADENCE]) == {172.0}


def test_walking_is_told_from_running_by_cadence(tmp_path):
    path = write_fit(tmp_path / "w.fit", [easy(120), walk(120), easy(120)], interval=2)
    _, run = _clean(path)
    states = {s for s, c in zip(run.state, run.track.values[CADENCE], strict=True) if c == 112}
    assert states == {WALK}
    assert RUN in run.state and STOP not in run.state


def test_glitches_are_set_aside():
    from pose_coach.activity.clean import _check_values

    track = Track()
    track.append(0.0, 0.0, 3.0, cadence=0.0, stance_time=0.0, balance=99.0)
    track.append(1.0, 3.0, 30.0, cadence=170.0, stance_time=250.0, balance=50.5)
    notes: list[str] = []
    _check_values(track, notes)
    assert track.values[CADENCE] == [None, 170.0]
    assert track.values[STANCE] == [None, 250.0]
    assert track.values[BALANCE] == [None, 50.5]
    assert track.speed == [3.0, None]  # 30 m/s is a GPS jump
    assert notes == []


def test_weighted_median_counts_time_not_samples():
    # one sample of 160 held for 10 s outweighs three of 180 held 1 s each
    assert weighted_median([160, 180, 180, 180], [10, 1, 1, 1]) == 160
    assert weighted_median([None, None], [1, 1]) is None
    assert weighted_median([170, None, 172], [1, 5, 1]) == 170


@pytest.mark.parametrize(
    "measure, value, colour",
    [
        # Garmin's table: cadence <153 red, 153-163 orange, 164-173 green, 174-183 blue
        (CADENCE, 152.4, "red"),
        (CADENCE, 152.6, "orange"),  # shown as 153
        (CADENCE, 163.0, "orange"),
        (CADENCE, 164.0, "green"),
        (CADENCE, 183.0, "blue"),
        (CADENCE, 184.0, "purple"),
        # ground contact: <218 purple, 218-248 blue, 249-277 green, 278-308 orange, >308 red
        (STANCE, 217.0, "purple"),
        (STANCE, 248.0, "blue"),
        (STANCE, 277.0, "green"),
        (STANCE, 278.0, "orange"),
        (STANCE, 309.0, "red"),
        # vertical oscillation (chest strap), shown in cm: 8.2-9.7 green, 9.8-11.5 orange
        (VERTICAL_OSC, 97.0, "green"),
        (VERTICAL_OSC, 98.0, "orange"),
        (VERTICAL_OSC, 116.0, "red"),
        (VERTICAL_RATIO, 8.6, "green"),
        (VERTICAL_RATIO, 8.7, "orange"),
        (VERTICAL_RATIO, 6.0, "purple"),
        # balance: 49.3-50.7 green; 50.8-52.2 orange (left), over 52.2 red
        (BALANCE, 50.7, "green"),
        (BALANCE, 49.3, "green"),
        (BALANCE, 50.8, "orange"),
        (BALANCE, 49.2, "orange"),
        (BALANCE, 52.3, "red"),
        (BALANCE, 47.7, "red"),
    ],
)
def test_bands_follow_garmins_table(measure, value, colour):
    band = band_for(measure, value)
    assert band is not None and band.colour == colour


def test_balance_bands_know_their_side():
    assert band_for(BALANCE, 51.5).side == "left"
    assert band_for(BALANCE, 48.5).side == "right"
    assert band_for(BALANCE, 50.0).side is None
    assert band_for(STEP, 1100.0) is None  # no published range
    assert band_for(CADENCE, None) is None


def test_stretch_defaults_are_consistent():
    assert Stretch(1).cadence == 172.0
