"""What a decoder hands on: a run's samples as columns, its laps, timer pauses and device.

Units are fixed here, once, whatever the file format: seconds (Unix time), metres, m/s,
steps per minute (both feet), milliseconds, millimetres, percent, watts, kN/m, beats per
minute. Each decoder converts into these; nothing after it converts again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# The form measures, in the order tables show them. Each is one column of a Track.
CADENCE = "cadence"  # steps per minute, both feet
STANCE = "stance_time"  # ground contact time per step, ms
VERTICAL_OSC = "vertical_oscillation"  # bounce of the torso per step, mm
VERTICAL_RATIO = "vertical_ratio"  # vertical oscillation / step length, %
BALANCE = "balance"  # left foot's share of ground contact time, %
STEP = "step_length"  # mm from one foot's landing to the other's
POWER = "power"  # W (Stryd or a watch)
FORM_POWER = "form_power"  # W (Stryd developer field)
STIFFNESS = "leg_spring_stiffness"  # kN/m (Stryd developer field)
HEART_RATE = "heart_rate"  # bpm

FORM_MEASURES = (CADENCE, STANCE, VERTICAL_OSC, VERTICAL_RATIO, BALANCE, STEP)
EXTRA_MEASURES = (POWER, FORM_POWER, STIFFNESS, HEART_RATE)
MEASURES = FORM_MEASURES + EXTRA_MEASURES


@dataclass(frozen=True)
class MeasureInfo:
    """How a measure is named, shown and obtained."""

    key: str
    json: str  # the JSON field name, unit included
    label: str  # table heading
    title: str  # in sentences and chart titles
    unit: str  # unit as shown (after ``scale``)
    scale: float  # stored value × scale = shown value (mm → cm for oscillation)
    digits: int  # decimals shown
    needs: str  # what measures it, for "not measured" lines


INFO: dict[str, MeasureInfo] = {
    CADENCE: MeasureInfo(
        CADENCE, "cadence_spm", "cadence", "Cadence", "spm", 1, 0, "a running watch or a foot pod"
    ),
    STANCE: MeasureInfo(
        STANCE,
        "stance_time_ms",
        "contact",
        "Ground contact time",
        "ms",
        1,
        0,
        "a chest strap with running dynamics (e.g. HRM-Pro, HRM-Run), a running dynamics "
        "pod or a Stryd pod, or a newer watch that measures it at the wrist",
    ),
    VERTICAL_OSC: MeasureInfo(
        VERTICAL_OSC,
        "vertical_oscillation_mm",
        "bounce",
        "Vertical oscillation",
        "cm",
        0.1,
        1,
        "a chest strap with running dynamics, a running dynamics pod or a Stryd pod, or a "
        "newer watch that measures it at the wrist",
    ),
    VERTICAL_RATIO: MeasureInfo(
        VERTICAL_RATIO,
        "vertical_ratio_pct",
        "v.ratio",
        "Vertical ratio",
        "%",
        1,
        1,
        "vertical oscillation and step length (worked out here when both are known)",
    ),
    BALANCE: MeasureInfo(
        BALANCE,
        "balance_left_pct",
        "balance",
        "Ground contact balance",
        "% L",
        1,
        1,
        "a chest strap with running dynamics or a running dynamics pod (a watch alone "
        "cannot tell the feet apart)",
    ),
    STEP: MeasureInfo(
        STEP,
        "step_length_mm",
        "step",
        "Step length",
        "m",
        0.001,
        2,
        "cadence and speed (worked out here when both are known)",
    ),
    POWER: MeasureInfo(
        POWER, "power_w", "power", "Power", "W", 1, 0, "a Stryd pod or a power watch"
    ),
    FORM_POWER: MeasureInfo(
        FORM_POWER, "form_power_w", "form pw", "Form power", "W", 1, 0, "a Stryd pod"
    ),
    STIFFNESS: MeasureInfo(
        STIFFNESS,
        "leg_spring_stiffness_kn_m",
        "LSS",
        "Leg spring stiffness",
        "kN/m",
        1,
        1,
        "a Stryd pod",
    ),
    HEART_RATE: MeasureInfo(
        HEART_RATE,
        "heart_rate_bpm",
        "HR",
        "Heart rate",
        "bpm",
        1,
        0,
        "a heart-rate strap or a watch",
    ),
}


@dataclass
class Track:
    """Samples as parallel columns (one list per quantity, all the same length).

    ``None`` marks a value the file did not hold for that sample.
    """

    time: list[float] = field(default_factory=list)  # Unix seconds
    distance: list[float | None] = field(default_factory=list)  # metres from the start
    speed: list[float | None] = field(default_factory=list)  # m/s
    lat: list[float | None] = field(default_factory=list)  # degrees
    lon: list[float | None] = field(default_factory=list)
    values: dict[str, list[float | None]] = field(
        default_factory=lambda: {key: [] for key in MEASURES}
    )

    def __len__(self) -> int:
        return len(self.time)

    def append(
        self,
        time: float,
        distance: float | None = None,
        speed: float | None = None,
        lat: float | None = None,
        lon: float | None = None,
        **measures: float | None,
    ) -> None:
        """One sample; measures by name (``cadence=172``)."""
        self.add(time, distance, speed, lat, lon, tuple(measures.get(k) for k in MEASURES))

    def add(
        self,
        time: float,
        distance: float | None,
        speed: float | None,
        lat: float | None,
        lon: float | None,
        measures: tuple[float | None, ...],
    ) -> None:
        """One sample; ``measures`` in the order of MEASURES (the decoders' fast path)."""
        self.time.append(time)
        self.distance.append(distance)
        self.speed.append(speed)
        self.lat.append(lat)
        self.lon.append(lon)
        for column, value in zip(self._columns, measures, strict=True):
            column.append(value)

    def __post_init__(self) -> None:
        self._columns = [self.values[key] for key in MEASURES]

    def present(self) -> frozenset[str]:
        """The measures with at least one value."""
        return frozenset(
            k for k, column in self.values.items() if any(v is not None for v in column)
        )


# serial numbers that are no serial number: FIT's invalid values, and a dummy some makers write
_PLACEHOLDER_SERIALS = {"0", "4294967295", "2147483647"}


@dataclass(frozen=True)
class Device:
    """The recording device, as the file names it."""

    manufacturer: str | None = None
    product: str | None = None
    serial: str | None = None

    @property
    def name(self) -> str:
        parts = [p for p in (self.manufacturer, self.product) if p]
        return " ".join(parts) if parts else "unknown device"

    @property
    def key(self) -> str:
        """What "the same device" means for comparisons: the maker and serial number (so
        a FIT file and the TCX export of the same watch agree), else maker and model."""
        maker = (self.manufacturer or "").lower()
        if self.serial and self.serial not in _PLACEHOLDER_SERIALS:
            return f"{maker}/#{self.serial}"
        return f"{maker}/{(self.product or '').lower()}"


@dataclass(frozen=True)
class Lap:
    start: float  # Unix seconds
    end: float


@dataclass(frozen=True)
class Leg:
    """One session of the file: its sport and when it ran."""

    sport: str | None
    sub_sport: str | None
    start: float | None
    end: float | None


@dataclass(frozen=True)
class Damage:
    """Where reading stopped early, and why."""

    read_bytes: int
    total_bytes: int
    reason: str  # "the file ends early", "a corrupt header", ...

    def describe(self) -> str:
        share = math.floor(100 * self.read_bytes / self.total_bytes) if self.total_bytes else 0
        return f"{self.reason}: read {self.read_bytes:,} of {self.total_bytes:,} bytes ({share} %)"


@dataclass
class Decoded:
    """Everything a decoder found, before cleaning."""

    format: str  # "fit", "tcx" or "gpx"
    track: Track
    legs: list[Leg] = field(default_factory=list)
    laps: list[Lap] = field(default_factory=list)
    pauses: list[tuple[float, float]] = field(default_factory=list)  # timer stop → start
    device: Device = field(default_factory=Device)
    start: float | None = None  # the file's own start time (Unix seconds)
    sport: str | None = None  # when no leg says it (a FIT sport message, a GPX type)
    damage: Damage | None = None
    notes: list[str] = field(default_factory=list)
    derived: set[str] = field(default_factory=set)  # measures worked out, not recorded

    @property
    def sports(self) -> list[str]:
        """The sports of the legs, in order (the file's sport alone when no leg says it)."""
        named = [leg.sport for leg in self.legs if leg.sport]
        if named:
            return named
        return [self.sport] if self.sport else []
