"""Will a step's spoken words fit in the step? Estimated from words per minute.

The live player and the renderer measure real clip lengths; ``validate`` uses this
estimate so it needs no speech engine. Two checks:

- the cue itself must fit in the step (else it is cut short);
- a ``say`` (the longer spoken form) is spoken only when it ends before the warning beeps
  of the step's last 3 seconds; otherwise the short cue plays instead, and the ``say`` is
  never heard. The timing rules are the audio plan's (``audio/plan.py``), repeated here
  as numbers so the library needs no audio code; a test keeps the two in step.
"""

from __future__ import annotations

from pose_coach.errors import Problem
from pose_coach.library.model import Drill, Entry, Side, Step

DEFAULT_RATE_WPM = 165
SPEECH_MARGIN = 0.5  # seconds kept free before the next cue
ONSET = 0.32  # speech starts this long after a step's onset (its tone, then a gap)
WARN_SECONDS = 3.0  # the warning beeps over a step's last seconds
BEEP_MARGIN = 0.3  # silence kept between speech and the warning beeps
JOIN = 0.15  # silence between two clips spoken one after the other
SWITCH_TEXT = "Right leg"  # spoken before a step that starts on the other leg (or "Left leg")


def estimate_seconds(text: str, rate_wpm: int = DEFAULT_RATE_WPM) -> float:
    """Rough spoken length: words at ``rate_wpm`` plus a short lead."""
    words = max(len(text.split()), 1)
    return 0.3 + words * 60.0 / rate_wpm


def switch_before(drill: Drill, index: int) -> bool:
    """Whether some pass of step ``index`` starts with "Switch legs": the right half of a
    ``both`` step, an ``alternate`` step from the second set, or a one-leg step after a
    step on another leg (the previous one-leg step, counting round from the last step,
    since the next set starts over)."""
    step = drill.steps[index]
    if step.side is None:
        return False
    if step.side in (Side.BOTH, Side.ALTERNATE):
        return True
    sided = [s for s in drill.steps if s.side is not None]
    position = next(i for i, s in enumerate(sided) if s is step)
    previous = sided[position - 1]
    return previous.side is not step.side


def say_room(step: Step, switch: bool = False, rate_wpm: int = DEFAULT_RATE_WPM) -> float:
    """Seconds the spoken words may take and still come before the warning beeps; after a
    "Switch legs" less. Open steps count the same way: the hands-free session counts their
    last seconds down too."""
    room = step.seconds - WARN_SECONDS - BEEP_MARGIN - ONSET
    if switch:
        room -= estimate_seconds(SWITCH_TEXT, rate_wpm) + JOIN
    return room


def say_fits(step: Step, switch: bool = False, rate_wpm: int = DEFAULT_RATE_WPM) -> bool:
    """Whether the step's ``say`` (if any) is spoken rather than dropped for the cue."""
    return step.say is None or estimate_seconds(step.say, rate_wpm) <= say_room(
        step, switch, rate_wpm
    )


def cue_after_switch_fits(step: Step, rate_wpm: int = DEFAULT_RATE_WPM) -> bool:
    """Whether the cue is still spoken after "Switch legs" (else only the switch is)."""
    return estimate_seconds(step.cue, rate_wpm) <= say_room(step, True, rate_wpm)


def warnings(entry: Entry, rate_wpm: int = DEFAULT_RATE_WPM) -> list[Problem]:
    if not isinstance(entry, Drill):
        return []
    out = []
    for i, step in enumerate(entry.steps):
        needed = estimate_seconds(step.cue, rate_wpm) + SPEECH_MARGIN
        if needed > step.seconds:
            out.append(
                Problem(
                    entry.source,
                    None,
                    None,
                    f"steps[{i}]",
                    f"step of {step.seconds:g} s is too short for its spoken cue "
                    f"(about {needed:.1f} s); lengthen it or shorten the cue",
                    warning=True,
                )
            )
        switch = switch_before(entry, i)
        if step.say is not None and not say_fits(step, switch, rate_wpm):
            needed = estimate_seconds(step.say, rate_wpm)
            room = max(say_room(step, switch, rate_wpm), 0)
            after = ' after "Switch legs"' if switch else ""
            out.append(
                Problem(
                    entry.source,
                    None,
                    None,
                    f"steps[{i}].say",
                    f"never spoken: it takes about {needed:.1f} s and a {step.seconds:g} s step "
                    f"leaves {room:.1f} s{after} before the last-{WARN_SECONDS:g}-s beeps, so "
                    "the cue plays instead; shorten it, lengthen the step or drop it",
                    warning=True,
                )
            )
        if switch and not cue_after_switch_fits(step, rate_wpm):
            out.append(
                Problem(
                    entry.source,
                    None,
                    None,
                    f"steps[{i}].cue",
                    f'after "Switch legs" the cue does not fit in the {step.seconds:g} s step '
                    f"before the last-{WARN_SECONDS:g}-s beeps, so only the switch is spoken; "
                    "lengthen the step or shorten the cue",
                    warning=True,
                )
            )
    return out
