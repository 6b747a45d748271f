"""The rules of a plan, as pure functions: a runner's record → where they are and why.

:func:`evaluate` replays what the practice log holds for one plan followed (each session
done or skipped, each check-in, each cadence baseline), in the order it happened, and
applies the plan's rules at each step:

- a **sharp pain** stops the plan: no more sessions until a clinician has seen it;
- **soreness at or above** ``step_back.soreness_at_least`` steps back one week at once;
- **``missed_days`` days without a session** step back one week (two such spells, two);
- a **week** with all its sessions accounted for is judged when the next one begins (or
  today), so a check-in the morning after its last session still counts: every session
  done, a check-in given and soreness at most ``progress.soreness_at_most`` (and not
  rising at ``hold.soreness_rising`` check-ins in a row) move on to the next week;
  anything else holds the week;
- the **metronome** for the pieces in form starts at +``step_percent`` % of the runner's
  own cadence in ``cadence.from_week`` and rises one step when a week moves on and its
  metronome was said to feel easy, never past ``max_percent`` %.

The rules only ever hold or move the runner back; a week is never skipped forward, so
no runner gets more running in the new form than the plan (checked against its sources
by ``plan/limits.py``) prescribes. Nothing here reads a clock: ``today`` is a parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum

from pose_coach import words
from pose_coach.log.plans import CadenceBaseline, Checkin, PlanDayRecord
from pose_coach.plan.model import Plan
from pose_coach.plan.schedule import is_training_day, next_training_day, training_days


class DecisionKind(str, Enum):
    """What the plan decided last; the values are public (``plan status --json``)."""

    START = "start"  # nothing done yet
    GO_ON = "go_on"  # within a week, all is well: the plan goes on
    PROGRESS = "progress"  # a week done well: the next week
    HOLD = "hold"  # the week again
    STEP_BACK = "step_back"  # back one week
    STOP = "stop"  # a sharp pain: stop, see a clinician
    FINISHED = "finished"  # the last week done well


class TodayKind(str, Enum):
    """What today is for the runner; the values are public (``today --json``)."""

    SESSION = "session"  # a training day with a session due
    MISSED = "missed"  # a session was missed: do it today or skip it
    DONE = "done"  # today's session is done
    REST = "rest"
    BEFORE_START = "before_start"
    STOPPED = "stopped"
    FINISHED = "finished"


@dataclass(frozen=True)
class Decision:
    kind: DecisionKind
    reason: str  # why, in words: "soreness 6/10 on Wed 12 Mar (5/10 or more)"
    on: date
    week: int  # the week it led to

    def to_dict(self) -> dict:
        return {
            "kind": self.kind.value,
            "reason": self.reason,
            "date": self.on.isoformat(),
            "week": self.week,
        }


@dataclass(frozen=True)
class PlanState:
    """Where a runner is in a plan on a given day, and why."""

    today: date
    week: int  # the week now (1-based); the last week when finished
    day: int  # the next session of that week (1-based)
    week_complete: bool  # every session of the week accounted for, not judged yet
    decision: Decision  # the last decision that moved (or kept) the runner here
    today_kind: TodayKind
    next_date: date | None  # when the next session is due (today when due today)
    missed: tuple[date, ...] = ()  # training days missed since the last session
    done: dict[int, str] = field(default_factory=dict)  # this week: day → done/skipped
    done_on: dict[int, date] = field(default_factory=dict)  # this week: day → date
    last_checkin: Checkin | None = None
    stopped: Checkin | None = None  # the check-in with the sharp pain
    cadence_level: int = 0  # metronome steps above the runner's own cadence
    baseline: CadenceBaseline | None = None
    history: tuple[Decision, ...] = ()  # every change of week, oldest first
    sessions_done: int = 0
    sessions_skipped: int = 0
    rising: tuple[int, ...] = ()  # the last soreness values, when they are rising
    week_checkins: tuple[Checkin, ...] = ()  # check-ins since this week began

    @property
    def finished(self) -> bool:
        return self.today_kind is TodayKind.FINISHED

    @property
    def is_stopped(self) -> bool:
        return self.today_kind is TodayKind.STOPPED


def cadence_target(baseline: int, level: int, step_percent: int) -> int:
    """The metronome for the pieces in form: ``level`` steps of ``step_percent`` % above
    the runner's own cadence, as a whole number of steps per minute."""
    return max(60, min(240, round(baseline * (1 + level * step_percent / 100))))


class _Replay:
    """The plan's state, moved event by event."""

    def __init__(self, plan: Plan, start: date, days: tuple[int, ...]) -> None:
        self.plan = plan
        self.start = start
        self.days = days
        self.week = 1
        self.accounted: dict[int, str] = {}
        self.accounted_on: dict[int, date] = {}
        self.week_checkins: list[Checkin] = []
        self.last_done: date | None = None
        self.last_record: date | None = None
        self.gap_steps = 0  # step-backs already taken for the current spell without sessions
        self.decision = Decision(DecisionKind.START, "the plan starts", start, 1)
        self.history: list[Decision] = []
        self.stopped: Checkin | None = None
        self.finished = False
        self.last_checkin: Checkin | None = None
        self.level = 0
        self.baseline: CadenceBaseline | None = None
        self.cadence_known = False  # the runner's own cadence (a setting, or a baseline)
        self.done_count = 0
        self.skipped_count = 0
        self.soreness_run: list[int] = []  # soreness values of recent check-ins, in order
        self.checked_in_since_record = False
        self.cadence_said: list[bool] = []  # "did the metronome feel easy", this week
        self._start_cadence()

    # -- moving weeks ---------------------------------------------------------

    def _move(self, kind: DecisionKind, week: int, reason: str, on: date) -> None:
        self.week = week
        self.accounted = {}
        self.accounted_on = {}
        self.week_checkins = []
        self.cadence_said = []
        self.decision = Decision(kind, reason, on, week)
        self.history.append(self.decision)
        self._start_cadence()

    def _start_cadence(self) -> None:
        rule = self.plan.cadence
        if rule is not None and self.week >= rule.from_week and self.level == 0:
            self.level = 1  # the first step: a little above the runner's own cadence

    def _step_back(self, reason: str, on: date) -> None:
        if self.week > 1:
            self._move(
                DecisionKind.STEP_BACK,
                self.week - 1,
                f"{reason}, so the plan steps back to week {self.week - 1}",
                on,
            )
        else:
            self._move(DecisionKind.STEP_BACK, 1, f"{reason}, so week 1 starts again", on)

    def catch_up(self, on: date) -> None:
        """Apply the missed-days rule up to ``on``: one week back per spell."""
        if self.last_done is None or self.stopped or self.finished:
            return
        spells = (on - self.last_done).days // self.plan.rules.missed_days
        while self.gap_steps < spells:
            self.gap_steps += 1
            gap = self.gap_steps * self.plan.rules.missed_days
            since = words.day_date(self.last_done)
            self._step_back(f"no session for {gap} days since {since}", on)

    def judge_week(self, on: date) -> None:
        """A week whose sessions are all accounted for: on, hold, or finished."""
        week = self.plan.week(self.week)
        if len(self.accounted) < len(week.sessions) or self.stopped or self.finished:
            return
        rules = self.plan.rules
        skipped = sum(1 for status in self.accounted.values() if status == "skipped")
        values = [c.soreness for c in self.week_checkins if c.soreness is not None]
        rising = _rising(self.soreness_run, rules.rising)
        number = self.week
        if skipped:
            self._move(
                DecisionKind.HOLD,
                number,
                f"{words.plural(skipped, 'session')} of week {number} skipped, "
                f"so the plan holds at week {number}",
                on,
            )
        elif not values:
            self._move(
                DecisionKind.HOLD,
                number,
                f"no check-in during week {number}, so the plan holds at week {number} "
                "until you say how your calves feel",
                on,
            )
        elif max(values) > rules.progress_max:
            self._move(
                DecisionKind.HOLD,
                number,
                f"soreness reached {max(values)}/10 in week {number} (above "
                f"{rules.progress_max}/10), so the plan holds at week {number}",
                on,
            )
        elif rising:
            shown = " → ".join(str(v) for v in rising)
            self._move(
                DecisionKind.HOLD,
                number,
                f"soreness rose at {len(rising)} check-ins in a row ({shown}), "
                f"so the plan holds at week {number}",
                on,
            )
        else:
            raised = self._raise_cadence()
            extra = ""
            if raised and self.plan.cadence is not None:
                extra = f"; the metronome goes up {self.plan.cadence.step_percent} %"
            if number == len(self.plan.weeks):
                self.finished = True
                self.decision = Decision(
                    DecisionKind.FINISHED,
                    f"week {number} done with soreness at most {max(values)}/10: "
                    "the plan is finished",
                    on,
                    number,
                )
                self.history.append(self.decision)
                return
            self._move(
                DecisionKind.PROGRESS,
                number + 1,
                f"week {number} done with soreness at most {max(values)}/10, "
                f"so the plan moves on to week {number + 1}{extra}",
                on,
            )

    def _raise_cadence(self) -> bool:
        rule = self.plan.cadence
        if rule is None or not self.cadence_known or self.week < rule.from_week:
            return False
        if not self.plan.week(self.week).form_minutes:
            return False
        said = self.cadence_said
        if not said or not all(said) or self.level >= rule.max_level:
            return False
        self.level += 1
        return True

    # -- events ---------------------------------------------------------------

    def day(self, record: PlanDayRecord) -> None:
        self.catch_up(record.on_date)
        self.judge_week(record.on_date)
        if self.stopped or self.finished:
            return
        sessions = len(self.plan.week(self.week).sessions)
        number = next((d for d in range(1, sessions + 1) if d not in self.accounted), None)
        if number is None:  # cannot happen: a full week was judged above
            return
        self.accounted[number] = record.status
        self.accounted_on[number] = record.on_date
        self.last_record = record.on_date
        self.checked_in_since_record = False
        if record.status == "done":
            self.done_count += 1
            self.last_done = record.on_date
            self.gap_steps = 0
        else:
            self.skipped_count += 1
        if self.decision.kind is DecisionKind.START:
            self.decision = Decision(
                DecisionKind.GO_ON, "the plan goes on", record.on_date, self.week
            )

    @property
    def week_complete(self) -> bool:
        return len(self.accounted) >= len(self.plan.week(self.week).sessions)

    def checkin(self, checkin: Checkin) -> None:
        self.catch_up(checkin.on_date)
        if self.stopped or self.finished:
            self.last_checkin = checkin
            return
        self.last_checkin = checkin
        when = words.day_date(checkin.on_date)
        if checkin.sharp_pain:
            self.stopped = checkin
            self.decision = Decision(
                DecisionKind.STOP,
                f"a sharp pain on {when}: stop running in the new form and see a clinician",
                checkin.on_date,
                self.week,
            )
            self.history.append(self.decision)
            return
        if checkin.soreness is None:
            return
        self.soreness_run.append(checkin.soreness)
        limit = self.plan.rules.step_back_min
        if checkin.soreness >= limit:
            self.soreness_run = []
            self._step_back(
                f"soreness {checkin.soreness}/10 on {when} ({limit}/10 or more)", checkin.on_date
            )
            return
        self.week_checkins.append(checkin)
        self.checked_in_since_record = True
        if checkin.cadence_easy is not None:
            self.cadence_said.append(checkin.cadence_easy)

    def baseline_measured(self, baseline: CadenceBaseline) -> None:
        self.baseline = baseline
        self.cadence_known = True
        self.cadence_said = []  # what was said was about the old metronome
        rule = self.plan.cadence
        self.level = 1 if rule is not None and self.week >= rule.from_week else 0


def _rising(values: Sequence[int], count: int | None) -> tuple[int, ...]:
    """The last ``count`` soreness values when each is higher than the one before."""
    if not count or len(values) < count:
        return ()
    last = list(values[-count:])
    if all(b > a for a, b in zip(last, last[1:], strict=False)):
        return tuple(last)
    return ()


def evaluate(
    plan: Plan,
    start: date,
    days: tuple[int, ...],
    records: Sequence[PlanDayRecord],
    checkins: Sequence[Checkin],
    today: date,
    baselines: Sequence[CadenceBaseline] = (),
    cadence_known: bool = False,
) -> PlanState:
    """Where the runner stands in ``plan`` on ``today``, from everything recorded so far.

    ``cadence_known``: the runner's own cadence is known from the start (a setting); a
    baseline makes it known from when it was measured. Without it the metronome never rises.
    """
    replay = _Replay(plan, start, days)
    replay.cadence_known = cadence_known
    events: list[tuple[int, int, int, object]] = []
    events += [(r.recorded_epoch, 1, r.id, r) for r in records]
    events += [(c.recorded_epoch, 2, c.id, c) for c in checkins]
    events += [(b.measured_epoch, 0, b.id, b) for b in baselines]
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    for _, _, _, event in events:
        if isinstance(event, PlanDayRecord):
            replay.day(event)
        elif isinstance(event, Checkin):
            replay.checkin(event)
        elif isinstance(event, CadenceBaseline):
            replay.baseline_measured(event)
    # as of today: spells without sessions, and a week whose sessions are all done (judged
    # once it has a check-in after its last session, or from the next day on: the runner
    # who finished the week today is asked how their calves feel first)
    replay.catch_up(today)
    if replay.week_complete and not replay.stopped and not replay.finished:
        last = replay.last_record
        if replay.checked_in_since_record or (last is not None and today > last):
            replay.judge_week(today)
    return _state(replay, today)


def _state(replay: _Replay, today: date) -> PlanState:
    plan, days = replay.plan, replay.days
    week = plan.week(replay.week)
    sessions = len(week.sessions)
    next_day = next((d for d in range(1, sessions + 1) if d not in replay.accounted), sessions)
    # a session done today (it may have closed a week, judged just now: last_done says so)
    done_today = replay.last_done == today
    missed: tuple[date, ...] = ()
    if replay.stopped:
        kind, next_date = TodayKind.STOPPED, None
    elif replay.finished:
        kind, next_date = TodayKind.FINISHED, None
    elif today < replay.start:
        kind, next_date = TodayKind.BEFORE_START, next_training_day(days, replay.start)
    elif done_today:
        kind, next_date = TodayKind.DONE, next_training_day(days, today + timedelta(days=1))
    else:
        anchor = replay.last_record or (replay.start - timedelta(days=1))
        if replay.decision.kind is DecisionKind.STEP_BACK and replay.decision.on > anchor:
            anchor = replay.decision.on - timedelta(days=1)  # a fresh start after a gap
        first = max(anchor + timedelta(days=1), replay.start)
        missed = tuple(training_days(days, first, today - timedelta(days=1)))
        if missed:
            kind, next_date = TodayKind.MISSED, today
        elif is_training_day(today, days):
            kind, next_date = TodayKind.SESSION, today
        else:
            kind, next_date = TodayKind.REST, next_training_day(days, today)
    return PlanState(
        today=today,
        week=replay.week,
        day=next_day,
        week_complete=replay.week_complete and not replay.finished,
        decision=replay.decision,
        today_kind=kind,
        next_date=next_date,
        missed=missed,
        done=dict(replay.accounted),
        done_on=dict(replay.accounted_on),
        last_checkin=replay.last_checkin,
        stopped=replay.stopped,
        cadence_level=replay.level,
        baseline=replay.baseline,
        history=tuple(replay.history),
        sessions_done=replay.done_count,
        sessions_skipped=replay.skipped_count,
        rising=_rising(replay.soreness_run, plan.rules.rising),
        week_checkins=tuple(replay.week_checkins),
    )


def projected_dates(
    state: PlanState, plan: Plan, days: tuple[int, ...]
) -> dict[tuple[int, int], date]:
    """(week, day) → the date each remaining session falls on if none is missed from now."""
    if state.next_date is None:
        return {}
    out: dict[tuple[int, int], date] = {}
    slots: list[tuple[int, int]] = []
    for week in plan.weeks[state.week - 1 :]:
        for day in range(1, len(week.sessions) + 1):
            if week.number == state.week and day in state.done:
                continue
            slots.append((week.number, day))
    day_cursor = state.next_date
    for slot in slots:
        day_cursor = next_training_day(days, day_cursor)
        out[slot] = day_cursor
        day_cursor += timedelta(days=1)
    return out
