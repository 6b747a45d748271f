"""Printing data to stdout: JSON for scripts, rich on a terminal, plain text in a pipe.

Text from drill files is never markup: every rich object is built from ``Text``, and
the console has markup, emoji and highlighting turned off.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pose_coach import words
from pose_coach.describe import dose_text, entry_seconds, item_line
from pose_coach.library.faults import corrected_faults
from pose_coach.library.model import Drill, Entry, Routine
from pose_coach.numbers import finite
from pose_coach.terminal import Terminal
from pose_coach.timeline import Timeline

if TYPE_CHECKING:
    from pose_coach.library.cadence import RunnerCadence


def print_json(data: Any) -> None:
    # never NaN or Infinity: JSON has neither (numbers.finite writes null instead)
    text = json.dumps(finite(data), ensure_ascii=False, indent=2, allow_nan=False)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def print_table(rows: list[dict[str, Any]], terminal: Terminal, lead_in: float = 0.0) -> None:
    """``list``: each entry's time is its session's (``seconds`` + the lead-in), and the
    header says the lead-in is in it."""
    time = "TIME+LEAD-IN" if lead_in > 0 else "TIME"
    headers = ("ID", "KIND", "PHASE", time, "LEVEL", "TITLE")
    table = [
        (
            r["id"],
            r["kind"],
            r["phase"],
            words.clock(r["seconds"] + lead_in),
            r["level"] or "-",
            r["title"] + ("  (user file, replaces built-in)" if r["shadows"] else ""),
        )
        for r in rows
    ]
    if not terminal.styled:
        widths = [
            max(len(h), *(len(row[i]) for row in table)) if table else len(h)
            for i, h in enumerate(headers)
        ]
        for row in [headers, *table]:
            cells = (c.ljust(w) for c, w in zip(row, widths, strict=True))
            sys.stdout.write("  ".join(cells).rstrip() + "\n")
        return
    from rich.table import Table
    from rich.text import Text

    rich_table = Table(box=None, header_style="bold", pad_edge=False)
    for header in headers:
        rich_table.add_column(header)
    for row in table:
        rich_table.add_row(*(Text(cell) for cell in row))
    terminal.console().print(rich_table)


def entry_lines(
    entry: Entry, library: Mapping[str, Entry], runner: RunnerCadence | None = None
) -> list[tuple[str, str]]:
    """(style, text) lines of ``show``: the same words on a terminal and in a pipe.

    ``runner``: the runner's cadence that steps written ``+5%`` count from (default 180).
    """
    from pose_coach.library.cadence import DEFAULT_CADENCE, RunnerCadence, changed_cadence

    runner = runner or RunnerCadence(DEFAULT_CADENCE, "default")
    lines: list[tuple[str, str]] = []
    if isinstance(entry, Drill):
        lines.append(
            (
                "title",
                f"{entry.title}  [{entry.id}] · {entry.phase.value}"
                + (f" · {entry.level}" if entry.level else ""),
            )
        )
    else:
        lines.append(("title", f"{entry.title}  [{entry.id}] · routine"))
    if entry.shadows:
        lines.append(("note", f"user file {entry.source} replaces the {entry.shadows}"))
    elif entry.source != "builtin":
        lines.append(("note", f"from {entry.source}"))
    lines.append(("", ""))
    lines += [("", line) for line in entry.summary.splitlines()]
    lines.append(("", ""))
    if isinstance(entry, Drill):
        lines.append(("heading", "Dose"))
        lines.append(("", f"  {dose_text(entry)}"))
        if entry.equipment:
            lines.append(("", f"  equipment: {', '.join(entry.equipment)}"))
        if any(step.cadence_change is not None for step in entry.steps):
            lines.append(("", f"  cadence: {runner.describe()}"))
        if entry.evidence:
            lines.append(("", f"  evidence: {words.EVIDENCE[entry.evidence.value]}"))
        lines.append(("heading", "Steps"))
        for n, step in enumerate(entry.steps, 1):
            marks = []
            if step.side:
                marks.append(words.SIDES[step.side.value])
            spm = (
                changed_cadence(runner.spm, step.cadence_change)
                if step.cadence_change is not None
                else step.cadence
            )
            cadence = words.step_cadence(spm, step.cadence_change)
            if cadence:
                marks.append(cadence)
            if step.until_key:
                marks.append(words.OPEN_STEP)
            extra = f"  ({', '.join(marks)})" if marks else ""
            style = "checkpoint" if step.checkpoint else ""
            mark = "✓ " if step.checkpoint else ""
            lines.append(
                (style, f"  {n:>2}. {words.clock(step.seconds):>5}  {mark}{step.cue}{extra}")
            )
            if step.say:
                lines.append(("dim", f"             says: {step.say}"))
        if entry.checkpoints:
            lines.append(("heading", "Checkpoints"))
            lines += [("", f"  • {c}") for c in entry.checkpoints]
        if entry.faults:
            lines.append(("heading", "Faults and fixes"))
            lines += [
                ("", f"  • {f.fault} → {f.fix}" + (f"  [{f.id}]" if f.id else ""))
                for f in entry.faults
            ]
        corrects = corrected_faults(entry)
        if corrects:
            lines.append(("heading", "Corrects"))
            lines.append(("", f"  {', '.join(corrects)}  (pose-coach faults ID)"))
        if entry.safety:
            lines.append(("heading", "Safety"))
            for note in entry.safety:
                first, *rest = note.splitlines() or [""]
                lines.append(("", f"  • {first}"))
                lines += [("", f"    {more}") for more in rest]
        if entry.sources:
            lines.append(("heading", "Sources"))
            lines += [("dim", f"  {s}") for s in entry.sources]
    else:
        if _routine_has_relative_cadence(entry, library):
            lines.append(("", f"Cadence: {runner.describe()}"))
            lines.append(("", ""))
        lines.append(("heading", f"Items — {words.clock(entry_seconds(entry, library))} in all"))
        for n, item in enumerate(entry.items, 1):
            text, seconds = item_line(item, library)
            lines.append(("", f"  {n:>2}. {words.clock(seconds):>5}  {text}"))
    return lines


def _routine_has_relative_cadence(routine: Routine, library: Mapping[str, Entry]) -> bool:
    from pose_coach.timeline import flatten_items

    for item in flatten_items(routine, library):
        drill = library.get(item.ref) if item.ref else None
        if isinstance(drill, Drill) and any(s.cadence_change is not None for s in drill.steps):
            return True
    return False


_STYLES = {
    "title": "bold",
    "heading": "bold underline",
    "checkpoint": "bold yellow",
    "dim": "dim",
    "note": "italic",
}


def print_entry(
    entry: Entry,
    library: Mapping[str, Entry],
    terminal: Terminal,
    runner: RunnerCadence | None = None,
) -> None:
    lines = entry_lines(entry, library, runner)
    if not terminal.styled:
        sys.stdout.write("".join(text + "\n" for _, text in lines))
        return
    from rich.text import Text

    console = terminal.console()
    for style, text in lines:
        console.print(Text(text, style=_STYLES.get(style, "")))


def print_timeline(timeline: Timeline, fmt: str) -> None:
    """``--dry-run``: the whole timeline at once, in the chosen format."""
    from pose_coach.events import event_object, json_line, plain_line

    if fmt == "json":
        out = [json_line(event_object(e, timeline)) for e in timeline.events]
    else:
        out = [plain_line(e, timeline) for e in timeline.events]
    sys.stdout.write("".join(line + "\n" for line in out))
    sys.stdout.flush()


def fault_lines(rows: list[dict[str, Any]]) -> list[str]:
    """``pose-coach faults``: each fault id, its label, then its drills, best first."""
    width = max((len(r["id"]) for r in rows), default=0)
    lines = []
    for r in rows:
        lines.append(f"{r['id']:<{width}}  {r['label']}")
        drills = ", ".join(r["drills"]) if r["drills"] else "(no drill yet)"
        lines.append(f"{'':<{width}}  drills: {drills}")
    return lines


def fault_detail_lines(detail: dict[str, Any]) -> list[str]:
    """``pose-coach faults ID``: the drills for one fault, best first, with their fixes."""
    lines = [f"{detail['id']}: {detail['label']}", ""]
    if not detail["drills"]:
        lines.append("No drill in the library corrects this fault yet.")
    for n, d in enumerate(detail["drills"], 1):
        level = f", {d['level']}" if d["level"] else ""
        lines.append(f"  {n:>2}. {d['id']}  {d['title']} ({d['phase']}{level})")
        if d["fix"]:
            lines.append(f"      fix: {d['fix']}")
    if detail["drills"]:
        lines += ["", f"Start with: pose-coach drill {detail['drills'][0]['id']}"]
    return lines


def print_lines(lines: list[str]) -> None:
    """Plain lines on stdout (the same in a pipe and on a terminal; never markup)."""
    sys.stdout.write("".join(line + "\n" for line in lines))
    sys.stdout.flush()
