"""Cue sheets: one content model built from drills and routines, written in four formats.

``build_sheet`` gathers what a coach hands out — each routine's order with start times and
doses, then one card per drill (steps with times, checkpoints, faults with fixes, safety).
The writers (``sheet_text``, ``sheet_markdown``, ``sheet_html``, ``sheet_pdf``) only lay
that model out and escape drill text for their format; none of them looks at YAML or
recomputes a dose, so every format says the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from pose_coach import words
from pose_coach.errors import UsageError
from pose_coach.library.model import Drill, Entry, Fault, ItemKind, Phase, Routine, Side
from pose_coach.timeline import flatten_items, step_cadence

if TYPE_CHECKING:
    from pose_coach.library.cadence import RunnerCadence

PAPERS = ("a4", "letter")
LAYOUTS = ("cards", "coach")  # a card per drill, or the one-page coach view
NOTE_ROWS = 8  # athlete lines in the notes section of ``--notes``
CHECK_MARK = "✓"


@dataclass(frozen=True)
class SheetStep:
    number: int
    cue: str
    seconds: float  # one pass (one leg, for ``each leg`` steps), with the routine's scale
    checkpoint: bool = False
    side: Side | None = None
    cadence: int | None = None  # steps per minute: fixed, or the runner's own changed
    open_ended: bool = False
    cadence_change: float | None = None  # percent, for a step written ``cadence: +5%``

    @property
    def marks(self) -> tuple[str, ...]:
        """Short notes printed after the cue: legs (the standing one), cadence, open end."""
        out = []
        if self.side is not None:
            out.append(words.SIDES[self.side.value])
        if self.cadence_change is not None:
            from pose_coach.library.cadence import change_text

            out.append(f"{change_text(self.cadence_change)} = {self.cadence} steps/min")
        elif self.cadence:
            out.append(f"{self.cadence} steps/min")
        if self.open_ended:
            out.append(words.OPEN_STEP)
        return tuple(out)


@dataclass(frozen=True)
class DrillCard:
    """Everything printed about one drill, at the dose it has on this sheet."""

    id: str
    title: str
    phase: Phase
    summary: str
    sets: int
    rest: float
    set_seconds: float
    total_seconds: float  # every set and the rests between them
    steps: tuple[SheetStep, ...]
    checkpoints: tuple[str, ...] = ()
    faults: tuple[Fault, ...] = ()
    safety: tuple[str, ...] = ()
    level: str | None = None
    equipment: tuple[str, ...] = ()
    figure: str = "pose"  # the figure drawn on the card (library.model.FIGURES)
    evidence: str | None = None  # 'single-source' or 'contested'

    @property
    def dose(self) -> str:
        return words.dose(self.sets, self.set_seconds, self.rest, self.total_seconds)

    @property
    def meta(self) -> str:
        """Phase, level, equipment and an evidence flag on one line."""
        parts = [f"{self.phase.value} phase"]
        if self.level:
            parts.append(self.level)
        if self.equipment:
            parts.append("needs " + ", ".join(self.equipment))
        if self.evidence:
            parts.append(words.EVIDENCE[self.evidence].split(":")[0])
        return " · ".join(parts)

    @property
    def key_cue(self) -> SheetStep:
        """The one cue a coach calls out: the first form check, else the longest step."""
        checks = [step for step in self.steps if step.checkpoint]
        return checks[0] if checks else max(self.steps, key=lambda step: step.seconds)

    @property
    def top_fault(self) -> Fault | None:
        return self.faults[0] if self.faults else None


@dataclass(frozen=True)
class OrderRow:
    """One line of a routine's order: a drill at its dose, or a rest."""

    start: float
    seconds: float
    title: str
    number: int | None = None  # drill number within the routine; None for a rest
    drill_id: str | None = None
    phase: Phase | None = None
    dose: str = ""

    @property
    def is_rest(self) -> bool:
        return self.drill_id is None


@dataclass(frozen=True)
class RoutinePlan:
    title: str
    rows: tuple[OrderRow, ...]

    @property
    def total_seconds(self) -> float:
        return sum(row.seconds for row in self.rows)

    @property
    def drill_count(self) -> int:
        return sum(1 for row in self.rows if not row.is_rest)


@dataclass(frozen=True)
class Sheet:
    """A whole cue sheet: routine plans first, then one card per distinct drill and dose."""

    title: str
    subtitle: str
    summary: str  # the entry's summary when the sheet is one entry; '' otherwise
    plans: tuple[RoutinePlan, ...]
    cards: tuple[DrillCard, ...]
    common_safety: tuple[str, ...]  # safety notes shared by two or more cards, printed once
    total_seconds: float
    notes: bool = False
    safety_everywhere: bool = True  # every card shares every common note
    cadence_note: str | None = None  # which cadence ``+5%`` steps count from, when any

    @property
    def safety_heading(self) -> str:
        """A heading that says what is true: for every drill only when it is."""
        return (
            "Safety for every drill"
            if self.safety_everywhere
            else ("Safety notes for several drills")
        )

    @property
    def has_checkpoints(self) -> bool:
        """Whether a step carries the check mark, so the sheet explains it."""
        return any(step.checkpoint for card in self.cards for step in card.steps)

    def order_heading(self, plan: RoutinePlan, escape: Callable[[str], str] = str) -> str:
        """The heading over ``plan``'s order; it names the routine unless the title does.

        ``escape`` applies to the routine's title only (Markdown must not escape the clock).
        """
        total = f"{words.clock(plan.total_seconds)} in all"
        if len(self.plans) > 1 or plan.title != self.title:
            return f"Order: {escape(plan.title)} — {total}"
        return f"Order — {total}"


def _card(drill: Drill, sets: int, rest: float, scale: float, runner_spm: int) -> DrillCard:
    steps = tuple(
        SheetStep(
            number=n,
            cue=step.cue,
            seconds=step.seconds * scale,
            checkpoint=step.checkpoint,
            side=step.side,
            cadence=step_cadence(step, runner_spm),
            open_ended=step.until_key,
            cadence_change=step.cadence_change,
        )
        for n, step in enumerate(drill.steps, 1)
    )
    return DrillCard(
        id=drill.id,
        title=drill.title,
        phase=drill.phase,
        summary=drill.summary,
        sets=sets,
        rest=rest,
        set_seconds=drill.set_seconds * scale,
        total_seconds=drill.dose_seconds(sets, rest, scale),
        steps=steps,
        checkpoints=drill.checkpoints,
        faults=drill.faults,
        safety=drill.safety,
        level=drill.level,
        equipment=drill.equipment,
        figure=drill.figure_name,
        evidence=drill.evidence.value if drill.evidence else None,
    )


def _routine_parts(
    routine: Routine, library: Mapping[str, Entry], runner_spm: int
) -> tuple[RoutinePlan, list[DrillCard]]:
    rows: list[OrderRow] = []
    cards: list[DrillCard] = []
    clock, number = 0.0, 0
    for item in flatten_items(routine, library):  # the order the session plays
        if item.kind is ItemKind.REST:
            title = f"rest: {item.cue}" if item.cue else "rest"
            rows.append(OrderRow(start=clock, seconds=item.seconds, title=title))
            clock += item.seconds
            continue
        drill = library[item.target]
        assert isinstance(drill, Drill)
        sets, rest = item.dose(drill)
        card = _card(drill, sets, rest, item.seconds_scale, runner_spm)
        number += 1
        dose = words.dose_short(sets, card.set_seconds, rest)
        rows.append(
            OrderRow(
                start=clock,
                seconds=card.total_seconds,
                title=drill.title,
                number=number,
                drill_id=drill.id,
                phase=drill.phase,
                dose=dose,
            )
        )
        clock += card.total_seconds
        cards.append(card)
    return RoutinePlan(title=routine.title, rows=tuple(rows)), cards


def build_sheet(
    entries: Sequence[Entry],
    library: Mapping[str, Entry],
    *,
    notes: bool = False,
    runner: RunnerCadence | None = None,
) -> Sheet:
    """The cue sheet of ``entries`` (drills and routines, in order), ids resolved in ``library``.

    A drill that comes back at the same dose (in two routines, or a routine and on its own)
    gets one card. Safety notes that two or more cards share (near-duplicates too, see
    ``safety_key``) move to ``common_safety``. ``runner``: the runner's cadence that steps
    written ``+5%`` count from (default: 180, said to be the default).
    """
    from pose_coach.library.cadence import DEFAULT_CADENCE, RunnerCadence

    if not entries:
        raise UsageError("a cue sheet needs at least one drill or routine id")
    runner = runner or RunnerCadence(DEFAULT_CADENCE, "default")
    plans: list[RoutinePlan] = []
    cards: list[DrillCard] = []
    total = 0.0
    for entry in entries:
        if isinstance(entry, Routine):
            plan, routine_cards = _routine_parts(entry, library, runner.spm)
            plans.append(plan)
            cards += routine_cards
            total += plan.total_seconds
        else:
            card = _card(entry, entry.sets, entry.rest, 1.0, runner.spm)
            cards.append(card)
            total += card.total_seconds
    unique = list({(c.id, c.sets, c.rest, c.set_seconds): c for c in reversed(cards)}.values())
    unique.reverse()  # first appearance wins, in sheet order
    common: tuple[str, ...] = ()
    everywhere = True
    if len(unique) > 1:
        common, unique, everywhere = _shared_safety(unique)
    if len(entries) == 1:
        only = entries[0]
        title, summary = only.title, only.summary
        if isinstance(only, Routine):
            subtitle = f"routine · {words.plural(plans[0].drill_count, 'drill')}"
        else:
            subtitle = f"drill · {only.phase.value} phase"
    else:
        title = " · ".join(entry.title for entry in entries)
        summary = ""
        counts = {k: sum(1 for e in entries if e.kind == k) for k in ("routine", "drill")}
        subtitle = ", ".join(words.plural(n, k) for k, n in counts.items() if n)
    subtitle += f" · {words.clock(total)} in all"
    return Sheet(
        title=title,
        subtitle=subtitle,
        summary=summary,
        plans=tuple(plans),
        cards=tuple(unique),
        common_safety=common,
        total_seconds=total,
        notes=notes,
        safety_everywhere=everywhere,
        cadence_note=runner.describe()
        if any(step.cadence_change is not None for card in unique for step in card.steps)
        else None,
    )


def safety_key(note: str) -> str:
    """What a safety note says, for finding near-duplicates: its first clause, in lower
    case, without punctuation ("Stop if anything hurts." and "Stop if anything hurts;
    soreness is normal at first" are one note)."""
    first = re.split(r"[;.:!]", note, maxsplit=1)[0]
    return " ".join(re.sub(r"[^\w\s]", " ", first.lower()).split())


def _shared_safety(cards: list[DrillCard]) -> tuple[tuple[str, ...], list[DrillCard], bool]:
    """(the notes two or more cards share, the cards without them, whether every card had
    every one). Of near-duplicates the fullest wording is printed."""
    keyed = [{safety_key(note): note for note in card.safety} for card in cards]
    counts: dict[str, int] = {}
    fullest: dict[str, str] = {}
    for notes in keyed:
        for key, note in notes.items():
            counts[key] = counts.get(key, 0) + 1
            if len(note) > len(fullest.get(key, "")):
                fullest[key] = note
    shared = [key for key, n in counts.items() if n > 1]
    common = tuple(fullest[key] for key in shared)
    everywhere = all(counts[key] == len(cards) for key in shared)
    out = [
        replace(card, safety=tuple(n for n in card.safety if safety_key(n) not in shared))
        for card in cards
    ]
    return common, out, everywhere
