"""Shared helpers for plan tests: the built-in plans, and records made by hand."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from pathlib import Path

from pose_coach.log.plans import CadenceBaseline, Checkin, PlanDayRecord
from pose_coach.plan.loader import load_plan_file
from pose_coach.plan.model import Plan

REPO = Path(__file__).resolve().parents[1]
PLANS = REPO / "drills" / "plans"

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def builtin_plan(plan_id: str) -> Plan:
    return load_plan_file(PLANS / f"{plan_id}.yaml", source="builtin")


def epoch(day: date, hour: int = 7, minute: int = 0) -> int:
    return int(datetime.combine(day, time(hour, minute), tzinfo=timezone.utc).timestamp())


class Record:
    """Records in the order a runner makes them; each gets a later id."""

    def __init__(self) -> None:
        self.days: list[PlanDayRecord] = []
        self.checkins: list[Checkin] = []
        self.baselines: list[CadenceBaseline] = []
        self._id = 0

    def _next(self) -> int:
        self._id += 1
        return self._id

    def done(self, day: date, hour: int = 7, status: str = "done") -> Record:
        self.days.append(PlanDayRecord(0, 0, status, day, "", epoch(day, hour), None, self._next()))
        return self

    def skip(self, day: date, hour: int = 7) -> Record:
        return self.done(day, hour, "skipped")

    def checkin(
        self,
        day: date,
        soreness: int | None,
        hour: int = 8,
        *,
        sharp: bool = False,
        easy: bool | None = None,
        epoch_value: int | None = None,
    ) -> Record:
        self.checkins.append(
            Checkin(
                on_date=day,
                recorded_at="",
                recorded_epoch=epoch_value if epoch_value is not None else epoch(day, hour),
                soreness=soreness,
                sharp_pain=sharp,
                cadence_easy=easy,
                id=self._next(),
            )
        )
        return self

    def baseline(self, day: date, spm: int, hour: int = 6) -> Record:
        self.baselines.append(
            CadenceBaseline(spm, "count", "", epoch(day, hour), spm // 4, 30, None, self._next())
        )
        return self

    def session(self, day: date, soreness: int, **kwargs) -> Record:
        """A session done and checked in just after."""
        return self.done(day).checkin(day, soreness, **kwargs)
