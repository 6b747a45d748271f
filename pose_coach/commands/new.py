"""``new drill ID`` / ``new routine ID``: a commented template in the user's library."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click

from pose_coach.commands.common import current_terminal, json_option, say, warn
from pose_coach.errors import printable

EXAMPLE_IDS = {"drill": "hill-fall", "routine": "my-warmup"}

DRILL_TEMPLATE = """\
# A pose-coach drill. Edit it, then check it:  pose-coach validate {path}
# Play it:  pose-coach drill {id}      The format: `pose-coach docs drill-format`
# Lines starting with # are comments; fields marked "optional" can be deleted.

id: {id}                          # must equal the file name
title: {title}
phase: fall                      # pose, fall or pull
summary: >-
  What the drill teaches and how to do it, in a sentence or two.
  It may take several lines.
level: beginner                  # optional
equipment: [wall]                # optional: a list, or [] for none
sets: 2                          # the default dose: sets...
rest: 20                         # ...and seconds of rest between them (or m:ss)

steps:                           # each step: a short cue (spoken) and its seconds
  - cue: Stand tall in the pose
    seconds: 10
    say: Stand tall on the ball of the foot, the other foot under the hip.  # optional
  - cue: Lean from the ankles, not the waist
    seconds: 8
    checkpoint: true             # optional: a form check, emphasised
  - cue: Pull the foot under the hip
    seconds: 10
    side: both                   # optional: the standing leg: left, right, both
                                 # (once per leg) or alternate (left, right by set)
  # - cue: Run out twenty metres, walk back
  #   seconds: 30                # the fallback when there is no key to press
  #   until: key                 # a run-out: counted down, Enter ends it early
  #   cadence: +5%               # metronome: 5 % above your own cadence, or
  #                              # a fixed number of steps per minute, 60 to 240

checkpoints:                     # optional: what to look for
  - Body straight from ankles to shoulders
  - Support on the ball of the foot
faults:                          # optional: common mistakes and their fixes
  - fault: Bending at the waist
    fix: Lean from the ankles with the hips forward
    id: bending-at-waist         # optional: the fault's id (pose-coach faults)
corrects: [bending-at-waist]     # optional: the faults this drill corrects, main first
# figure: wall-fall              # optional: the sheet's figure (default: the phase's)
# evidence: single-source        # optional: when only one source describes the steps
safety:                          # optional
  - Stop if anything hurts.
sources:                         # optional: where the drill is described
  - Title of the page or book, and its address
"""

ROUTINE_TEMPLATE = """\
# A pose-coach routine: drills in a row, with rests. Edit it, then check it:
#   pose-coach validate {path}
# Play it:  pose-coach routine {id}
# Drill ids: pose-coach list --kind drill. Lines starting with # are comments.

id: {id}                          # must equal the file name
title: {title}
summary: >-
  What the routine is for and when to do it, in a sentence or two.

items:                           # played in order
  - drill: pose                  # a drill id
    sets: 1                      # optional: override the drill's sets...
  - drill: pull
    sets: 1
    rest: 10                     # optional: ...and its rest between sets (seconds)
  - rest: 15                     # a rest between drills, in seconds (or m:ss)
  - drill: fall
    sets: 2
    seconds_scale: 1.5           # optional: every step 1.5 times as long
  # - routine: pre-run           # include another routine
"""


@click.group("new")
def new_group() -> None:
    """Start a drill or routine of your own from a commented template.

    The file goes into your library folder, where every command finds it;
    an existing file is never overwritten.

    \b
    Example:
      pose-coach new drill hill-fall
      pose-coach new routine my-warmup
    """


@new_group.command("drill")
@click.argument("new_id", metavar="ID")
@json_option
def new_drill(new_id: str, as_json: bool) -> None:
    """Write a drill template to your library and print its path.

    \b
    Example:
      "$EDITOR" "$(pose-coach new drill hill-fall)"
    """
    _create("drill", new_id, as_json)


@new_group.command("routine")
@click.argument("new_id", metavar="ID")
@json_option
def new_routine(new_id: str, as_json: bool) -> None:
    """Write a routine template to your library and print its path.

    \b
    Example:
      "$EDITOR" "$(pose-coach new routine my-warmup)"
    """
    _create("routine", new_id, as_json)


def template_path(kind: str, entry_id: str) -> Path:
    """Where ``new`` puts a file: ``<library>/ID.yaml``, routines in ``routines/``."""
    from pose_coach.paths import user_library_dir

    folder = user_library_dir() / ("routines" if kind == "routine" else "")
    return folder / f"{entry_id}.yaml"


def render_template(kind: str, entry_id: str, path: Path) -> str:
    """The template, its comments naming ``path``. The path goes through the one escaping
    function: a home folder holding a newline or an ESC would otherwise end the comment
    or put a control character in the file, and the template would not validate."""
    template = ROUTINE_TEMPLATE if kind == "routine" else DRILL_TEMPLATE
    title = entry_id.replace("-", " ").capitalize()
    return template.format(id=entry_id, title=title, path=printable(shlex.quote(str(path))))


def create_template(kind: str, entry_id: str) -> tuple[Path, str | None]:
    """Write the template; return its path and a warning (a built-in it replaces) or None.

    Raises UsageError for an id that is not valid or belongs to the other kind, and
    PoseCoachError (exit 1) when the file, or another user file with this id, exists.
    """
    from pose_coach.atomic import write_text_atomic
    from pose_coach.errors import OutputError, PoseCoachError, UsageError, display_path
    from pose_coach.library.catalog import load_catalog
    from pose_coach.library.fields import printable
    from pose_coach.library.loader import ID_PATTERN

    if not ID_PATTERN.fullmatch(entry_id):
        shown = printable(entry_id)
        fixed = re.sub(r"[^a-z0-9]+", "-", entry_id.lower()).strip("-")[:40].strip("-")
        example = fixed if ID_PATTERN.fullmatch(fixed) else EXAMPLE_IDS[kind]
        raise UsageError(
            f"'{shown}' is not a valid id: use lowercase letters, digits and hyphens, "
            "starting with a letter or digit, at most 40 characters",
            hint=f"for example: pose-coach new {kind} {example}",
        )
    path = template_path(kind, entry_id)
    for candidate in (template_path("drill", entry_id), template_path("routine", entry_id)):
        for existing in (candidate, candidate.with_suffix(".yml")):
            if existing.exists():
                raise PoseCoachError(
                    f"{display_path(existing)} already exists; nothing was written",
                    hint=f'edit it ("$EDITOR" {shlex.quote(str(existing))}) or pick another id',
                )
    catalog = load_catalog()
    taken = catalog.entries.get(entry_id)
    broken = catalog.broken_ids().get(entry_id)
    if taken is not None and taken.source != "builtin":
        raise PoseCoachError(
            f"the id '{entry_id}' is already used by {taken.source}; nothing was written",
            hint="pick another id",
        )
    if broken is not None:
        raise PoseCoachError(
            f"the id '{entry_id}' is already used by {broken}; nothing was written",
            hint=f"pick another id, or fix that file (pose-coach validate {broken})",
        )
    warning = None
    if taken is not None and taken.kind != kind:
        raise UsageError(
            f"'{entry_id}' is the id of a built-in {taken.kind}; a {kind} with that id "
            f"would replace it",
            hint="pick another id",
        )
    if taken is not None:
        warning = (
            f"your {kind} '{entry_id}' will replace the built-in one "
            f"(see it with `pose-coach show {entry_id}`)"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create {display_path(path.parent)}: {exc.strerror}",
            hint="check that the folder is writable (POSE_COACH_HOME moves it)",
        ) from None
    write_text_atomic(path, render_template(kind, entry_id, path), overwrite=False)
    return path, warning


def _create(kind: str, entry_id: str, as_json: bool) -> None:
    path, warning = create_template(kind, entry_id)
    if warning:
        warn(warning)
    if as_json:
        from pose_coach.output import print_json

        print_json({"path": str(path), "id": entry_id, "kind": kind})
    else:
        # data for "$(pose-coach new ...)": as it is in a pipe, escaped on a terminal
        click.echo(printable(str(path)) if current_terminal().stdout_tty else str(path))
    quoted = shlex.quote(str(path))
    say(f"pose-coach: created {kind} '{entry_id}'. Next:")
    say(f'  "$EDITOR" {quoted}')
    say(f"  pose-coach validate {quoted}")
    say(f"  pose-coach {kind} {entry_id}")
