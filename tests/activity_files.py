"""Synthetic activity files for tests and benchmarks/run.py: FIT written with fit-tool,
TCX and GPX as text.

A run is a list of ``Stretch``es (so many seconds at a speed, cadence, contact time...),
written as one record every ``interval`` seconds. Values are exact, so tests can assert
what the report says.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

START = datetime(2024, 5, 6, 6, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Stretch:
    seconds: int
    speed: float = 3.3  # m/s (5:03 min/km)
    cadence: float | None = 172.0  # steps per minute
    stance: float | None = 245.0  # ms
    oscillation: float | None = 85.0  # mm
    ratio: float | None = 7.8  # %
    balance: float | None = 50.2  # left %
    step: float | None = None  # mm; None: worked out from speed and cadence
    power: float | None = None  # W
    form_power: float | None = None  # W (a Stryd developer field)
    stiffness: float | None = None  # kN/m (a Stryd developer field)
    heart_rate: int | None = 150
    paused: bool = False  # the watch's timer was stopped: no records, a timer event pair


def easy(seconds: int, **changes) -> Stretch:
    return replace(Stretch(seconds), **changes)


def warm_up(seconds: int = 300) -> Stretch:
    return Stretch(seconds, speed=2.5, cadence=162, stance=275, oscillation=80)


def walk(seconds: int = 60) -> Stretch:
    return Stretch(seconds, speed=1.4, cadence=112, stance=470, oscillation=50, ratio=6.0)


def standard_run() -> list[Stretch]:
    """A 40-minute run: 5 min warm-up, 30 min steady with a walk break, 5 min cool-down."""
    return [warm_up(), easy(900), walk(60), easy(840), warm_up(300)]


ALL_FIELDS = frozenset(
    {
        "cadence",
        "stance",
        "oscillation",
        "ratio",
        "balance",
        "step",
        "power",
        "heart_rate",
        "distance",
        "speed",
        "position",
    }
)


@dataclass(frozen=True)
class Leg:
    sport: str  # "running", "cycling", "swimming", "transition"
    stretches: list[Stretch] = field(default_factory=list)


def _sport(name: str):
    from fit_tool.profile.profile_type import Sport

    return getattr(Sport, name.upper())


def write_fit(
    path: Path,
    stretches: list[Stretch] | None = None,
    *,
    legs: list[Leg] | None = None,
    start: datetime = START,
    interval: int = 1,
    fields: frozenset[str] = ALL_FIELDS,
    stryd: bool = False,
    lap_metres: float | None = 1000.0,
    product: int = 2697,  # a Garmin product id (fenix 5)
    serial: int = 3900000001,
    manufacturer: int = 1,  # Garmin
) -> Path:
    """A FIT activity file: file_id, (Stryd developer fields), records, laps, sessions."""
    from fit_tool.base_type import BaseType
    from fit_tool.developer_field import DeveloperField
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.activity_message import ActivityMessage
    from fit_tool.profile.messages.developer_data_id_message import DeveloperDataIdMessage
    from fit_tool.profile.messages.event_message import EventMessage
    from fit_tool.profile.messages.field_description_message import FieldDescriptionMessage
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.lap_message import LapMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import Event, EventType, FileType

    legs = legs or [Leg("running", stretches or standard_run())]
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    t0 = int(start.timestamp() * 1000)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = manufacturer
    file_id.product = product
    file_id.serial_number = serial
    file_id.time_created = t0
    builder.add(file_id)
    if stryd:
        dev = DeveloperDataIdMessage()
        dev.developer_data_index = 0
        dev.application_id = bytes(range(16))
        builder.add(dev)
        for number, name, units, base in (
            (0, "Form Power", "Watts", BaseType.UINT16),
            (1, "Leg Spring Stiffness", "KN/m", BaseType.FLOAT32),
        ):
            description = FieldDescriptionMessage()
            description.developer_data_index = 0
            description.field_definition_number = number
            description.fit_base_type_id = base.value
            description.field_name = name
            description.units = units
            builder.add(description)

    def event(kind, at: int) -> None:
        message = EventMessage()
        message.event = Event.TIMER
        message.event_type = kind
        message.timestamp = at
        builder.add(message)

    now = t0
    distance = 0.0
    lat, lon = 46.5, 6.6
    sessions = []
    for leg in legs:
        leg_start, leg_distance = now, distance
        lap_start, lap_distance = now, distance
        event(EventType.START, now)
        for stretch in leg.stretches:
            if stretch.paused:
                event(EventType.STOP_ALL, now)
                now += stretch.seconds * 1000
                event(EventType.START, now)
                continue
            for _ in range(0, stretch.seconds, interval):
                record = RecordMessage()
                record.timestamp = now
                if "distance" in fields:
                    record.distance = distance
                if "speed" in fields:
                    record.speed = stretch.speed
                if "position" in fields:
                    record.position_lat = lat
                    record.position_long = lon
                if leg.sport == "running":
                    _running_fields(record, stretch, fields)
                if "heart_rate" in fields and stretch.heart_rate is not None:
                    record.heart_rate = stretch.heart_rate
                if stryd:
                    record.developer_fields = _stryd_fields(stretch, DeveloperField, BaseType)
                builder.add(record)
                now += interval * 1000
                distance += stretch.speed * interval
                lat += stretch.speed * interval / 111_195.0  # due north, metres to degrees
                if lap_metres and distance - lap_distance >= lap_metres:
                    builder.add(_lap(LapMessage, lap_start, now, distance - lap_distance))
                    lap_start, lap_distance = now, distance
        if now > lap_start:
            builder.add(_lap(LapMessage, lap_start, now, distance - lap_distance))
        event(EventType.STOP_ALL, now)
        session = SessionMessage()
        session.sport = _sport(leg.sport)
        session.start_time = leg_start
        session.timestamp = now
        session.total_elapsed_time = (now - leg_start) / 1000
        session.total_timer_time = (now - leg_start) / 1000
        session.total_distance = distance - leg_distance
        sessions.append(session)
    for session in sessions:
        builder.add(session)
    activity = ActivityMessage()
    activity.timestamp = now
    activity.num_sessions = len(sessions)
    activity.total_timer_time = (now - t0) / 1000
    builder.add(activity)
    path.write_bytes(builder.build().to_bytes())
    return path


def _lap(lap_message, start: int, end: int, metres: float):
    lap = lap_message()
    lap.start_time = start
    lap.timestamp = end
    lap.total_elapsed_time = (end - start) / 1000
    lap.total_timer_time = (end - start) / 1000
    lap.total_distance = metres
    return lap


def _running_fields(record, stretch: Stretch, fields: frozenset[str]) -> None:
    if "cadence" in fields and stretch.cadence is not None:
        per_foot = stretch.cadence / 2
        record.cadence = int(per_foot)
        record.fractional_cadence = per_foot - int(per_foot)
    if "stance" in fields and stretch.stance is not None:
        record.stance_time = stretch.stance
    if "oscillation" in fields and stretch.oscillation is not None:
        record.vertical_oscillation = stretch.oscillation
    if "ratio" in fields and stretch.ratio is not None:
        record.vertical_ratio = stretch.ratio
    if "balance" in fields and stretch.balance is not None:
        record.stance_time_balance = stretch.balance
    if "step" in fields and stretch.cadence:
        record.step_length = stretch.step or stretch.speed * 60000 / stretch.cadence
    if "power" in fields and stretch.power is not None:
        record.power = int(stretch.power)


def _stryd_fields(stretch: Stretch, developer_field, base_type) -> list:
    out = []
    if stretch.form_power is not None:
        out.append(
            _dev(developer_field, 0, "Form Power", base_type.UINT16, "Watts", 2, stretch.form_power)
        )
    if stretch.stiffness is not None:
        out.append(
            _dev(
                developer_field,
                1,
                "Leg Spring Stiffness",
                base_type.FLOAT32,
                "KN/m",
                4,
                stretch.stiffness,
            )
        )
    return out


def _dev(developer_field, number, name, base, units, size, value):
    item = developer_field(
        field_id=number, name=name, base_type=base, units=units, size=size, developer_data_index=0
    )
    item.set_value(0, int(value) if base.name.startswith("UINT") else float(value))
    return item


def three_hours() -> list[Stretch]:
    """The benchmark's long run, 3:00:00 at one record a second: every field, Stryd too,
    warm-up, two walk breaks, a paused timer, a cool-down; the balance leans left, so the
    feedback and its drills are part of what is timed."""
    block = Stretch(1500, balance=51.6, power=260, form_power=70, stiffness=10.5)
    return [
        replace(warm_up(600), power=200, form_power=60, stiffness=9.5),
        block,
        replace(walk(90), power=90, form_power=40, stiffness=8.0),
        replace(block, speed=3.4, cadence=174),
        replace(block, speed=3.2, stance=255),
        Stretch(120, paused=True),
        replace(block, speed=3.1, cadence=168, stance=262),
        replace(walk(90), power=90, form_power=40, stiffness=8.0),
        replace(block, seconds=3300, speed=3.0, cadence=166, stance=268),
        replace(warm_up(600), power=200, form_power=60, stiffness=9.5),
    ]


def one_hour() -> list[Stretch]:
    """A 1-hour run with every field, for the "under 1 s" target."""
    block = Stretch(3000, balance=51.6, power=255, form_power=70, stiffness=10.2)
    return [
        replace(warm_up(300), power=200, form_power=60, stiffness=9.5),
        block,
        replace(warm_up(300), power=200, form_power=60, stiffness=9.5),
    ]


# -- XML -------------------------------------------------------------------------------


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def tcx_text(
    stretches: list[Stretch], *, sport: str = "Running", start: datetime = START, interval: int = 2
) -> str:
    """A Garmin-style TCX: one activity, one lap per 1000 m, RunCadence per stride."""
    t = start.timestamp()
    distance = 0.0
    laps: list[list[str]] = [[]]
    lap_starts = [t]
    lap_distance = 0.0
    for stretch in stretches:
        for _ in range(0, stretch.seconds, interval):
            cadence = (
                f"<Extensions><ns3:TPX><ns3:Speed>{stretch.speed}</ns3:Speed>"
                f"<ns3:RunCadence>{int(stretch.cadence / 2)}</ns3:RunCadence></ns3:TPX>"
                "</Extensions>"
                if stretch.cadence
                else ""
            )
            laps[-1].append(
                f"<Trackpoint><Time>{_iso(t)}</Time><DistanceMeters>{distance:.2f}"
                f"</DistanceMeters><HeartRateBpm><Value>{stretch.heart_rate}</Value>"
                f"</HeartRateBpm>{cadence}</Trackpoint>"
            )
            t += interval
            distance += stretch.speed * interval
            if distance - lap_distance >= 1000:
                laps.append([])
                lap_starts.append(t)
                lap_distance = distance
    body = []
    for n, points in enumerate(laps):
        if not points:
            continue
        end = lap_starts[n + 1] if n + 1 < len(lap_starts) else t
        body.append(
            f'<Lap StartTime="{_iso(lap_starts[n])}"><TotalTimeSeconds>{end - lap_starts[n]:.0f}'
            f"</TotalTimeSeconds><Track>{''.join(points)}</Track></Lap>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        'TrainingCenterDatabase/v2" xmlns:ns3="http://www.garmin.com/xmlschemas/'
        'ActivityExtension/v2">'
        f'<Activities><Activity Sport="{sport}"><Id>{_iso(start.timestamp())}</Id>'
        f"{''.join(body)}"
        '<Creator xsi:type="Device_t" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<Name>Forerunner 945</Name><UnitId>3990000001</UnitId><ProductID>3113</ProductID>"
        "</Creator></Activity></Activities></TrainingCenterDatabase>\n"
    )


def gpx_text(
    stretches: list[Stretch],
    *,
    kind: str | None = "running",
    start: datetime = START,
    interval: int = 2,
) -> str:
    """A Garmin-style GPX 1.1 track with TrackPointExtension heart rate and cadence."""
    t = start.timestamp()
    lat, lon = 46.5, 6.6
    points = []
    for stretch in stretches:
        for _ in range(0, stretch.seconds, interval):
            cadence = (
                f"<gpxtpx:cad>{int(stretch.cadence / 2)}</gpxtpx:cad>" if stretch.cadence else ""
            )
            points.append(
                f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>400.0</ele><time>{_iso(t)}</time>'
                "<extensions><gpxtpx:TrackPointExtension>"
                f"<gpxtpx:hr>{stretch.heart_rate}</gpxtpx:hr>{cadence}"
                "</gpxtpx:TrackPointExtension></extensions></trkpt>"
            )
            t += interval
            lat += stretch.speed * interval / 111_195.0
    kind_tag = f"<type>{kind}</type>" if kind else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx creator="Garmin Connect" version="1.1" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<metadata><time>{_iso(start.timestamp())}</time></metadata>"
        f"<trk><name>Morning run</name>{kind_tag}<trkseg>{''.join(points)}</trkseg></trk></gpx>\n"
    )


def haversine_check(lat1: float, lat2: float) -> float:
    """Metres between two points on one meridian (what gpx_text's steps add up to)."""
    return 2 * 6371008.8 * math.asin(abs(math.sin(math.radians(lat2 - lat1) / 2)))
