"""The audio plan: what sounds when, decided once from (timeline, clip lengths, options).

Pure and clock-free. The live sound sink and the file renderer both mix from this plan,
so a session sounds the same played live and rendered to a file, and tests check the
timing without any speech engine or sound card.

Per step (a cue or rest event; countdown seconds just tick):

- a tone at its onset (a two-note one for checkpoint cues), then its speech: the ``say``
  text when it fits before the last-3-seconds warning beeps, else the shorter ``cue``;
  when not even that fits before the warning, the cue alone, with the warning beeps it
  would talk over left out; when nothing fits before the next step, the cue cut short
  there. Speech never runs into the next step's onset.
- "Next: <name>" a few seconds before the next step, ending just before the warning
  beeps, when there is room after the step's own speech.
- "Halfway" at the middle of steps of 30 s or more, when there is room.
- a warning tick at 3, 2 and 1 seconds before the step ends; the last step's final
  second is the distinct end tone, so the session's sound ends exactly where its
  timeline ends. An open-ended step (a run-out) that lasts its seconds is counted down
  aloud instead: "Walk back", then "3", "2", "1" (ticks without a voice); one that
  waits for a key (``--wait``) has no countdown and no "Next".
- a change of leg says the leg ("Right leg", the switch event's spoken form) before
  the cue; a rest says its length and what follows (the rest event's spoken form).
- a metronome click at ``60 / cadence`` spacing through steps with a cadence (the
  step's own, or the ``--cadence`` override for every step).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from pose_coach.audio.tones import tone_seconds
from pose_coach.timeline import Event, EventKind, Timeline

GAP = 0.25  # speech starts at least this long after a step's onset, after its tone
JOIN = 0.15  # silence between two clips spoken one after the other
MARGIN = 0.3  # silence kept between speech and the next beep or step
WARN_SECONDS = 3  # warning ticks over the last 3 seconds of a step
HALFWAY_MIN = 30.0  # steps at least this long get a halfway mark
CUT_BEFORE = 0.05  # a cut clip stops this long before the next step's onset

SWITCH_TEXT = "Switch legs"  # a switch without a spoken form of its own
REST_TEXT = "Rest"
HALFWAY_TEXT = "Halfway"
END_TEXT = "Almost done"
OPEN_END_TEXT = "Walk back"  # before the spoken 3, 2, 1 that ends a timed run-out
COUNT_TEXTS = ("3", "2", "1")


def next_text(name: str) -> str:
    return f"Next: {name}"


class Sound(str, Enum):
    TONE = "tone"
    SPEECH = "speech"
    METRONOME = "metronome"


@dataclass(frozen=True)
class AudioOptions:
    """What to play. ``cadence`` overrides every cue step's own metronome."""

    voice: bool = True
    beeps: bool = True
    metronome: bool = True
    cadence: int | None = None
    announce: bool = True  # "Next: ..." before each step
    halfway: bool = True
    open_waits: bool = False  # open-ended steps wait for a key (``--wait``): no countdown

    @property
    def silent(self) -> bool:
        return not (self.voice or self.beeps or self.metronome)


@dataclass(frozen=True)
class Placement:
    """One sound at one moment (seconds from the session start)."""

    at: float
    sound: Sound
    name: str  # tone name, the text spoken, or 'click' for a metronome run
    duration: float  # seconds it sounds (a cut clip: the time it is given)
    role: str  # count, step, checkpoint, warning, end, cue, switch, rest, next, halfway,
    # metronome, countdown (a run-out's spoken 3, 2, 1)
    cadence: int | None = None  # metronome: steps per minute
    cut: bool = False  # speech stopped early: not even the short cue fitted

    @property
    def end(self) -> float:
        return self.at + self.duration


@dataclass(frozen=True)
class Segment:
    """A stretch the live sink plays as one stream: a countdown second, a cue or a rest."""

    event: Event
    start: float
    end: float
    switch: bool = False  # a "switch legs" comes with this cue
    drill: str | None = None  # the title of the routine drill this segment starts
    switch_say: str | None = None  # how the switch is said ("Right leg")

    @property
    def open(self) -> bool:
        return self.event.open


@dataclass(frozen=True)
class AudioPlan:
    total: float
    placements: tuple[Placement, ...]
    segments: tuple[Segment, ...] = field(default=())

    def speech(self) -> list[Placement]:
        return [p for p in self.placements if p.sound is Sound.SPEECH]


SEGMENT_KINDS = (EventKind.COUNTDOWN, EventKind.CUE, EventKind.REST)


def segments(timeline: Timeline) -> list[Segment]:
    """Countdown seconds, cues and rests in order: exactly the events a live sink plays."""
    out: list[Segment] = []
    switch, drill, say = False, None, None
    for event in timeline.events:
        if event.kind is EventKind.SWITCH:
            switch, say = True, event.say
        elif event.kind is EventKind.DRILL_START:
            drill = event.text
        elif event.kind in SEGMENT_KINDS:
            out.append(Segment(event, event.at, event.end, switch, drill, say))
            switch, drill, say = False, None, None
    return out


def _speech_choices(seg: Segment) -> list[list[str]]:
    """What a segment may say, best first; the last choice is the essential one."""
    event = seg.event
    if event.kind is EventKind.REST:
        # its spoken form says how long and what follows; a routine's rest item may say
        # what the rest is for ("walk to the wall")
        texts = [event.say] if event.say else []
        if event.text and event.text != "rest":
            texts.append(event.text)
        return [[t] for t in dict.fromkeys(texts + [REST_TEXT])]
    texts = list(dict.fromkeys(t for t in (event.say, event.text) if t))
    if seg.switch:
        leg = _switch_text(seg)
        return [[leg, t] for t in texts] + [[leg]]
    return [[t] for t in texts]


def _switch_text(seg: Segment) -> str:
    return seg.switch_say or SWITCH_TEXT


def _counted(seg: Segment, options: AudioOptions) -> bool:
    """A timed open step (a run-out that goes on by itself): counted down aloud."""
    return seg.open and not options.open_waits


def _announcement(seg: Segment, nxt: Segment | None) -> str:
    if nxt is None:
        return END_TEXT
    if nxt.drill:
        return next_text(nxt.drill)
    if nxt.switch:
        return next_text(_switch_text(nxt).lower())
    if nxt.event.kind is EventKind.REST:
        return next_text(REST_TEXT.lower())
    return next_text(nxt.event.text or "")


def speech_texts(timeline: Timeline, options: AudioOptions) -> list[str]:
    """Every text the plan might speak for this timeline: synthesise these first."""
    if not options.voice:
        return []
    segs = segments(timeline)
    texts: list[str] = []
    for i, seg in enumerate(segs):
        if seg.event.kind is EventKind.COUNTDOWN:
            continue
        for choice in _speech_choices(seg):
            texts += choice
        if _counted(seg, options):
            texts += [OPEN_END_TEXT, *COUNT_TEXTS]
        elif options.announce and not seg.open:
            texts.append(_announcement(seg, segs[i + 1] if i + 1 < len(segs) else None))
        long_cue = seg.event.kind is EventKind.CUE and seg.end - seg.start >= HALFWAY_MIN
        if options.halfway and long_cue:
            texts.append(HALFWAY_TEXT)
    return list(dict.fromkeys(texts))


def _spoken_length(texts: list[str], durations: Mapping[str, float]) -> float | None:
    if any(t not in durations for t in texts):
        return None
    return sum(durations[t] for t in texts) + JOIN * (len(texts) - 1)


def _fit_speech(
    choices: list[list[str]],
    start: float,
    limits: tuple[float, float],
    hard_end: float,
    durations: Mapping[str, float],
    role: str = "cue",
    lead: str | None = None,
) -> list[Placement]:
    """Place the best choice that fits: any choice by ``limits[0]``, the essential one by
    ``limits[1]``, else the essential one cut at ``hard_end``."""
    usable = [c for c in choices if _spoken_length(c, durations) is not None]
    if not usable:
        return []
    chosen, cut_at = None, None
    for choice in usable:
        if start + (_spoken_length(choice, durations) or 0) <= limits[0]:
            chosen = choice
            break
    if chosen is None:
        essential = usable[-1]
        chosen = essential
        if start + (_spoken_length(essential, durations) or 0) > limits[1]:
            cut_at = hard_end - CUT_BEFORE
    out: list[Placement] = []
    t = start
    for n, text in enumerate(chosen):
        length = durations[text]
        kind = "switch" if n == 0 and text == lead else role
        if cut_at is not None and t + length > cut_at:
            if cut_at - t < 0.2:  # not even a word: say nothing
                break
            out.append(Placement(t, Sound.SPEECH, text, cut_at - t, kind, cut=True))
            break
        out.append(Placement(t, Sound.SPEECH, text, length, kind))
        t += length + JOIN
    return out


def _plan_segment(
    seg: Segment,
    nxt: Segment | None,
    durations: Mapping[str, float],
    options: AudioOptions,
) -> list[Placement]:
    event, start, end = seg.event, seg.start, seg.end
    out: list[Placement] = []
    if event.kind is EventKind.COUNTDOWN:
        if options.beeps:
            out.append(Placement(start, Sound.TONE, "count", tone_seconds("count"), "count"))
        return out
    last = nxt is None
    is_cue = event.kind is EventKind.CUE
    onset_tone = "checkpoint" if is_cue and event.checkpoint else "step"
    if options.beeps:
        out.append(Placement(start, Sound.TONE, onset_tone, tone_seconds(onset_tone), onset_tone))
    # the final second of the session belongs to the end tone
    hard_end = end - tone_seconds("end") if last and options.beeps else end
    counted = _counted(seg, options)
    # spoken numbers where a voice can say them all, else warning ticks
    spoken_count = counted and options.voice and all(t in durations for t in COUNT_TEXTS)
    tail = options.beeps and (not event.open or counted) and not spoken_count
    warn_from = end - WARN_SECONDS if tail or spoken_count else hard_end
    speak_from = start + (max(GAP, tone_seconds(onset_tone) + 0.05) if options.beeps else 0.0)
    busy = start  # the step's own speech runs until here
    if options.voice:
        role = "rest" if event.kind is EventKind.REST else "cue"
        spoken = _fit_speech(
            _speech_choices(seg),
            speak_from,
            (warn_from - MARGIN, hard_end - MARGIN),
            hard_end,
            durations,
            role,
            _switch_text(seg) if seg.switch else None,
        )
        if event.kind is EventKind.REST:  # "rest" is not worth cutting: whole or nothing
            spoken = [p for p in spoken if not p.cut]
        out += spoken
        if spoken:
            busy = spoken[-1].end
    if is_cue and options.metronome:
        cadence = options.cadence or event.cadence
        if cadence:
            # (the last step's clicks stop where the end tone starts)
            out.append(
                Placement(
                    start, Sound.METRONOME, "click", hard_end - start, "metronome", cadence=cadence
                )
            )
    announced_at = None
    if spoken_count:
        for k, text in zip(range(WARN_SECONDS, 0, -1), COUNT_TEXTS, strict=True):
            at = end - k
            if last and k == 1:
                break  # the end tone takes the last second
            if at >= start + 0.5 and at >= busy + 0.1:
                out.append(Placement(at, Sound.SPEECH, text, durations[text], "countdown"))
    if counted and options.voice:
        length = durations.get(OPEN_END_TEXT)
        if length is not None:
            at = warn_from - MARGIN - length
            if at >= busy + MARGIN:
                out.append(Placement(at, Sound.SPEECH, OPEN_END_TEXT, length, "next"))
                announced_at = at
    elif options.voice and options.announce and not event.open:
        text = _announcement(seg, nxt)
        length = durations.get(text)
        if length is not None:
            at = warn_from - MARGIN - length
            if at >= busy + MARGIN:
                out.append(Placement(at, Sound.SPEECH, text, length, "next"))
                announced_at = at
    if options.voice and options.halfway and is_cue and (not event.open or counted):
        length = durations.get(HALFWAY_TEXT)
        at = start + (end - start) / 2
        limit = (announced_at if announced_at is not None else warn_from) - MARGIN
        if end - start >= HALFWAY_MIN and length is not None:
            if at >= busy + MARGIN and at + length <= limit:
                out.append(Placement(at, Sound.SPEECH, HALFWAY_TEXT, length, "halfway"))
    if tail:
        for k in range(WARN_SECONDS, 0, -1):
            at = end - k
            if last and k == 1:
                break  # the end tone takes the last second
            if at >= start + 0.5 and at >= busy + 0.1:
                out.append(Placement(at, Sound.TONE, "count", tone_seconds("count"), "warning"))
    return out


def plan_audio(
    timeline: Timeline, durations: Mapping[str, float], options: AudioOptions = AudioOptions()
) -> AudioPlan:
    """The sounds of a whole session; ``durations`` maps each spoken text to its seconds.

    A text missing from ``durations`` is never spoken (no engine, or voice off).
    """
    segs = segments(timeline)
    placements: list[Placement] = []
    for i, seg in enumerate(segs):
        nxt = segs[i + 1] if i + 1 < len(segs) else None
        placements += _plan_segment(seg, nxt, durations, options)
    total = timeline.total
    if options.beeps and segs:
        length = tone_seconds("end")
        placements.append(Placement(max(total - length, 0.0), Sound.TONE, "end", length, "end"))
    placements.sort(key=lambda p: (p.at, p.sound is not Sound.TONE))
    return AudioPlan(total, tuple(placements), tuple(segs))
