"""Garmin's published colour ranges for running dynamics: where a figure sits among runners.

Garmin colours cadence, ground contact time, vertical oscillation and vertical ratio by
percentile of the runners in its own research (purple: top 5 %, blue: 70-95th, green:
30-69th, orange: 5-29th, red: bottom 5 %), and ground contact time balance by how far it
is from 50/50. The ranges below are copied from its manuals ([garmin-gauges],
[garmin-balance]); vertical oscillation and ratio use the chest-strap (HRM) column, the
running dynamics pod's column sits a little higher. Step length, power and the Stryd
measures have no published colour range: they depend on height, weight and pace.

A band compares with other runners, not with the runner's own history. Garmin says
itself that faster, more experienced runners tend to sit higher, and that taller runners
tend to have a lower cadence and more oscillation; so a band is context, not a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

from pose_coach.activity.model import BALANCE, CADENCE, INFO, STANCE, VERTICAL_OSC, VERTICAL_RATIO

SOURCES = {
    "garmin-gauges": (
        "Garmin Forerunner 945 owner's manual, 'Color Gauges and Running Dynamics Data' "
        "(percentile table for cadence, ground contact time, vertical oscillation and vertical "
        "ratio): https://www8.garmin.com/manuals-apac/webhelp/forerunner945/JA-JP/"
        "GUID-993F18DC-0569-40E0-A9E7-25F6551DA973-7030.html"
    ),
    "garmin-balance": (
        "Garmin Enduro 3 owner's manual, 'Ground Contact Time Balance' (colour zones and "
        "share of runners): https://www8.garmin.com/manuals-apac/webhelp/enduro3/JA-JP/"
        "GUID-C9E211B1-EE03-4F18-831D-33A4898CFD04-4290.html"
    ),
}

COLOURS = {  # for the HTML report
    "purple": "#7b4fa1",
    "blue": "#2f7fd1",
    "green": "#2e9e45",
    "orange": "#e88a00",
    "red": "#d63b2f",
}

PERCENTILES = {
    "purple": "top 5 % of runners",
    "blue": "70th-95th percentile",
    "green": "30th-69th percentile",
    "orange": "5th-29th percentile",
    "red": "bottom 5 % of runners",
}


@dataclass(frozen=True)
class Range:
    colour: str
    low: float | None  # shown units (cm for oscillation), inclusive; None: no lower end
    high: float | None  # inclusive; None: no upper end
    side: str | None = None  # for balance: "left" or "right" when the range leans one way


@dataclass(frozen=True)
class Band:
    measure: str
    colour: str
    meaning: str  # "30th-69th percentile", "left foot 50.8-52.2 %"
    source: str  # a key of SOURCES
    side: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"colour": self.colour, "meaning": self.meaning, "source": self.source}


# Ranges in the units and precision Garmin shows them; a value is rounded the same way
# before it is placed, so the band always matches the figure the runner reads.
RANGES: dict[str, tuple[Range, ...]] = {
    CADENCE: (
        Range("red", None, 152),
        Range("orange", 153, 163),
        Range("green", 164, 173),
        Range("blue", 174, 183),
        Range("purple", 184, None),
    ),
    STANCE: (
        Range("purple", None, 217),
        Range("blue", 218, 248),
        Range("green", 249, 277),
        Range("orange", 278, 308),
        Range("red", 309, None),
    ),
    VERTICAL_OSC: (
        Range("purple", None, 6.3),
        Range("blue", 6.4, 8.1),
        Range("green", 8.2, 9.7),
        Range("orange", 9.8, 11.5),
        Range("red", 11.6, None),
    ),
    VERTICAL_RATIO: (
        Range("purple", None, 6.0),
        Range("blue", 6.1, 7.4),
        Range("green", 7.5, 8.6),
        Range("orange", 8.7, 10.1),
        Range("red", 10.2, None),
    ),
    BALANCE: (  # the left foot's share of ground contact time
        Range("red", 52.3, None, "left"),
        Range("orange", 50.8, 52.2, "left"),
        Range("green", 49.3, 50.7),
        Range("orange", 47.8, 49.2, "right"),
        Range("red", None, 47.7, "right"),
    ),
}

SOURCE_OF = {
    CADENCE: "garmin-gauges",
    STANCE: "garmin-gauges",
    VERTICAL_OSC: "garmin-gauges",
    VERTICAL_RATIO: "garmin-gauges",
    BALANCE: "garmin-balance",
}


def shown(measure: str, value: float) -> float:
    """``value`` (stored units) as the report shows it: scaled and rounded."""
    info = INFO[measure]
    return round(value * info.scale, info.digits)


def _meaning(measure: str, r: Range) -> str:
    if measure != BALANCE:
        return PERCENTILES[r.colour]
    if r.side is None:
        return "within 0.7 points of 50/50 (40 % of runners)"
    share = "5 %" if r.colour == "red" else "25 %"
    return f"leaning {r.side} ({share} of runners on that side)"


def band_for(measure: str, value: float | None) -> Band | None:
    """Garmin's colour for a value of ``measure`` (stored units), or None without a range."""
    if value is None or measure not in RANGES:
        return None
    figure = shown(measure, value)
    for r in RANGES[measure]:
        if (r.low is None or figure >= r.low) and (r.high is None or figure <= r.high):
            return Band(measure, r.colour, _meaning(measure, r), SOURCE_OF[measure], r.side)
    # between two ranges' printed ends (e.g. 152.5 rounds within none): nearest range
    nearest = min(
        RANGES[measure],
        key=lambda r: min(abs(figure - edge) for edge in (r.low, r.high) if edge is not None),
    )
    return Band(
        measure, nearest.colour, _meaning(measure, nearest), SOURCE_OF[measure], nearest.side
    )
