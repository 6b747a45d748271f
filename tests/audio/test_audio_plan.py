"""The audio plan, pure: what sounds when, from a timeline and clip lengths (no engine)."""

from __future__ import annotations

import pytest
from sound_helpers import word_seconds

from pose_coach.audio.plan import (
    END_TEXT,
    HALFWAY_TEXT,
    MARGIN,
    AudioOptions,
    Sound,
    next_text,
    plan_audio,
    segments,
    speech_texts,
)
from pose_coach.audio.tones import tone_seconds
from pose_coach.library.catalog import load_catalog
from pose_coach.library.model import Drill, Phase, Side, Step
from pose_coach.timeline import Dose, EventKind, compile_timeline


def drill(*steps: Step, sets: int = 1, rest: float = 0.0) -> Drill:
    return Drill("t", "Test", Phase.FALL, "A test drill.", tuple(steps), sets=sets, rest=rest)


def timeline(*steps: Step, sets: int = 1, rest: float = 0.0, lead_in: float = 3.0):
    return compile_timeline(drill(*steps, sets=sets, rest=rest), dose=Dose(lead_in=lead_in))


DEFAULT = AudioOptions()


def durations_for(tl, options=DEFAULT, seconds=word_seconds) -> dict[str, float]:
    return {t: seconds(t) for t in speech_texts(tl, options)}


def plan_for(tl, options=DEFAULT, seconds=word_seconds):
    return plan_audio(tl, durations_for(tl, options, seconds), options)


def at(plan, role: str) -> list[float]:
    return [round(p.at, 3) for p in plan.placements if p.role == role]


def spoken(plan) -> list[tuple[float, str]]:
    return [(round(p.at, 3), p.name) for p in plan.speech()]


def test_countdown_ticks_step_tones_and_the_cue_spoken_after_its_tone():
    tl = timeline(Step("Lean", 10), Step("Pull", 10, checkpoint=True))
    plan = plan_for(tl)
    assert at(plan, "count") == [0.0, 1.0, 2.0]
    assert at(plan, "step") == [3.0]
    assert at(plan, "checkpoint") == [13.0]  # the checkpoint cue's own two-note tone
    assert spoken(plan)[0] == (3.25, "Lean")
    assert (13.32, "Pull") in spoken(plan)  # after the longer checkpoint tone


def test_say_is_spoken_when_it_fits_before_the_warning_ticks():
    say = "Tip forward in one piece from the ankles"  # 8 words: 2.7 s
    plan = plan_for(timeline(Step("Lean", 10, say=say)))
    assert (3.25, say) in spoken(plan)


def test_the_short_cue_replaces_a_say_that_would_talk_over_the_warning_ticks():
    say = "Tip forward in one straight piece, pivoting at the ankle, slowly"  # 3.6 s
    plan = plan_for(timeline(Step("Lean", 6, say=say), Step("Pull", 6)))
    texts = [name for _, name in spoken(plan)]
    assert say not in texts and "Lean" in texts
    # and it ends before the first warning tick, which stays
    lean = next(p for p in plan.speech() if p.name == "Lean")
    assert lean.end <= 3 + 6 - 3 - MARGIN
    assert at(plan, "warning")[:3] == [6.0, 7.0, 8.0]


def test_a_cue_that_only_fits_before_the_next_step_drops_the_ticks_it_would_cover():
    cue = "Keep tipping until you have to pull"  # 7 words: 2.4 s in a 4 s step
    plan = plan_for(timeline(Step(cue, 4), Step("Run", 6)))
    speech = next(p for p in plan.speech() if p.name == cue)
    assert speech.at == 3.25 and not speech.cut
    assert speech.end <= 7 - MARGIN  # never into the next step
    warnings = [t for t in at(plan, "warning") if t < 7]
    assert warnings == [6.0]  # 4.0 and 5.0 would be under the speech
    assert all(t >= speech.end for t in warnings)


def test_a_cue_longer_than_its_step_is_cut_before_the_next_onset():
    cue = "Pull the foot straight up under the hip and let it drop"  # 12 words: 3.9 s
    plan = plan_for(timeline(Step(cue, 2), Step("Run", 6)))
    speech = next(p for p in plan.speech() if p.name == cue)
    assert speech.cut
    assert speech.end == pytest.approx(5.0 - 0.05)


def test_next_step_is_announced_just_before_the_warning_ticks_when_there_is_room():
    tl = timeline(Step("Hold the pose", 15), Step("Fall", 10))
    plan = plan_for(tl)
    announce = next(p for p in plan.speech() if p.role == "next")
    assert announce.name == next_text("Fall")
    assert announce.end == pytest.approx(3 + 15 - 3 - MARGIN)
    short = plan_for(timeline(Step("Hold the pose", 5), Step("Fall", 10)))
    assert not [p for p in short.speech() if p.role == "next" and p.at < 8]  # no room


def test_rests_say_rest_then_announce_what_comes_next():
    tl = timeline(Step("Lean", 6), sets=2, rest=15)
    plan = plan_for(tl)
    rest = next(e for e in tl.events if e.kind is EventKind.REST)
    texts = [(p.role, p.name) for p in plan.speech() if rest.at <= p.at < rest.end]
    # the rest says how long it is and what follows, then the next cue comes up
    assert rest.say == "Rest 15 seconds. Next: set 2"
    assert texts == [("rest", rest.say), ("next", next_text("Lean"))]
    before_rest = [p.name for p in plan.speech() if p.role == "next" and p.at < rest.at]
    assert before_rest in ([], [next_text("rest")])


def test_routines_announce_the_next_drill_by_title():
    catalog = load_catalog()
    tl = compile_timeline(catalog.get("warmup"), catalog.entries, Dose())
    plan = plan_for(tl)
    titles = {catalog.entries[e.drill].title for e in tl.events if e.kind is EventKind.DRILL_START}
    announced = {p.name for p in plan.speech() if p.role == "next"}
    assert {next_text(t) for t in titles} & announced  # at least the ones with room
    assert next_text("Running pose") in announced  # after the 50 s first drill


def test_halfway_on_long_steps_only():
    plan = plan_for(timeline(Step("Hop", 40), Step("Walk", 20)))
    assert [(round(p.at, 3), p.name) for p in plan.speech() if p.role == "halfway"] == [
        (23.0, HALFWAY_TEXT)
    ]
    no_halfway = plan_for(timeline(Step("Hop", 40)), AudioOptions(halfway=False))
    assert not [p for p in no_halfway.speech() if p.role == "halfway"]


def test_last_step_ends_in_the_end_tone_exactly_at_the_timeline_end():
    tl = timeline(Step("Lean", 8), Step("Pull", 8))
    plan = plan_for(tl)
    end = [p for p in plan.placements if p.role == "end"]
    assert len(end) == 1 and end[0].end == pytest.approx(tl.total)
    assert end[0].duration == pytest.approx(tone_seconds("end"))
    # its last second has the end tone instead of a third warning tick
    assert [t for t in at(plan, "warning") if t > 11] == [16.0, 17.0]
    assert max(p.end for p in plan.placements) <= tl.total + 1e-9
    assert (next(p for p in plan.speech() if p.role == "next" and p.at > 11)).name == END_TEXT


def test_metronome_runs_through_cadence_steps_and_the_override_covers_every_cue():
    tl = timeline(Step("Pony", 20, cadence=180), Step("Walk", 10), sets=2, rest=10)
    runs = [
        (p.at, p.duration, p.cadence) for p in plan_for(tl).placements if p.sound is Sound.METRONOME
    ]
    assert runs == [(3.0, 20.0, 180), (43.0, 20.0, 180)]
    forced = plan_for(tl, AudioOptions(cadence=170))
    runs = [(p.at, p.cadence) for p in forced.placements if p.sound is Sound.METRONOME]
    assert runs == [(3.0, 170), (23.0, 170), (43.0, 170), (63.0, 170)]  # cues, not the rest
    none = plan_for(tl, AudioOptions(metronome=False))
    assert not [p for p in none.placements if p.sound is Sound.METRONOME]


def test_open_steps_that_wait_get_no_warning_ticks_or_announcement():
    tl = timeline(Step("Run out", 15, until_key=True), Step("Walk back", 10))
    plan = plan_for(tl, AudioOptions(open_waits=True))
    assert not [t for t in at(plan, "warning") if t < 18]
    assert not [p for p in plan.speech() if p.role == "next" and p.at < 18]
    assert not at(plan, "countdown")


def test_a_timed_open_step_is_counted_down_aloud():
    tl = timeline(Step("Run out", 15, until_key=True), Step("Stand", 10))
    plan = plan_for(tl)
    run_out = [(round(p.at, 3), p.name) for p in plan.speech() if p.at < 18]
    assert run_out[-4:] == [
        (round(15 - MARGIN - word_seconds("Walk back"), 3), "Walk back"),
        (15, "3"),
        (16, "2"),
        (17, "1"),
    ]
    assert not [t for t in at(plan, "warning") if t < 18]  # the numbers, not ticks
    beeps_only = plan_for(tl, AudioOptions(voice=False))
    assert [t for t in at(beeps_only, "warning") if t < 18] == [15, 16, 17]


def test_switch_legs_is_spoken_before_the_second_side():
    tl = timeline(Step("Hop on one leg", 10, side=Side.BOTH))
    plan = plan_for(tl)
    right = next(e for e in tl.events if e.kind is EventKind.CUE and e.side == "right")
    at_switch = [(p.role, p.name) for p in plan.speech() if right.at <= p.at < right.end]
    assert at_switch[:2] == [("switch", "Right leg"), ("cue", "Hop on one leg")]
    assert next_text("right leg") in [p.name for p in plan.speech()]


def test_no_voice_no_speech_and_unknown_texts_are_never_spoken():
    tl = timeline(Step("Lean", 10))
    quiet = plan_audio(tl, durations_for(tl), AudioOptions(voice=False))
    assert not quiet.speech() and at(quiet, "step") == [3.0]
    unsynthesised = plan_audio(tl, {}, AudioOptions())
    assert not unsynthesised.speech()
    silent = plan_audio(
        tl, durations_for(tl), AudioOptions(voice=False, beeps=False, metronome=False)
    )
    assert silent.placements == ()


def test_segments_are_the_countdown_cues_and_rests_in_order():
    tl = timeline(Step("A", 5), Step("B", 5), sets=2, rest=10, lead_in=2.5)
    kinds = [s.event.kind.value for s in segments(tl)]
    assert kinds == ["countdown", "countdown", "countdown", "cue", "cue", "rest", "cue", "cue"]
    assert segments(tl)[0].end == pytest.approx(0.5)  # a fractional first count


@pytest.mark.parametrize("entry_id", sorted(load_catalog().entries))
def test_every_builtin_session_keeps_speech_inside_its_step_and_off_the_ticks(entry_id):
    """The promise, for the whole library: speech never runs into the next step's onset,
    never sounds over a countdown/warning tick, and two clips never overlap."""
    catalog = load_catalog()
    tl = compile_timeline(catalog.entries[entry_id], catalog.entries, Dose())
    plan = plan_for(tl, seconds=lambda t: 0.25 + 0.33 * len(t.split()))
    onsets = sorted({s.start for s in plan.segments} | {tl.total})
    speech = plan.speech()
    ticks = [p for p in plan.placements if p.role in ("count", "warning")]
    for p in speech:
        next_onset = min(t for t in onsets if t > p.at + 1e-9)
        assert p.end <= next_onset - 0.05 + 1e-9, (p, next_onset)
        assert not [t for t in ticks if t.at < p.end and t.end > p.at], p
    for a, b in zip(speech, speech[1:], strict=False):
        assert a.end <= b.at + 1e-9, (a, b)
    assert max(p.end for p in plan.placements) <= tl.total + 1e-9


def test_a_rest_item_says_what_the_rest_is_for():
    """A routine's rest with a cue ("turn and face the wall") is spoken, not just "Rest"."""
    from pose_coach.library.model import ItemKind, Routine, RoutineItem

    lean = drill(Step("Lean", 8))
    routine = Routine(
        "r",
        "R",
        "s",
        (
            RoutineItem(ItemKind.DRILL, "t"),
            RoutineItem(ItemKind.REST, seconds=15, cue="Turn and face the wall"),
            RoutineItem(ItemKind.DRILL, "t"),
        ),
    )
    tl = compile_timeline(routine, {"t": lean}, Dose(lead_in=0))
    rest = next(e for e in tl.events if e.kind is EventKind.REST)
    assert rest.text == "Turn and face the wall"
    names = [name for when, name in spoken(plan_for(tl)) if rest.at <= when < rest.end]
    assert names[0] == "Turn and face the wall. 15 seconds. Next: Test"
    assert "Rest" not in names
