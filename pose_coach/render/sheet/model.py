"""Cue sheets: one content model built from drills and routines, written in four formats.

``build_sheet`` gathers what a coach hands out — each routine's order with start times and
doses, then one card per drill (steps with times, checkpoints, faults with fixes, safety).
The writers (``sheet_text``, ``sheet_markdown``, ``sheet_html``, ``sheet_pdf``) only lay
that model out and escape drill text for their format; none of them looks at YAML or
recomputes a dose, so every format says the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from pose_coach import words
from pose_coach.errors import UsageError
from pose_coach.library.model import Drill, Entry, Fault, ItemKind, Phase, Routine, Side
from pose_coach.timeline import flatten_items

PAPERS = ("a4", "letter")
NOTE_ROWS = 8  # athlete lines in the notes section of ``--notes``
CHECK_MARK = "✓"


@dataclass(frozen=True)
class SheetStep:
    number: int
    cue: str
    seconds: float  # one pass (one leg, for ``each leg`` steps), with the routine's scale
    checkpoint: bool = False
    side: Side | None = None
    cadence: int | None = None
    open_ended: bool = False

    @property
    def marks(self) -> tuple[str, ...]:
        """Short notes printed after the cue: legs, cadence, open end."""
        out = []
        if self.side is Side.BOTH:
            out.append("each leg")
        elif self.side is not None:
            out.append(f"{self.side.value} leg")
        if self.cadence:
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

    @property
    def dose(self) -> str:
        return words.dose(self.sets, self.set_seconds, self.rest, self.total_seconds)

    @property
    def meta(self) -> str:
        """Phase, level and equipment on one line."""
        parts = [f"{self.phase.value} phase"]
        if self.level:
            parts.append(self.level)
        if self.equipment:
            parts.append("needs " + ", ".join(self.equipment))
        return " · ".join(parts)


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


def _card(drill: Drill, sets: int, rest: float, scale: float) -> DrillCard:
    steps = tuple(
        SheetStep(
            number=n,
            cue=step.cue,
            seconds=step.seconds * scale,
            checkpoint=step.checkpoint,
            side=step.side,
            cadence=step.cadence,
            open_ended=step.until_key,
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
    )


def _routine_parts(
    routine: Routine, library: Mapping[str, Entry]
) -> tuple[RoutinePlan, list[DrillCard]]:
    rows: list[OrderRow] = []
    cards: list[DrillCard] = []
    clock, number = 0.0, 0
    for item in flatten_items(routine, library):  # the order the session plays
        if item.kind is ItemKind.REST:
            rows.append(OrderRow(start=clock, seconds=item.seconds, title="rest"))
            clock += item.seconds
            continue
        drill = library[item.target]
        assert isinstance(drill, Drill)
        sets, rest = item.dose(drill)
        card = _card(drill, sets, rest, item.seconds_scale)
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
    entries: Sequence[Entry], library: Mapping[str, Entry], *, notes: bool = False
) -> Sheet:
    """The cue sheet of ``entries`` (drills and routines, in order), ids resolved in ``library``.

    A drill that comes back at the same dose (in two routines, or a routine and on its own)
    gets one card. Safety notes that two or more cards share move to ``common_safety``.
    """
    if not entries:
        raise UsageError("a cue sheet needs at least one drill or routine id")
    plans: list[RoutinePlan] = []
    cards: list[DrillCard] = []
    total = 0.0
    for entry in entries:
        if isinstance(entry, Routine):
            plan, routine_cards = _routine_parts(entry, library)
            plans.append(plan)
            cards += routine_cards
            total += plan.total_seconds
        else:
            card = _card(entry, entry.sets, entry.rest, 1.0)
            cards.append(card)
            total += card.total_seconds
    unique = list({(c.id, c.sets, c.rest, c.set_seconds): c for c in reversed(cards)}.values())
    unique.reverse()  # first appearance wins, in sheet order
    common: tuple[str, ...] = ()
    if len(unique) > 1:
        counts: dict[str, int] = {}
        for card in unique:
            for note in dict.fromkeys(card.safety):
                counts[note] = counts.get(note, 0) + 1
        common = tuple(note for note, n in counts.items() if n > 1)
        unique = [_without_safety(card, common) for card in unique]
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
    )


def _without_safety(card: DrillCard, common: tuple[str, ...]) -> DrillCard:
    return replace(card, safety=tuple(note for note in card.safety if note not in common))
