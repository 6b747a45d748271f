"""``analyse_run``: the one core function of ``pose-coach run``. A file in, a report out.

source → decode → clean → measures → bands → baseline (the log) → faults → drills →
store in the log. Nothing here prints: notes for the user travel in the report, and
expected failures are ActivityFileError (exit 1).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from pose_coach.activity.bands import Band, band_for
from pose_coach.activity.baseline import Baseline, find_baseline
from pose_coach.activity.clean import CleanRun, clean_run
from pose_coach.activity.faults import Finding, find_faults
from pose_coach.activity.measures import Split, Summary, km_splits, lap_splits, summarise
from pose_coach.activity.model import FORM_MEASURES, INFO, MEASURES, POWER, Decoded, Device
from pose_coach.activity.prescribe import Prescription
from pose_coach.activity.source import SourceFile, decode, load_source
from pose_coach.library.model import Entry

if TYPE_CHECKING:
    from pose_coach.log.runs import RunRecord

BY = ("km", "lap")


@dataclass(frozen=True)
class RunRequest:
    path: Path
    by: str = "km"  # "km" or "lap"
    check_crc: bool = True
    as_run: bool = False  # analyse a file whose sport says otherwise
    store: bool = True  # keep the run in the practice log
    log_path: Path | None = None  # None: the user's practice log
    now: datetime | None = None  # when it was imported (tests pin it)
    progress: Callable[[float, float], None] | None = None  # told as a big file is read


@dataclass
class LogOutcome:
    stored: bool
    new: bool = False
    runs_on_device: int = 0
    problem: str | None = None  # why it was not stored or compared


@dataclass
class RunReport:
    source: SourceFile
    decoded: Decoded
    run: CleanRun
    by: str
    splits: list[Split]
    summary: Summary
    bands: dict[str, Band]
    baseline: Baseline | None
    findings: list[Finding]
    prescriptions: list[Prescription]
    log: LogOutcome
    notes: list[str] = field(default_factory=list)

    @property
    def device(self) -> Device:
        return self.decoded.device

    @property
    def started_at(self) -> datetime:
        """The run's own start: the file's, or its first run leg's in a multisport file."""
        start = self.decoded.start
        if start is None or self.run.multisport:
            start = self.run.track.time[0]
        return datetime.fromtimestamp(start, timezone.utc)

    @property
    def sport(self) -> str | None:
        sports = self.decoded.sports
        return sports[0] if sports else None

    @property
    def present(self) -> frozenset[str]:
        return self.run.present

    @property
    def measured(self) -> list[str]:
        return [k for k in MEASURES if k in self.present]

    @property
    def missing(self) -> list[str]:
        """Form measures the file lacks (and that could not be worked out)."""
        return [k for k in FORM_MEASURES if k not in self.present]


def analyse_run(
    request: RunRequest, entries: Callable[[], Mapping[str, Entry]] | None = None
) -> RunReport:
    """Read, clean, measure and judge one run; store it in the practice log if asked.

    ``entries`` loads the drill library when a finding needs drills (the command passes
    its ``load_library``, which warns about broken user files); None prescribes nothing.
    """
    if request.by not in BY:
        raise ValueError(f"by must be one of {BY}")
    source = load_source(request.path)
    decoded = decode(source, check_crc=request.check_crc, progress=request.progress)
    run = clean_run(decoded, source.shown, as_run=request.as_run)
    notes = [decoded.damage.describe() + "; analysing what was read"] if decoded.damage else []
    notes += decoded.notes + run.notes
    if request.by == "lap" and not decoded.laps:
        notes.append(f"the {decoded.format.upper()} file has no laps: split per km instead")
    by = "lap" if request.by == "lap" and decoded.laps else "km"
    splits = lap_splits(run, decoded.laps) if by == "lap" else km_splits(run)
    summary = summarise(run)
    bands = {k: b for k in MEASURES if (b := band_for(k, summary.values.get(k))) is not None}
    report = RunReport(
        source=source,
        decoded=decoded,
        run=run,
        by=by,
        splits=splits,
        summary=summary,
        bands=bands,
        baseline=None,
        findings=[],
        prescriptions=[],
        log=LogOutcome(stored=False),
        notes=notes,
    )
    _with_log(report, request)
    report.findings = find_faults(summary.values, summary.pace, report.baseline)
    if report.findings and entries is not None:
        from pose_coach.activity.prescribe import prescribe

        report.prescriptions = prescribe(report.findings, entries())
    return report


def _with_log(report: RunReport, request: RunRequest) -> None:
    """Compare with the runner's earlier runs, then store this one (unless told not to)."""
    from pose_coach.errors import PoseCoachError
    from pose_coach.log.store import open_log

    try:
        log = open_log(request.log_path, create=request.store)
    except PoseCoachError as error:
        report.log = LogOutcome(stored=False, problem=error.message)
        return
    if log is None:
        report.log = LogOutcome(stored=False)
        return
    started = int(report.started_at.timestamp())
    key = report.device.key
    try:
        with log:
            if report.summary.pace is not None:
                report.baseline = find_baseline(
                    log, device_key=key, pace=report.summary.pace, before_epoch=started
                )
            if request.store:
                from pose_coach.log.runs import save_run

                _, new = save_run(log, _record(report, request.now))
                count = log.conn.execute(
                    "SELECT COUNT(*) FROM runs WHERE device_key = ?", (key,)
                ).fetchone()[0]
                report.log = LogOutcome(stored=True, new=new, runs_on_device=int(count))
    except PoseCoachError as error:
        report.log = LogOutcome(stored=False, problem=error.message)


def _record(report: RunReport, now: datetime | None) -> RunRecord:
    from pose_coach import __version__
    from pose_coach.log.runs import MEASURE_COLUMNS, RunRecord, StoredSplit
    from pose_coach.log.store import format_utc

    def columns(values: dict[str, float | None]) -> dict[str, float | None]:
        return {
            INFO[k].json: values.get(k) for k in FORM_MEASURES if INFO[k].json in MEASURE_COLUMNS
        }

    # stored splits are always per km: what stats compares, whatever --by showed
    kilometres = report.splits if report.by == "km" else km_splits(report.run)
    summary = report.summary
    return RunRecord(
        started_at=format_utc(report.started_at),
        started_epoch=int(report.started_at.timestamp()),
        device=report.device.name,
        device_key=report.device.key,
        sport=report.sport,
        source_format=report.decoded.format,
        file_name=report.source.name,
        file_sha256=report.source.fingerprint,
        metres=summary.metres,
        moving_seconds=summary.moving_seconds,
        pace_s_per_km=summary.pace,
        values={**columns(summary.values), "power_w": summary.values.get(POWER)},
        imported_at=format_utc(now or datetime.now(timezone.utc)),
        app_version=__version__,
        splits=tuple(
            StoredSplit(
                number=s.index,
                metres=s.metres,
                moving_seconds=s.moving_seconds,
                pace_s_per_km=s.pace,
                main=s.main and "walk" not in s.parts and s.metres >= 500,
                values=columns(s.values),
            )
            for s in kilometres
        ),
    )
