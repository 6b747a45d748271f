"""Cue style: what a runner reads at a glance from 2-3 m and hears mid-movement.

A cue is short (at most ``MAX_CUE_WORDS`` words), an instruction, and in the method's own
words: the support foot is *pulled*, not lifted or pushed (Romanov's seminar line is
"Pull, pull, pull!"; the Pose articles speak of pulling the foot under the hip). ``validate``
warns about cues that break the first and the last rule; the built-in library has none.
"""

from __future__ import annotations

import re

from pose_coach.errors import Problem
from pose_coach.library.model import Drill, Entry

MAX_CUE_WORDS = 8
# words that teach the opposite of the Pose action, with the word to use instead
_OFF_VOCABULARY = {"lift": "pull", "lifts": "pull", "lifting": "pull"}
_WORD = re.compile(r"[A-Za-z']+")


def cue_words(cue: str) -> int:
    """Words as a runner reads them: "Fall… pull!" is two."""
    return len(cue.split())


def off_vocabulary(cue: str) -> list[tuple[str, str]]:
    """(word used, Pose word) for each non-Pose verb in the cue."""
    found = []
    for word in _WORD.findall(cue):
        better = _OFF_VOCABULARY.get(word.lower())
        if better:
            found.append((word, better))
    return found


def warnings(entry: Entry) -> list[Problem]:
    if not isinstance(entry, Drill):
        return []
    out = []
    for i, step in enumerate(entry.steps):
        words = cue_words(step.cue)
        if words > MAX_CUE_WORDS:
            out.append(
                Problem(
                    entry.source,
                    None,
                    None,
                    f"steps[{i}].cue",
                    f"{words} words; a cue read at a glance has at most {MAX_CUE_WORDS} "
                    "(put the rest in 'say')",
                    warning=True,
                )
            )
        for word, better in off_vocabulary(step.cue):
            out.append(
                Problem(
                    entry.source,
                    None,
                    None,
                    f"steps[{i}].cue",
                    f"{word!r}: Pose cues say {better!r} (the foot is pulled, not lifted)",
                    warning=True,
                )
            )
    return out
