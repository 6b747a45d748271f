"""The live sound sink under the fake clock: each step's sound starts at its onset, with the
cue, ticks and metronome inside at the planned offsets; pause, +/-, failures, quit."""

from __future__ import annotations

import pytest
from sound_helpers import RecordingPlayer, fake_bank, first_loud

from pose_coach.audio.mixer import sample_at
from pose_coach.audio.plan import AudioOptions, plan_audio, speech_texts
from pose_coach.audio.tones import get_tone, tone_seconds
from pose_coach.library.model import Drill, Phase, Step
from pose_coach.play.clock import FakeClock
from pose_coach.play.scheduler import play
from pose_coach.sinks.speech import SoundSink
from pose_coach.timeline import Dose, compile_timeline

START = 1000.0


def session(*steps: Step, sets: int = 1, rest: float = 0.0, lead_in: float = 3.0):
    drill = Drill("t", "Test", Phase.FALL, "A test drill.", steps, sets=sets, rest=rest)
    return compile_timeline(drill, dose=Dose(lead_in=lead_in))


DEFAULT = AudioOptions()


def run(tl, keys=(), options=DEFAULT, fail=None, wait=False):
    clock = FakeClock(START, keys=keys)
    player = RecordingPlayer(clock, fail=fail)
    warnings: list[str] = []
    bank = fake_bank(speech_texts(tl, options))
    sink = SoundSink(bank, options, player, warnings.append)
    result = play(tl, clock, [sink], wait_open=wait)
    return player, warnings, result, plan_audio(tl, bank.durations(), options)


STEPS = (
    Step("Lean from the ankles", 12, checkpoint=True),
    Step("Pony in place", 15, cadence=180),
)


def test_each_step_sound_starts_at_its_onset_with_its_cue_ticks_and_clicks_inside():
    tl = session(*STEPS, sets=2, rest=10)
    player, warnings, result, plan = run(tl)
    assert result.completed and not warnings
    starts = [round(t - START, 6) for t, _ in player.plays]
    assert starts == [round(s.start, 6) for s in plan.segments]  # one stream per step
    for (_, samples), seg in zip(player.plays, plan.segments, strict=False):
        assert len(samples) == sample_at(seg.end) - sample_at(seg.start)
        inside = [p for p in plan.placements if seg.start <= p.at < seg.end]
        for p in inside:
            if p.sound.value == "metronome":
                continue
            offset = sample_at(p.at) - sample_at(seg.start)
            found = first_loud(samples, offset - 5, level=0)  # tones fade in from zero
            assert found is not None and 0 <= found - offset <= 2, (p, found, offset)
        run_ = next((p for p in inside if p.sound.value == "metronome"), None)
        if run_ is not None:
            # between the cue and the next speech (or tick) only the clicks sound
            speech = sorted(p.at for p in inside if p.sound.value == "speech")
            cue_end = max(p.end for p in inside if p.role == "cue")
            later = [t for t in speech if t > cue_end] + [seg.end - 3]
            i = sample_at(cue_end - seg.start) + 10
            stop = sample_at(min(later) - seg.start) - 10
            onsets = []
            while (i := first_loud(samples, i, level=0)) is not None and i < stop:
                onsets.append(i)
                i += 2000
            gaps = {b - a for a, b in zip(onsets, onsets[1:], strict=False)}
            assert len(onsets) > 10 and gaps <= {7349, 7350, 7351}  # 60/180 s ± 1 sample


def test_pause_stops_the_player_and_resume_plays_the_rest_of_the_step():
    tl = session(Step("Hold the pose", 20), lead_in=0)
    player, _, result, plan = run(tl, keys=[(5.5, " "), (9.0, " ")])
    assert result.completed
    assert START + 5.5 in player.stops
    (t0, whole), (t1, rest) = player.plays[:2]
    assert (t0, t1) == (START, START + 9.0)
    # the resumed stream is the step's sound from 5.5 s on (the pause took no step time)
    assert rest == whole[sample_at(5.5) :]


def test_plus_ten_seconds_replans_the_step_so_the_warning_ticks_move_with_its_end():
    tl = session(Step("Hold the pose", 20), Step("Walk", 10), lead_in=0)
    player, _, result, _ = run(tl, keys=[(6.0, "+")])
    assert result.completed
    times = [round(t - START, 3) for t, _ in player.plays]
    assert times == [0.0, 6.0, 30.0]  # the next step starts 10 s later
    resumed = player.plays[1][1]
    assert len(resumed) == sample_at(30.0) - sample_at(6.0)
    tick = get_tone("count")
    new_tick = sample_at(27.0 - 6.0)
    assert resumed[new_tick : new_tick + len(tick)] == tick  # 3 s before the new end
    assert not any(resumed[sample_at(17.0 - 6.0) : sample_at(17.0 - 6.0) + 2000])  # old one


def test_a_failing_player_is_reported_once_and_the_session_goes_on():
    tl = session(*STEPS)
    player, warnings, result, plan = run(tl, fail="aplay failed (exit 1: audio open error)")
    assert result.completed
    assert len(player.plays) == len(plan.segments)  # kept trying at every step
    assert warnings == ["sound: aplay failed (exit 1: audio open error); the session goes on"]


def test_quit_stops_the_sound_at_once():
    tl = session(*STEPS)
    player, _, result, _ = run(tl, keys=[(7.0, "q")])
    assert result.reason == "quit"
    assert player.stops and player.stops[-1] == START + 7.0
    assert player.waited == 0


def test_an_open_last_step_holds_the_end_tone_until_it_really_ends():
    tl = session(Step("Lean", 8), Step("Run out and walk back", 15, until_key=True))
    waits = AudioOptions(open_waits=True)
    # with --wait: took 29 s instead of 15
    player, _, result, _ = run(tl, keys=[(40.0, "\n")], options=waits, wait=True)
    assert result.completed
    last_step, end = player.plays[-2:]
    assert end[0] == START + 40.0 and end[1] == get_tone("end")
    # the step's own sound, without the end tone's last second
    assert len(last_step[1]) == sample_at(26.0 - tone_seconds("end")) - sample_at(11.0)


def test_silent_options_never_start_the_player():
    tl = session(*STEPS)
    options = AudioOptions(voice=False, beeps=False, metronome=False)
    player, _, result, _ = run(tl, options=options)
    assert result.completed and player.plays == []


@pytest.mark.parametrize("speed", [1.0, 10.0])
def test_the_sink_never_waits_on_the_clock(speed):
    """Whatever the sound, the scheduler's deadlines are exactly the timeline's."""
    tl = session(*STEPS, sets=2, rest=10)
    clock = FakeClock(START)
    bank = fake_bank(speech_texts(tl, AudioOptions()))
    sink = SoundSink(bank, AudioOptions(), RecordingPlayer(clock), lambda m: None)
    fired: list[float] = []

    class Times:
        wants_ticks = False

        def start(self, timeline):
            pass

        def event(self, event, state):
            fired.append(clock.now())

        def tick(self, state):
            pass

        def finish(self, result, state):
            pass

    play(tl, clock, [sink, Times()], speed)
    assert fired == [pytest.approx(START + e.at / speed) for e in tl.events]
