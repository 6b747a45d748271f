"""Fixtures for activity tests: synthetic runs written once per session, the real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from activity_files import Leg, Stretch, standard_run, warm_up, write_fit

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "fit"
REAL_SKIP = f"needs the real watch files in {REAL} (present in CI)"


@pytest.fixture(scope="session")
def fit_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Synthetic FIT files, by name (each written once: fit-tool takes ~1 ms a record)."""
    folder = tmp_path_factory.mktemp("fit")
    runs = {
        "standard": dict(stretches=standard_run(), interval=5),
        "stryd": dict(
            stretches=[Stretch(600, power=250, form_power=70, stiffness=10.5)],
            interval=5,
            stryd=True,
        ),
        "no-dynamics": dict(
            stretches=standard_run(),
            interval=5,
            fields=frozenset({"cadence", "distance", "speed", "heart_rate"}),
        ),
        "ride": dict(legs=[Leg("cycling", [Stretch(600, speed=8.0)])], interval=10),
        "swim": dict(legs=[Leg("swimming", [Stretch(600, speed=1.0)])], interval=10),
        "triathlon": dict(
            legs=[
                Leg("swimming", [Stretch(600, speed=1.0)]),
                Leg("transition", [Stretch(60, speed=1.5)]),
                Leg("cycling", [Stretch(900, speed=8.0)]),
                Leg("running", standard_run()),
            ],
            interval=5,
        ),
        "long": dict(stretches=[Stretch(2100)], interval=1),  # 2,100 records
        "paused": dict(
            stretches=[warm_up(120), Stretch(600), Stretch(300, paused=True), Stretch(600)],
            interval=5,
        ),
    }
    return {name: write_fit(folder / f"{name}.fit", **options) for name, options in runs.items()}


@pytest.fixture
def real_fit() -> Path:
    if not REAL.is_dir():
        pytest.skip(REAL_SKIP)
    return REAL
