"""The scheduler on a FakeClock: exact deadlines, keys, open steps, no drift — in zero wall time."""

from __future__ import annotations

import math
from itertools import pairwise

import pytest

from pose_coach.library.model import Drill, Phase, Side, Step
from pose_coach.play.clock import FakeClock
from pose_coach.play.scheduler import PlayState, SessionResult, play
from pose_coach.timeline import Dose, Event, EventKind, Timeline, compile_timeline

START = 1000.0


def drill(*steps: Step, sets: int = 1, rest: float = 0.0) -> Drill:
    return Drill("t", "Test", Phase.FALL, "A test drill.", tuple(steps), sets=sets, rest=rest)


def timeline(*steps: Step, sets: int = 1, rest: float = 0.0, lead_in: float = 0.0) -> Timeline:
    return compile_timeline(drill(*steps, sets=sets, rest=rest), dose=Dose(lead_in=lead_in))


TWO_STEPS = (Step("Lean", 4), Step("Pull", 6))


class Recorder:
    """Records what fired, when (on the clock), and every tick."""

    def __init__(self, clock: FakeClock, ticks: bool = False) -> None:
        self.clock = clock
        self.wants_ticks = ticks
        self.fired: list[tuple[EventKind, float, float]] = []  # kind, at, clock time
        self.ticks: list[tuple[float, float]] = []  # clock time, position
        self.result: SessionResult | None = None
        self.outcome: str | None = None

    def start(self, timeline: Timeline) -> None:
        self.timeline = timeline

    def event(self, event: Event, state: PlayState) -> None:
        self.fired.append((event.kind, event.at, self.clock.now()))
        if event.kind is EventKind.SESSION_END:
            self.outcome = state.outcome

    def tick(self, state: PlayState) -> None:
        self.ticks.append((self.clock.now(), state.position))

    def finish(self, result: SessionResult, state: PlayState) -> None:
        self.result = result

    def times(self, kind: EventKind = EventKind.CUE) -> list[float]:
        return [t - START for k, _, t in self.fired if k is kind]

    def ats(self, kind: EventKind = EventKind.CUE) -> list[float]:
        return [at for k, at, _ in self.fired if k is kind]


def run(tl: Timeline, keys=(), speed: float = 1.0, interactive=None, ticks=False, wait=False):
    clock = FakeClock(START, keys=keys, interactive=interactive)
    rec = Recorder(clock, ticks=ticks)
    result = play(tl, clock, [rec], speed, wait_open=wait)
    return result, rec, clock


@pytest.mark.parametrize("speed", [1.0, 10.0, 0.5])
def test_every_event_fires_exactly_at_its_planned_time(speed):
    tl = timeline(*TWO_STEPS, sets=2, rest=5, lead_in=3)
    result, rec, _ = run(tl, speed=speed)
    assert [(k, t) for k, _, t in rec.fired] == [(e.kind, START + e.at / speed) for e in tl.events]
    assert result.completed and result.reason == "completed"
    assert result.position == tl.total == 3 + (4 + 6) * 2 + 5
    assert result.wall_seconds == pytest.approx(tl.total / speed)
    # ``at`` stays in session seconds whatever the speed
    assert rec.ats() == [3, 7, 18, 22]


def test_pause_shifts_every_later_deadline_by_the_paused_time():
    tl = timeline(*TWO_STEPS, sets=2)  # cues at 0, 4, 10, 14; end 20
    result, rec, _ = run(tl, keys=[(5.5, " "), (12.5, " ")])
    assert rec.times() == [0, 4, 10 + 7, 14 + 7]
    assert rec.ats() == [0, 4, 10, 14]  # the session's own clock did not move
    assert rec.times(EventKind.SESSION_END) == [27]
    assert result.completed and result.position == 20
    assert result.wall_seconds == 27


def test_skip_fires_the_next_step_now_and_moves_the_rest_up():
    tl = timeline(*TWO_STEPS, sets=2)  # cues at 0, 4, 10, 14
    result, rec, _ = run(tl, keys=[(1, "n")])
    assert rec.times() == [0, 1, 7, 11]
    assert rec.ats() == [0, 1, 7, 11]
    assert result.completed and result.position == 17


def test_skip_in_the_countdown_starts_the_session_now_without_the_counts_left():
    tl = timeline(*TWO_STEPS, lead_in=3)  # counts 3, 2, 1 at 0, 1, 2; cues at 3, 7
    result, rec, _ = run(tl, keys=[(0.5, "n")])
    assert rec.ats(EventKind.COUNTDOWN) == [0]  # 2 and 1 are never said
    assert rec.times() == [0.5, 4.5]
    assert result.completed and result.position == 0.5 + 4 + 6


def test_plus_adds_ten_seconds_to_the_current_step_and_minus_takes_them():
    tl = timeline(*TWO_STEPS, sets=1)  # cues at 0, 4; end 10
    _, rec, _ = run(tl, keys=[(1, "+")])
    assert rec.times() == [0, 14]
    assert rec.times(EventKind.SESSION_END) == [20]
    # '-' never goes back before now: 3 s were left, so the next cue fires at once
    _, rec, _ = run(tl, keys=[(1, "-")])
    assert rec.times() == [0, 1]
    _, rec, _ = run(tl, keys=[(5, "-")])  # 5 s left of the 6 s pull
    assert rec.times(EventKind.SESSION_END) == [5]


def test_plus_and_minus_do_nothing_during_the_countdown_or_a_pause():
    tl = timeline(*TWO_STEPS, lead_in=3)
    _, rec, _ = run(tl, keys=[(1, "+"), (4, " "), (5, "+"), (6, " ")])
    assert rec.times() == [3, 7 + 2]


@pytest.mark.parametrize("key, reason", [("q", "quit"), ("interrupt", "interrupted")])
def test_quit_and_interrupt_stop_with_a_reason(key, reason):
    tl = timeline(*TWO_STEPS, sets=2)
    result, rec, _ = run(tl, keys=[(5, key)])
    assert not result.completed and result.reason == reason
    assert result.steps_done == 2 and result.steps_total == 4
    assert result.position == 5
    assert rec.fired[-1][:2] == (EventKind.SESSION_END, 5)
    assert rec.outcome == reason
    assert rec.result is result
    assert result.summary() == "stopped at step 2/4 after 0:05"


def test_keyboard_interrupt_inside_the_loop_ends_the_session_cleanly():
    tl = timeline(*TWO_STEPS)
    clock = FakeClock(START)

    class Boom(Recorder):
        def event(self, event: Event, state: PlayState) -> None:
            super().event(event, state)
            if event.kind is EventKind.CUE and event.step == 2:
                raise KeyboardInterrupt

    rec = Boom(clock)
    result = play(tl, clock, [rec])
    assert result.reason == "interrupted"
    assert rec.fired[-1][0] is EventKind.SESSION_END and rec.result is result


def test_completed_summary():
    result, _, _ = run(timeline(*TWO_STEPS, sets=2))
    assert result.summary() == "completed 4 steps in 0:20 (2 sets)"


OPEN = (Step("Stand", 2), Step("Run out", 15, until_key=True), Step("Walk back", 5))


def test_open_step_without_keys_lasts_its_seconds():
    result, rec, _ = run(timeline(*OPEN), interactive=False)
    assert rec.times() == [0, 2, 17]
    assert result.position == 22


def test_open_step_waits_for_enter_however_long_it_takes():
    # Enter 25 s into the 15 s run-out: everything after moves back by 10 s
    result, rec, _ = run(timeline(*OPEN), keys=[(27, "\n")], wait=True)
    assert rec.times() == [0, 2, 27]
    assert rec.ats() == [0, 2, 27]
    assert result.completed and result.position == 32


def test_open_step_ends_early_on_enter_or_space():
    _, rec, _ = run(timeline(*OPEN), keys=[(7, " ")], wait=True)
    assert rec.times() == [0, 2, 7]
    assert rec.times(EventKind.SESSION_END) == [12]


def test_open_step_never_ends_by_itself_when_it_waits_and_keys_work():
    clock = FakeClock(START, interactive=True)
    with pytest.raises(RuntimeError, match="waiting forever"):
        play(timeline(*OPEN), clock, [Recorder(clock)], wait_open=True)
    assert clock.now() == START + 2  # it got to the open step, then waited for a key


def test_open_step_goes_on_by_itself_by_default_even_where_keys_work():
    result, rec, _ = run(timeline(*OPEN), interactive=True)
    assert rec.times() == [0, 2, 17]
    assert rec.times(EventKind.STEP_END) == [17]
    assert result.completed and result.position == 22


def test_a_key_ends_a_timed_open_step_early_and_space_still_pauses():
    # pause 3-5 s into the run-out (nothing ends), then Enter at 9 s: 5 s of running
    _, rec, _ = run(timeline(*OPEN), keys=[(5, " "), (7, " "), (9, "\n")])
    assert rec.times() == [0, 2, 9]
    assert rec.ats() == [0, 2, 7]  # paused seconds are not session time


class Ends(Recorder):
    def event(self, event: Event, state: PlayState) -> None:
        super().event(event, state)
        if event.kind is EventKind.STEP_END:
            self.ended = event


@pytest.mark.parametrize(
    "keys, wait, ended, at",
    [((), False, "time", 17), (((6, "\n"),), False, "key", 6), (((30, "n"),), True, "key", 30)],
)
def test_step_end_says_how_an_open_step_ended(keys, wait, ended, at):
    clock = FakeClock(START, keys=keys, interactive=True)
    rec = Ends(clock)
    play(timeline(*OPEN), clock, [rec], wait_open=wait)
    assert rec.ended.ended == ended and rec.ended.at == at and rec.ended.open
    assert rec.ended.step == 2 and rec.ended.text == "Run out"
    kinds = [k for k, _, _ in rec.fired]
    assert kinds[kinds.index(EventKind.STEP_END) - 1 :][:3] == [
        EventKind.CUE,
        EventKind.STEP_END,
        EventKind.CUE,
    ]


def test_waiting_at_an_open_step_counts_in_real_seconds_at_any_speed():
    # at 10x, the 2 s stand takes 0.2 s; the runner comes back 20 real seconds later:
    # that is 20 s of session time, not 200, and the walk back still takes 0.5 s
    result, rec, clock = run(timeline(*OPEN), keys=[(20.2, "\n")], speed=10, wait=True)
    assert rec.ats() == [0, 2, 22]
    assert [round(t, 6) for t in rec.times()] == [0, 0.2, 20.2]
    assert result.position == pytest.approx(27)
    assert clock.now() - START == pytest.approx(20.7)


def test_remaining_time_does_not_shrink_while_an_open_step_runs_over():
    state = PlayState(timeline(*OPEN), position=30, current_start=2, current_end=17, total=22)
    state.waiting_for_key = True
    assert state.remaining == 5  # the walk back, still all ahead
    state.position = 10
    assert state.remaining == 12


def test_side_both_plays_left_switch_right():
    tl = timeline(Step("Hold the pose", 5, side=Side.BOTH))
    _, rec, _ = run(tl)
    kinds = [(k, at) for k, at, _ in rec.fired if k in (EventKind.CUE, EventKind.SWITCH)]
    assert kinds == [(EventKind.CUE, 0), (EventKind.SWITCH, 5), (EventKind.CUE, 5)]


class LateClock(FakeClock):
    """Every wake-up comes 3 ms late, like a loaded machine's sleep."""

    def wait(self, deadline: float) -> str | None:
        key = super().wait(deadline)
        self.t += 0.003
        return key


def test_nothing_drifts_over_a_four_hour_session():
    steps = tuple(Step(f"Cue {i}", 7.3) for i in range(20))  # awkward, non-round durations
    tl = timeline(*steps, sets=99, rest=0.5, lead_in=3)
    assert 4 * 3600 < tl.total < 4.1 * 3600
    clock = LateClock(START)
    rec = Recorder(clock)
    result = play(tl, clock, [rec])
    lateness = [t - (START + at) for _, at, t in rec.fired]
    # each event is at most one wake-up late; lateness never accumulates
    assert max(lateness) == pytest.approx(0.003, abs=1e-6)
    assert rec.times(EventKind.SESSION_END)[0] == pytest.approx(tl.total + 0.003, abs=1e-6)
    assert result.completed and len(rec.fired) == len(tl.events)


def test_ticks_come_at_each_whole_second_of_the_step_and_stop_while_paused():
    tl = timeline(Step("Lean", 3), Step("Pull", 2))
    _, rec, _ = run(tl, keys=[(1.5, " "), (4.5, " ")], ticks=True, interactive=True)
    times = [round(t - START, 6) for t, _ in rec.ticks]
    # after each batch of events (0, 6, then the end), each second shown (1, 2), the keys,
    # and none while paused between 1.5 and 4.5
    assert times == [0, 1, 1.5, 4.5, 5, 6, 7]
    positions = [round(p, 6) for _, p in rec.ticks]
    assert positions == [0, 1, 1.5, 1.5, 2, 3, 4]


def test_ticks_count_up_while_an_open_step_waits():
    tl = timeline(Step("Run out", 5, until_key=True), Step("Walk", 1))
    _, rec, _ = run(tl, keys=[(7.5, "\n")], ticks=True, wait=True)
    times = [round(t - START, 6) for t, _ in rec.ticks]
    assert times == [0, 1, 2, 3, 4, 5, 6, 7, 7.5]


def test_no_busy_loop_on_float_rounding():
    # offsets like 0.1 + 0.2 land a hair off whole seconds; each wake must move forward
    steps = tuple(Step(f"c{i}", 0.1 * (i % 7) + 1.3) for i in range(200))
    clock = FakeClock(1e9 + 0.1)  # a large start magnifies rounding
    rec = Recorder(clock, ticks=True)
    play(timeline(*steps), clock, [rec], speed=3.0)
    assert len(clock.waits) < 2 * (len(steps) + math.ceil(timeline(*steps).total))
    assert all(b > a for a, b in pairwise(clock.waits))


def test_speed_must_be_positive():
    with pytest.raises(ValueError):
        play(timeline(*TWO_STEPS), FakeClock(), [], speed=0)


def test_suspend_pauses_and_resumed_stays_paused_until_space():
    # Ctrl-Z 1 s into "Lean", fg 60 s later, space 5 s after that
    tl = timeline(*TWO_STEPS)
    clock = FakeClock(START, keys=[(1, "suspend"), (61, "resumed"), (66, " ")])
    states: list[tuple[float, bool, bool, int]] = []

    class Watch(Recorder):
        def tick(self, state: PlayState) -> None:
            states.append((self.clock.now() - START, state.paused, state.suspended, state.redraw))

    rec = Watch(clock, ticks=True)
    result = play(tl, clock, [rec])
    assert (1, True, True, 0) in states
    assert (61, True, False, 1) in states  # back, drawn anew, still paused
    assert rec.times() == [0, 69]  # "Pull" 3 s after space: the 65 s away are not session time
    assert result.position == 10


def test_a_stop_from_elsewhere_pauses_when_continued():
    _, rec, _ = run(timeline(*TWO_STEPS), keys=[(2, "resumed"), (5, " ")])
    assert rec.times() == [0, 7]
