"""A form check against the practice log: the record it is stored as, and what changed
since the previous one (``previous`` of the reports).

The log knows nothing of the video package: medians go in under their JSON names, and
come back out to be compared here, measure by measure, over both feet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pose_coach.log.forms import FEET_KEYS, FormMedian, FormRecord
from pose_coach.video.bands import CONTEXT, band_for
from pose_coach.video.model import INFO, MEASURES, FormAnalysis, Summary

_RANK = {"good": 0, "watch": 1, "fault": 2}


def form_record(
    analysis: FormAnalysis,
    *,
    file_name: str,
    file_sha256: str,
    app_version: str,
    analysed_at: datetime | None = None,
) -> FormRecord:
    """The row ``analysis`` is stored as."""
    moment = (analysed_at or datetime.now(timezone.utc)).astimezone(timezone.utc)
    m = analysis.measures
    by_feet: dict[str, dict[str, FormMedian]] = {}
    for feet, summaries in zip(FEET_KEYS, (m.both, m.left, m.right), strict=True):
        by_feet[feet] = {
            INFO[key].json: FormMedian(s.value, s.unit, s.strides, s.confidence)
            for key, s in summaries.items()
        }
    return FormRecord(
        analysed_at=moment.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        analysed_epoch=int(moment.timestamp()),
        file_name=file_name,
        file_sha256=file_sha256,
        fps=analysis.options.fps,
        capture_fps=analysis.options.capture_fps,
        frames=analysis.frames,
        duration_s=analysis.duration,
        width=analysis.width,
        height=analysis.height,
        person=analysis.runner.person,
        side=analysis.side,
        strides=len(m.strides),
        faults=tuple(f.fault for f in analysis.faults),
        app_version=app_version,
        medians=by_feet,
    )


@dataclass(frozen=True)
class Change:
    """One median, then and now (both feet)."""

    measure: str  # a measure key
    before: float
    after: float
    unit: str
    verdict: str | None  # "better" / "worse" when the band changed; None: same band

    @property
    def delta(self) -> float:
        return self.after - self.before

    def text(self) -> str:
        """``foot ahead 22 → 15 % leg (-7)``: how a report says it."""
        info = INFO[self.measure]
        d = info.digits
        words = f"{info.label} {self.before:.{d}f} → {self.after:.{d}f} {info.unit}"
        words += f" ({self.delta:+.{d}f}"
        return words + (f", {self.verdict})" if self.verdict else ")")

    def to_dict(self) -> dict[str, object]:
        return {
            "measure": INFO[self.measure].json,
            "unit": self.unit,
            "before": self.before,
            "after": self.after,
            "change": self.delta,
            "verdict": self.verdict,
        }


def changes(analysis: FormAnalysis, previous: FormRecord | None) -> list[Change]:
    """Each median measured both times, in table order, with whether its band moved."""
    if previous is None:
        return []
    out = []
    now: dict[str, Summary] = dict(analysis.measures.both)
    for key in MEASURES:
        if key not in now:
            continue
        before = previous.median(INFO[key].json)
        if before is None:
            continue
        after = now[key].value
        verdict = None
        if key not in CONTEXT:
            was, is_ = _RANK[band_for(key, before).level], _RANK[band_for(key, after).level]
            verdict = "better" if is_ < was else "worse" if is_ > was else None
        out.append(Change(key, before, after, INFO[key].unit, verdict))
    return out


@dataclass(frozen=True)
class FormLog:
    """What the practice log made of a form check: the check it is compared with, and
    whether it was stored (a log that cannot be read or written never stops the report:
    ``problem`` says why)."""

    previous: FormRecord | None = None
    stored: bool = False
    new: bool = False
    checks: int = 0  # form checks in the log, this one included
    problem: str | None = None
    read: bool = False  # the log was read: ``previous`` None means there is none

    def message(self) -> str | None:
        """One line for the report's end, or None."""
        if self.problem:
            return f"Not stored in the practice log: {self.problem}"
        if not self.stored:
            return None
        if self.new:
            return f"Stored in the practice log: form check {self.checks}."
        return "Already in the practice log (the same clip): its row was updated."


def keep_in_log(record: FormRecord, *, store: bool = True, log_path: Path | None = None) -> FormLog:
    """Find the previous form check of another clip, then store ``record`` (unless
    ``store`` is off: then the log is only read, and not created)."""
    from pose_coach.errors import PoseCoachError
    from pose_coach.log.forms import form_count, previous_form, save_form
    from pose_coach.log.store import open_log

    try:
        log = open_log(log_path, create=store)
    except PoseCoachError as error:
        return FormLog(problem=error.message)
    if log is None:
        return FormLog(read=True)
    try:
        with log:
            previous = previous_form(log, file_sha256=record.file_sha256)
            if not store:
                return FormLog(previous=previous, read=True)
            _, new = save_form(log, record)
            return FormLog(previous, stored=True, new=new, checks=form_count(log), read=True)
    except PoseCoachError as error:
        return FormLog(problem=error.message)
