"""Garmin Training Center (TCX) files: activities, laps and trackpoints.

Each ``Activity`` is one leg (a multisport file holds several, under MultiSportSession).
Cadence: ``RunCadence`` (the ActivityExtension) and ``Cadence`` are read as FIT stores
them, per stride (one foot); ``clean`` notices a file that wrote steps per minute instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from pose_coach.activity.model import CADENCE, HEART_RATE, POWER, Decoded, Device, Lap, Leg, Track
from pose_coach.activity.xmlsafe import parse_number, parse_time, parse_xml

_POINT_NUMBERS = {
    "DistanceMeters": "distance",
    "LatitudeDegrees": "lat",
    "LongitudeDegrees": "lon",
    "Speed": "speed",
    "RunCadence": "run_cadence",
    "Cadence": "cadence",
    "Watts": "watts",
}


@dataclass
class _LegDraft:
    sport: str | None = None
    start: float | None = None
    first: int = 0  # index of its first trackpoint


def read_tcx(data: bytes, shown: str) -> Decoded:
    decoded = Decoded(format="tcx", track=Track())
    points: list[dict[str, float | None]] = []
    times: list[float] = []  # of points, in file order
    stack: list[str] = []
    point: dict[str, float | None] | None = None
    lap_start: float | None = None
    leg = _LegDraft()
    creator: dict[str, str] = {}

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal point, lap_start
        stack.append(name)
        if name == "Activity":
            leg.sport = (attributes.get("Sport") or "").lower() or None
            leg.start = None
            leg.first = len(points)
        elif name == "Lap":
            lap_start = parse_time(attributes.get("StartTime", ""))
        elif name == "Trackpoint":
            point = {}

    def end(name: str, text: str) -> None:
        nonlocal point, lap_start
        stack.pop()
        parent = stack[-1] if stack else ""
        if point is not None:
            if name == "Trackpoint":
                moment = point.get("time")
                if moment is not None:
                    points.append(point)
                    times.append(moment)
                point = None
            elif name == "Time" and parent == "Trackpoint":
                point["time"] = parse_time(text)
            elif name == "Value" and parent == "HeartRateBpm":
                point["hr"] = parse_number(text)
            elif name in _POINT_NUMBERS:
                point[_POINT_NUMBERS[name]] = parse_number(text)
            return
        if name == "TotalTimeSeconds" and parent == "Lap" and lap_start is not None:
            seconds = parse_number(text)
            if seconds is not None and seconds >= 0:
                decoded.laps.append(Lap(lap_start, lap_start + seconds))
        elif name == "Id" and parent == "Activity":
            leg.start = parse_time(text)
        elif name in ("Name", "UnitId", "ProductID") and parent == "Creator":
            creator.setdefault(name, text)
        elif name == "Activity":
            own = times[leg.first :]
            decoded.legs.append(
                Leg(
                    sport=leg.sport,
                    sub_sport=None,
                    start=leg.start if leg.start is not None else (min(own) if own else None),
                    end=max(own) if own else None,
                )
            )

    parse_xml(data, shown, start, end)
    order = sorted(range(len(points)), key=times.__getitem__)
    track = decoded.track
    for index in order:
        p = points[index]
        cadence = p.get("run_cadence", p.get("cadence"))
        track.append(
            times[index],
            p.get("distance"),
            p.get("speed"),
            p.get("lat"),
            p.get("lon"),
            **{
                CADENCE: 2.0 * cadence if cadence is not None else None,
                POWER: p.get("watts"),
                HEART_RATE: p.get("hr"),
            },
        )
    name = creator.get("Name")
    decoded.device = Device(
        manufacturer="garmin" if name and creator.get("ProductID") else None,
        product=name,
        serial=creator.get("UnitId"),
    )
    starts = [leg.start for leg in decoded.legs if leg.start is not None]
    decoded.start = min(starts) if starts else (track.time[0] if len(track) else None)
    return decoded
