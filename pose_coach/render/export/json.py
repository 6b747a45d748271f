"""JSON export: the compiled timeline as one document other tools can build on.

``events`` holds exactly the objects ``pose-coach drill ID --json --dry-run`` prints, in
the same order (schema: docs/events.md); the top level adds the schema version and the
session header so a reader need not scan for ``session_start``.
"""

from __future__ import annotations

import json
from typing import Any

from pose_coach.events import event_object
from pose_coach.numbers import finite
from pose_coach.timeline import Timeline, round_seconds


def export_document(timeline: Timeline) -> dict[str, Any]:
    document = timeline.header()  # schema, id, kind, title, phases, total, steps
    document["lead_in"] = round_seconds(timeline.lead_in)  # as the events round their times
    document["events"] = [event_object(e, timeline) for e in timeline.events]
    return document


def json_bytes(timeline: Timeline) -> bytes:
    text = json.dumps(
        finite(export_document(timeline)), ensure_ascii=False, indent=2, allow_nan=False
    )
    return (text + "\n").encode("utf-8")
