"""TCX and GPX files, and XML that tries to hurt: bombs, external entities, broken XML."""

from __future__ import annotations

import time

import pytest
from activity_files import Stretch, gpx_text, standard_run, tcx_text

from pose_coach.activity.clean import clean_run
from pose_coach.activity.errors import ActivityFileError, NotARunError
from pose_coach.activity.model import CADENCE
from pose_coach.activity.source import decode, load_source
from pose_coach.activity.xmlsafe import parse_time


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_tcx_run(tmp_path):
    decoded = decode(load_source(_write(tmp_path, "run.tcx", tcx_text(standard_run()))))
    assert decoded.format == "tcx"
    assert decoded.sports == ["running"]
    assert decoded.device.product == "Forerunner 945" and decoded.device.serial == "3990000001"
    assert len(decoded.laps) == 8  # one per 1000 m of 7.3 km
    assert set(decoded.track.values[CADENCE]) == {162.0, 172.0, 112.0}  # RunCadence × 2
    run = clean_run(decoded, "run.tcx")
    assert run.warm_up is not None and run.cool_down is not None
    assert len(run.walk_breaks) == 1


def test_a_gpx_run_gets_its_distance_from_the_positions(tmp_path):
    decoded = decode(load_source(_write(tmp_path, "run.gpx", gpx_text(standard_run()))))
    assert decoded.format == "gpx" and decoded.sports == ["running"]
    assert decoded.device.product == "Garmin Connect"
    run = clean_run(decoded, "run.gpx")
    expected = sum(s.speed * s.seconds for s in standard_run())
    assert run.distance[-1] == pytest.approx(expected, rel=0.01)


def test_a_gpx_without_a_sport_is_read_as_a_run_and_says_so(tmp_path):
    path = _write(tmp_path, "track.gpx", gpx_text([Stretch(300)], kind=None))
    run = clean_run(decode(load_source(path)), "track.gpx")
    assert run.notes == ["the file does not say which sport it is: read as a run"]


def test_a_strava_gpx_type_number(tmp_path):
    path = _write(tmp_path, "ride.gpx", gpx_text([Stretch(300, speed=7.0)], kind="1"))
    with pytest.raises(NotARunError, match="not a run: cycling"):
        clean_run(decode(load_source(path)), "ride.gpx")


def test_a_tcx_ride_is_not_a_run(tmp_path):
    path = _write(tmp_path, "ride.tcx", tcx_text([Stretch(300, speed=7.0)], sport="Biking"))
    with pytest.raises(NotARunError, match="not a run: biking"):
        clean_run(decode(load_source(path)), "ride.tcx")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<gpx version="1.1" creator="&lol9;"><trk><trkseg></trkseg></trk></gpx>
"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE TrainingCenterDatabase [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<TrainingCenterDatabase><Activities><Activity Sport="Running"><Id>&secret;</Id>
</Activity></Activities></TrainingCenterDatabase>
"""

QUADRATIC = (
    '<?xml version="1.0"?>\n<!DOCTYPE gpx [<!ENTITY a "'
    + "x" * 50000
    + '">]>\n<gpx>'
    + "&a;" * 50000
    + "</gpx>\n"
)


@pytest.mark.parametrize(
    "name, text",
    [("bomb.gpx", BILLION_LAUGHS), ("external.tcx", EXTERNAL), ("quadratic.gpx", QUADRATIC)],
)
def test_xml_bombs_and_entities_are_refused_at_once(tmp_path, name, text):
    path = _write(tmp_path, name, text)
    began = time.process_time()
    with pytest.raises(ActivityFileError, match=r":2: refused: the file declares a DOCTYPE"):
        decode(load_source(path))
    assert time.process_time() - began < 1.0  # refused, not expanded then rejected


def test_broken_xml_names_its_line(tmp_path):
    text = tcx_text(standard_run())
    path = _write(tmp_path, "cut.tcx", text[: len(text) // 2])
    with pytest.raises(ActivityFileError, match=r"cut.tcx:\d+:\d+: not well-formed XML"):
        decode(load_source(path))


def test_a_utf8_bom_and_whitespace_before_the_xml(tmp_path):
    path = tmp_path / "bom.gpx"
    path.write_bytes(b"\xef\xbb\xbf\n  " + gpx_text([Stretch(120)]).encode("utf-8"))
    assert decode(load_source(path)).format == "gpx"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-05-06T06:00:00Z", 1714975200.0),
        ("2024-05-06T06:00:00.5Z", 1714975200.5),
        ("2024-05-06T08:00:00+02:00", 1714975200.0),
        ("2024-05-06T06:00:00", 1714975200.0),  # no offset: UTC, as TCX and GPX define it
        ("2024-05-06T06:00:00.123456789Z", 1714975200.123456),
        ("yesterday", None),
        ("", None),
    ],
)
def test_times(text, expected):
    assert parse_time(text) == (pytest.approx(expected) if expected is not None else None)
