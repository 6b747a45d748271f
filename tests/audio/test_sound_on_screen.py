"""Sound is visible: the live view says what is on, a failure the moment it happens, why
sound stayed off at a try-out speed; ``m`` mutes; a machine without a sound card is
found before the first cue."""

from __future__ import annotations

import pytest
from sound_helpers import RecordingPlayer, fake_bank

from pose_coach.audio.plan import AudioOptions, speech_texts
from pose_coach.audio.players import output_problem
from pose_coach.audio.setup import SoundRequest
from pose_coach.audio.status import SoundStatus
from pose_coach.library.model import Drill, Phase, Step
from pose_coach.play.clock import FakeClock
from pose_coach.play.scheduler import PlayState, SessionResult, play
from pose_coach.sinks import sound_sinks
from pose_coach.sinks.speech import SoundSink, heard
from pose_coach.sinks.view import View, ViewPlan, make_view
from pose_coach.terminal import Terminal
from pose_coach.timeline import Dose, Event, Timeline, compile_timeline

START = 1000.0
STEPS = (Step("Lean from the ankles", 6), Step("Pony in place", 8, cadence=180))
NO_CARD = """#!/bin/sh
echo "aplay: device_list:274: no soundcards found..." >&2
"""


def session() -> Timeline:
    drill = Drill("t", "Test", Phase.FALL, "A test drill.", STEPS)
    return compile_timeline(drill, dose=Dose(lead_in=1))


class Views:
    """Records the live view after every tick, as the live sink would draw it."""

    wants_ticks = True

    def __init__(self, tl: Timeline, status: SoundStatus, clock: FakeClock) -> None:
        self.plan = ViewPlan.of(tl)
        self.status = status
        self.clock = clock
        self.views: list[tuple[float, View]] = []

    def start(self, timeline: Timeline) -> None:
        pass

    def event(self, event: Event, state: PlayState) -> None:
        pass

    def tick(self, state: PlayState) -> None:
        view = make_view(self.plan, state, True, self.status)
        self.views.append((self.clock.now() - START, view))

    def finish(self, result: SessionResult, state: PlayState) -> None:
        pass


def run(keys=(), fail=None):
    tl = session()
    clock = FakeClock(START, keys=keys, interactive=True)
    status = SoundStatus(voice=True, beeps=True, metronome=True)
    player = RecordingPlayer(clock, fail=fail)
    bank = fake_bank(speech_texts(tl, AudioOptions()))
    sink = SoundSink(bank, AudioOptions(), player, lambda m: None, status=status)
    views = Views(tl, status, clock)
    play(tl, clock, [sink, views])  # sound first, as the session orders them
    return views.views, player


def test_the_header_says_what_sound_is_on():
    views, _ = run()
    assert {v.sound for _, v in views} == {"voice on · beeps on · metronome on"}
    assert SoundStatus().on is False
    from pose_coach.sinks.view import sound_words

    assert sound_words(SoundStatus(beeps=True, metronome=True), False) == (
        "voice off · beeps on · metronome on"
    )
    assert sound_words(SoundStatus(), False) == "sound off"


def test_a_failing_player_is_on_screen_at_the_first_frame_after_it_failed():
    views, player = run(fail="aplay failed (exit 1: audio open error)")
    first_play = player.plays[0][0] - START
    noted = [t for t, v in views if v.sound_note]
    assert noted and noted[0] == first_play  # the same frame, not after the session
    assert views[-1][1].sound_note == "aplay failed (exit 1: audio open error)"
    from pose_coach.sinks.rows import sound_note

    assert sound_note(views[-1][1], 80).plain == "sound: aplay failed (exit 1: audio open error)"


def test_m_mutes_and_unmutes_the_sound_and_the_header_says_so():
    # mute 2 s into the first step (at 3), unmute 2 s into the second (at 9)
    views, player = run(keys=[(3.0, "m"), (9.0, "m")])
    assert START + 3.0 in player.stops
    times = [t - START for t, _ in player.plays]
    assert 7.0 not in times  # the second step's onset, muted: nothing started
    assert 9.0 in times  # unmuted: the rest of the step plays from where it is
    muted = [t for t, v in views if v.sound == "muted (m)"]
    assert muted[0] == 3.0 and max(muted) < 9.0


def test_a_machine_without_a_sound_card_is_named(fake_bin):
    aplay = fake_bin.add("aplay", NO_CARD)
    assert output_problem([str(aplay), "-q"]) == (
        "no sound card: `aplay -l` lists none, so nothing can be heard here"
    )
    assert output_problem([str(aplay), "-q", "-D", "null"]) is None  # a device of its own
    assert output_problem(["/usr/bin/paplay"]) is None
    fake_bin.player("aplay")
    assert output_problem([str(fake_bin.folder / "aplay"), "-q"]) is None


def _terminal() -> Terminal:
    return Terminal(stdout_tty=True, stdin_keys=True, color=False, size=(80, 24))


def test_the_live_view_learns_of_a_missing_card_before_the_first_cue(fake_bin):
    fake_bin.add("aplay", NO_CARD)
    status = SoundStatus()
    sinks = sound_sinks(
        session(),
        "live",
        1.0,
        SoundRequest(voice=False),
        _terminal(),
        lambda m: None,
        status=status,
    )
    assert sinks and status.beeps and not status.voice
    assert status.problem == "no sound card: `aplay -l` lists none, so nothing can be heard here"


@pytest.mark.parametrize("speed, on", [(1.0, True), (2.0, True), (10.0, False)])
def test_sound_is_on_up_to_speed_2_and_the_screen_says_why_not_above(fake_bin, speed, on):
    fake_bin.player("aplay")
    fake_bin.espeak()
    status = SoundStatus()
    warnings: list[str] = []
    sinks = sound_sinks(
        session(), "live", speed, SoundRequest(), _terminal(), warnings.append, status=status
    )
    assert bool(sinks) is on and status.on is on
    if on:
        assert status.why_off is None
    else:
        assert status.why_off == "off at --speed 10: speech would not fit (--sound turns it on)"
        asked = SoundStatus()
        forced = sound_sinks(
            session(),
            "live",
            speed,
            SoundRequest(sound=True),
            _terminal(),
            warnings.append,
            status=asked,
        )
        assert forced and asked.on and asked.why_off is None
    silent = SoundStatus()
    sound_sinks(
        session(),
        "live",
        speed,
        SoundRequest(sound=False),
        _terminal(),
        warnings.append,
        status=silent,
    )
    assert silent.why_off is None and not silent.on  # off as asked: nothing to explain


def test_at_speed_2_the_sound_is_planned_for_the_session_as_heard():
    tl = session()
    fast = heard(tl, 2.0)
    assert [e.at for e in fast.events] == [e.at / 2 for e in tl.events]
    clock = FakeClock(START)
    player = RecordingPlayer(clock)
    bank = fake_bank(speech_texts(tl, AudioOptions()))
    sink = SoundSink(bank, AudioOptions(), player, lambda m: None, speed=2.0)
    play(tl, clock, [sink], speed=2.0)
    onsets = [round(t - START, 6) for t, _ in player.plays]
    assert onsets[:3] == [0, 0.5, 3.5]  # the countdown second, then each step, on time
    # each step's sound lasts as long as the step does at that speed
    assert len(player.plays[1][1]) == 3 * 22050
