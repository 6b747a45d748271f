"""FIT activity files, decoded with fitdecode (it reads every running-dynamics field and
developer fields, such as Stryd's).

Units as the FIT profile stores them, converted once into the model's units:
``cadence`` is strides (one foot) per minute, so steps per minute are
2 × (cadence + fractional_cadence / 128); fitdecode applies the profile's scale of 128 to
``fractional_cadence`` itself, so here it is 2 × (cadence + fractional_cadence).
``stance_time`` is ms, ``vertical_oscillation`` and ``step_length`` mm, ``vertical_ratio``
and ``stance_time_balance`` percent (the left foot's share, as Garmin Connect shows it).

The file's structure is walked here first (chained FIT files, each header, size and CRC),
so a damaged file says exactly where it went wrong and how much of it was read.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from typing import Any

from pose_coach.activity.errors import ActivityFileError
from pose_coach.activity.model import (
    BALANCE,
    CADENCE,
    FORM_POWER,
    HEART_RATE,
    MEASURES,
    POWER,
    STANCE,
    STEP,
    STIFFNESS,
    VERTICAL_OSC,
    VERTICAL_RATIO,
    Damage,
    Decoded,
    Device,
    Lap,
    Leg,
    Track,
)

FIT_EPOCH = 631065600  # 1989-12-31T00:00:00Z, FIT's time zero, in Unix seconds
# _add_record hands the measures over as a tuple in this order, the model's
_ORDER = (CADENCE, STANCE, VERTICAL_OSC, VERTICAL_RATIO, BALANCE, STEP, POWER, FORM_POWER)
if _ORDER + (STIFFNESS, HEART_RATE) != MEASURES:
    raise RuntimeError("fit.py's measure order no longer matches model.MEASURES")


def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC_TABLE = _crc_table()


def fit_crc(data: bytes | memoryview, crc: int = 0) -> int:
    """The FIT CRC-16 (CRC-16/ARC) of ``data``: byte-wise with a table, ~4× fitdecode's."""
    table = _CRC_TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


def _walk(data: bytes, shown: str, check_crc: bool) -> tuple[int, Damage | None]:
    """Check the chained FIT files' headers, sizes and CRCs: (bytes to decode, damage)."""
    pos, size = 0, len(data)
    while pos < size:
        if size - pos < 12 or data[pos] not in (12, 14) or data[pos + 8 : pos + 12] != b".FIT":
            if pos == 0:  # sniffing saw a header, so this is only a guard
                raise ActivityFileError(f"{shown}: not a FIT file (no FIT header)")
            return pos, Damage(pos, size, f"a corrupt FIT header at byte {pos:,}")
        header_size = data[pos]
        (body,) = struct.unpack_from("<I", data, pos + 4)
        end = pos + header_size + body + 2
        if end > size:
            return size, Damage(size, end, "the file ends early")
        if check_crc:
            (stored,) = struct.unpack_from("<H", data, end - 2)
            if stored and fit_crc(memoryview(data)[pos : end - 2]) != stored:
                raise ActivityFileError(
                    f"{shown}: CRC error: the file's check sum does not match its "
                    f"{end - pos:,} bytes, so some of them were changed after the watch "
                    "wrote it",
                    hint="copy the file from the watch again, or add --ignore-crc to "
                    "analyse it anyway",
                )
        pos = end
    return size, None


def _device(file_id: dict[str, Any]) -> Device:
    maker = file_id.get("manufacturer")
    product = file_id.get("garmin_product", file_id.get("product"))
    serial = file_id.get("serial_number")
    return Device(
        manufacturer=str(maker) if maker is not None else None,
        product=str(product) if product is not None else None,
        serial=str(serial) if serial is not None else None,
    )


def _fields(frame: Any, dev_type: type) -> dict[str, Any]:
    values = {}
    for item in frame.fields:
        value = item.value
        if value is None:
            continue
        if item.field_def.__class__ is dev_type:
            values["dev:" + str(item.name).lower()] = value
        else:
            values[item.name] = value
    return values


def read_fit(
    data: bytes,
    shown: str,
    *,
    check_crc: bool = True,
    progress: Callable[[float, float], None] | None = None,
) -> Decoded:
    """Decode a FIT activity; a damaged file yields what was read, with ``damage`` set.

    ``progress(done, total)`` hears about the bytes read, every few thousand records."""
    import fitdecode
    from fitdecode.types import DevFieldDefinition

    readable, damage = _walk(data, shown, check_crc)
    decoded = Decoded(format="fit", track=Track(), damage=damage)
    track = decoded.track
    file_id: dict[str, Any] = {}
    dev_units: dict[str, str] = {}
    timer_stop: float | None = None
    first_session = True
    stream = io.BytesIO(data[:readable])
    reader = fitdecode.FitReader(
        stream,
        processor=fitdecode.DataProcessorBase(),  # raw timestamps: no datetime per record
        check_crc=fitdecode.CrcCheck.DISABLED,  # checked above, faster, with a clear message
        error_handling=fitdecode.ErrorHandling.IGNORE,
    )
    data_frame = fitdecode.FIT_FRAME_DATA
    count = 0
    try:
        for frame in reader:
            if frame.frame_type != data_frame:
                continue
            name = frame.name
            if name == "record":
                _add_record(track, _fields(frame, DevFieldDefinition), dev_units)
                count += 1
                if progress is not None and count % 2000 == 0:
                    progress(stream.tell(), readable)
                continue
            values = _fields(frame, DevFieldDefinition)
            if name == "event":
                if values.get("event") == "timer":
                    kind = str(values.get("event_type", ""))
                    at = values.get("timestamp")
                    if at is None:
                        continue
                    if kind.startswith("stop"):
                        timer_stop = at + FIT_EPOCH
                    elif kind == "start" and timer_stop is not None:
                        decoded.pauses.append((timer_stop, at + FIT_EPOCH))
                        timer_stop = None
            elif name == "lap":
                start, end = values.get("start_time"), values.get("timestamp")
                if start is not None and end is not None and end >= start:
                    decoded.laps.append(Lap(start + FIT_EPOCH, end + FIT_EPOCH))
            elif name == "session":
                start = values.get("start_time")
                end = values.get("timestamp")
                if start is not None and values.get("total_elapsed_time") is not None:
                    end = start + values["total_elapsed_time"]
                decoded.legs.append(
                    Leg(
                        sport=_text(values.get("sport")),
                        sub_sport=_text(values.get("sub_sport")),
                        start=start + FIT_EPOCH if start is not None else None,
                        end=end + FIT_EPOCH if end is not None else None,
                    )
                )
                first_session = False
            elif name == "sport" and first_session and decoded.sport is None:
                decoded.sport = _text(values.get("sport"))
            elif name == "file_id" and not file_id:
                file_id = values
                file_type = values.get("type")
                if file_type is not None and file_type != "activity":
                    raise ActivityFileError(
                        f"{shown}: a FIT {file_type} file, not a recorded activity",
                        hint="give the activity file of a run (GARMIN/Activity/*.fit on the "
                        "watch, or 'Export Original' in Garmin Connect)",
                    )
            elif name == "field_description":
                field_name = values.get("field_name")
                if field_name:
                    dev_units[str(field_name).lower()] = str(values.get("units", "")).lower()
    except fitdecode.FitEOFError as exc:
        decoded.damage = decoded.damage or Damage(exc.offset, len(data), "the file ends early")
    except fitdecode.FitHeaderError as exc:
        decoded.damage = Damage(_offset(exc, track), len(data), "a corrupt FIT header")
    except fitdecode.FitParseError as exc:
        detail = str(exc).split(": ", 1)[-1]
        decoded.damage = Damage(exc.offset, len(data), f"damaged data ({detail})")
    except (fitdecode.FitError, struct.error, ValueError, KeyError, IndexError) as exc:
        decoded.damage = Damage(
            decoded.damage.read_bytes if decoded.damage else 0, len(data), f"damaged data ({exc})"
        )
    decoded.device = _device(file_id)
    created = file_id.get("time_created")
    starts = [leg.start for leg in decoded.legs if leg.start is not None]
    if starts:
        decoded.start = min(starts)
    elif len(track):
        decoded.start = track.time[0]
    elif created is not None:
        decoded.start = created + FIT_EPOCH
    return decoded


def _offset(exc: Exception, track: Track) -> int:
    text = str(exc)
    if "@ " in text:
        tail = text.rsplit("@ ", 1)[1].split()[0].rstrip(")")
        if tail.isdigit():
            return int(tail)
    return 0


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


_MM = {"cm": 10.0, "mm": 1.0, "m": 1000.0}
_SEMICIRCLE = 180.0 / 2**31  # degrees per FIT semicircle


def _add_record(track: Track, rec: dict[str, Any], dev_units: dict[str, str]) -> None:
    stamp = rec.get("timestamp")
    if stamp is None:
        return
    cadence = rec.get("cadence")
    if cadence is not None:
        cadence = 2.0 * (cadence + (rec.get("fractional_cadence") or 0.0))
    stance = rec.get("stance_time")
    if stance is None and "dev:ground time" in rec:
        stance = rec["dev:ground time"]
    oscillation = rec.get("vertical_oscillation")
    if oscillation is None and "dev:vertical oscillation" in rec:
        oscillation = rec["dev:vertical oscillation"] * _MM.get(
            dev_units.get("vertical oscillation", "cm"), 1.0
        )
    lat, lon = rec.get("position_lat"), rec.get("position_long")
    track.add(
        stamp + FIT_EPOCH,
        rec.get("distance"),
        rec.get("enhanced_speed", rec.get("speed")),
        lat * _SEMICIRCLE if isinstance(lat, int) else None,
        lon * _SEMICIRCLE if isinstance(lon, int) else None,
        (  # _ORDER, then stiffness and heart rate
            cadence,
            stance,
            oscillation,
            rec.get("vertical_ratio"),
            rec.get("stance_time_balance"),
            rec.get("step_length"),
            rec.get("power", rec.get("dev:power")),
            rec.get("dev:form power"),
            rec.get("dev:leg spring stiffness"),
            rec.get("heart_rate"),
        ),
    )
