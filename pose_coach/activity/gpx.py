"""GPX tracks (1.0 and 1.1) with Garmin's TrackPointExtension (heart rate, cadence).

GPX has no laps and no running dynamics; distance and speed come from the positions
(``clean`` works them out). Each ``trk`` is one leg; its ``type`` (Garmin and Strava write
``running``, older Strava files a number) says the sport when present.
"""

from __future__ import annotations

from pose_coach.activity.model import CADENCE, HEART_RATE, POWER, Decoded, Device, Leg, Track
from pose_coach.activity.xmlsafe import parse_number, parse_time, parse_xml

# Strava's numeric activity types in GPX <type>: 1 ride, 9 run, 10 walk, 4 hike, 2 swim...
_STRAVA_TYPES = {"1": "cycling", "2": "swimming", "4": "hiking", "9": "running", "10": "walking"}


def read_gpx(data: bytes, shown: str) -> Decoded:
    decoded = Decoded(format="gpx", track=Track())
    points: list[dict[str, float | None]] = []
    times: list[float] = []
    stack: list[str] = []
    point: dict[str, float | None] | None = None
    creator = ""
    track_type: str | None = None
    track_first = 0
    metadata_time: float | None = None

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal point, creator, track_type, track_first
        stack.append(name)
        if name == "gpx":
            creator = attributes.get("creator", "")
        elif name == "trk":
            track_type, track_first = None, len(points)
        elif name == "trkpt":
            point = {
                "lat": parse_number(attributes.get("lat", "")),
                "lon": parse_number(attributes.get("lon", "")),
            }

    def end(name: str, text: str) -> None:
        nonlocal point, track_type, metadata_time
        stack.pop()
        parent = stack[-1] if stack else ""
        if point is not None:
            if name == "trkpt":
                moment = point.get("time")
                if moment is not None:
                    points.append(point)
                    times.append(moment)
                point = None
            elif name == "time":
                point["time"] = parse_time(text)
            elif name in ("hr", "heartrate"):
                point["hr"] = parse_number(text)
            elif name in ("cad", "cadence", "RunCadence"):
                point["cadence"] = parse_number(text)
            elif name in ("power", "PowerInWatts"):
                point["power"] = parse_number(text)
            elif name == "speed":
                point["speed"] = parse_number(text)
            return
        if name == "type" and parent == "trk":
            kind = text.strip().lower()
            track_type = _STRAVA_TYPES.get(kind, kind) or None
        elif name == "time" and parent == "metadata":
            metadata_time = parse_time(text)
        elif name == "trk":
            own = times[track_first:]
            decoded.legs.append(
                Leg(
                    sport=track_type,
                    sub_sport=None,
                    start=min(own) if own else None,
                    end=max(own) if own else None,
                )
            )

    parse_xml(data, shown, start, end)
    if not any(leg.sport for leg in decoded.legs):
        decoded.legs = []  # no sport named: not a list of unknown legs
    order = sorted(range(len(points)), key=times.__getitem__)
    track = decoded.track
    for index in order:
        p = points[index]
        cadence = p.get("cadence")
        track.append(
            times[index],
            None,
            p.get("speed"),
            p.get("lat"),
            p.get("lon"),
            **{
                CADENCE: 2.0 * cadence if cadence is not None else None,
                POWER: p.get("power"),
                HEART_RATE: p.get("hr"),
            },
        )
    decoded.device = Device(product=creator.strip() or None)
    decoded.start = track.time[0] if len(track) else metadata_time
    return decoded
