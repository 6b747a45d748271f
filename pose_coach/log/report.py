"""Print the practice log and its stats: rich on a terminal, plain columns in a pipe.

Titles come from drill files and imported logs, so they are never markup: rich output is
built from ``Text`` objects, and control characters are replaced before printing.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import tzinfo
from typing import TextIO

from pose_coach import words
from pose_coach.log.stats import Stats, Week, not_counted_text, streak_text
from pose_coach.log.store import SessionRecord, parse_utc

# Each phase has a glyph as well as a colour, so the stacked bars read without colour.
_PHASE_LOOK = {"pose": ("█", "cyan"), "fall": ("▓", "yellow"), "pull": ("▒", "magenta")}
_OTHER_LOOK = ("░", "white")


def clean(text: str | None) -> str:
    """Text safe to print: no control characters (no escape sequences from a file)."""
    if not text:
        return ""
    return "".join(c if c.isprintable() else "?" for c in text)


def local_time(started_at: str, tz: tzinfo | None = None) -> str:
    moment = parse_utc(started_at)
    local = moment.astimezone(tz) if tz is not None else moment.astimezone()
    return local.strftime("%Y-%m-%d %H:%M")


def session_rows(records: Sequence[SessionRecord], tz: tzinfo | None = None) -> list[tuple]:
    return [
        (
            local_time(r.started_at, tz),
            clean(r.id),
            r.outcome,
            f"{words.clock(r.actual_seconds)}/{words.clock(r.planned_seconds)}",
            f"{r.steps_done}/{r.steps_total}",
            clean(r.title) + _played_note(r),
        )
        for r in records
    ]


def _played_note(record: SessionRecord) -> str:
    """`` (x10)`` for a tryout, `` (scripted)`` or `` (scripted, x10)`` with no terminal."""
    notes = ["scripted"] if record.played_as == "scripted" else []
    if record.speed != 1:
        notes.append(f"x{record.speed:g}")
    return f" ({', '.join(notes)})" if notes else ""


SESSION_HEADERS = ("STARTED", "ID", "OUTCOME", "PLAYED", "STEPS", "TITLE")


def print_sessions(
    records: Sequence[SessionRecord],
    *,
    terminal: bool,
    color: bool = True,
    tz: tzinfo | None = None,
    stream: TextIO | None = None,
) -> None:
    stream = stream or sys.stdout
    rows = session_rows(records, tz)
    if not terminal:
        widths = [
            max(len(h), *(len(row[i]) for row in rows)) if rows else len(h)
            for i, h in enumerate(SESSION_HEADERS)
        ]
        for row in [SESSION_HEADERS, *rows]:
            padded = (c.ljust(w) for c, w in zip(row, widths, strict=True))
            stream.write("  ".join(padded).rstrip() + "\n")
        return
    from rich.table import Table
    from rich.text import Text

    from pose_coach.terminal import plain_console

    table = Table(box=None, header_style="bold", pad_edge=False)
    for header in SESSION_HEADERS:
        table.add_column(header, no_wrap=header != "TITLE")
    styles = {"completed": "green", "quit": "yellow", "interrupted": "yellow", "error": "red"}
    for row in rows:
        cells: list[Text] = [Text(cell) for cell in row]
        cells[2].stylize(styles.get(row[2], ""))
        table.add_row(*cells)
    plain_console(stream, color).print(table)


def _minutes(value: float) -> str:
    return f"{value:.1f}"


def print_stats(
    stats: Stats, *, terminal: bool, color: bool = True, stream: TextIO | None = None
) -> None:
    stream = stream or sys.stdout
    if terminal:
        _print_chart(stats, stream, color)
        _print_runs(stats, stream, styled=True, color=color)
        return
    headers: tuple[str, ...] = (
        "week",
        *stats.phases,
        "total",
        "sessions",
        "completed",
        "stopped",
    )
    rows = [
        (
            week.start.isoformat(),
            *(_minutes(week.minutes[p]) for p in stats.phases),
            _minutes(week.total),
            str(week.sessions),
            str(week.completed),
            str(week.stopped),
        )
        for week in stats.weeks
    ]
    if stats.soreness is not None:  # the runner checks in: soreness beside the minutes
        headers += ("soreness",)
        rows = [row + (sore.text,) for row, sore in zip(rows, stats.soreness, strict=True)]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
    for row in [headers, *rows]:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        stream.write("  ".join(cells) + "\n")
    for label, text in _summary(stats):
        stream.write(f"{label}: {text}\n")
    stream.write(stats.message + "\n")
    _print_runs(stats, stream, styled=False, color=color)


def run_lines(stats: Stats) -> list[str]:
    """The runs section of ``stats``: cadence and contact per week at matched pace."""
    trend = stats.runs
    if trend is None:
        return []
    device = clean(trend.device)
    if not trend.pace_s_per_km:
        return [f"Runs on {device}: none with a whole kilometre in these weeks."]
    pace = words.clock(round(trend.pace_s_per_km))
    out = [
        f"Runs on {device} at {pace}/km (±{trend.tolerance:.0f} s): cadence and ground "
        "contact per week"
    ]
    headers = ("week", "runs", "km", "cadence spm", "contact ms")
    shown = list(trend.weeks)
    while len(shown) > 1 and not shown[0].kilometres:  # from the first week with runs on
        shown.pop(0)
    rows = [
        (
            week.start.isoformat(),
            str(week.runs),
            str(week.kilometres),
            f"{week.cadence_spm:.0f}" if week.cadence_spm is not None else "-",
            f"{week.stance_time_ms:.0f}" if week.stance_time_ms is not None else "-",
        )
        for week in shown
    ]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    for row in [headers, *rows]:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        out.append("  " + "  ".join(cells))
    measured = [w for w in trend.weeks if w.cadence_spm is not None]
    if len(measured) >= 2:
        first, last = measured[0], measured[-1]
        change = f"cadence {first.cadence_spm:.0f} → {last.cadence_spm:.0f} spm"
        if first.stance_time_ms is not None and last.stance_time_ms is not None:
            change += f", contact {first.stance_time_ms:.0f} → {last.stance_time_ms:.0f} ms"
        out.append(f"  {change} (weeks of {first.start:%b %d} and {last.start:%b %d})")
    return out


def _print_runs(stats: Stats, stream: TextIO, *, styled: bool, color: bool) -> None:
    lines = run_lines(stats)
    if not lines:
        return
    if not styled:
        stream.write("".join(line + "\n" for line in ["", *lines]))
        return
    from rich.text import Text

    from pose_coach.terminal import plain_console

    console = plain_console(stream, color)
    console.print()
    console.print(Text(lines[0], style="bold"))
    for line in lines[1:]:
        console.print(Text(line), no_wrap=True, overflow="ellipsis")


def _summary(stats: Stats) -> list[tuple[str, str]]:
    shown = stats.shown
    weeks = words.plural(len(stats.weeks), "week")
    lines = [
        (
            f"these {weeks}" if len(stats.weeks) > 1 else "this week",
            f"{words.plural(shown.sessions, 'session')} ({shown.completed} completed, "
            f"{shown.stopped} stopped), {shown.minutes:g} min of drill time",
        ),
        (
            "all time",
            f"{words.plural(stats.sessions, 'session')}, {stats.minutes:g} min of drill time",
        ),
        ("streak", streak_text(stats.streak)),
    ]
    skipped = not_counted_text(stats)
    if skipped:
        lines.append(("not counted", skipped))
    if stats.top:
        lines.append(
            (
                "most practised",
                ", ".join(
                    f"{clean(d.title or d.id)} {d.minutes:g} min ({d.sessions}x)" for d in stats.top
                ),
            )
        )
    return lines


def _week_tail(week: Week) -> str:
    tail = f" {week.total:6.1f}"
    if week.sessions:
        tail += f"  {week.completed} done"
        if week.stopped:
            tail += f", {week.stopped} stopped"
    return tail


def _print_chart(stats: Stats, stream: TextIO, color: bool) -> None:
    from rich.text import Text

    from pose_coach.terminal import plain_console

    console = plain_console(stream, color)
    tails = [_week_tail(week) for week in stats.weeks]
    if stats.soreness is not None:
        tails = [
            tail + (f"  sore {sore.text}" if sore.checkins else "")
            for tail, sore in zip(tails, stats.soreness, strict=True)
        ]
    label_width, tail_width = 8, max(len(tail) for tail in tails)
    bar_width = max(console.width - label_width - tail_width - 1, 10)
    biggest = max((week.total for week in stats.weeks), default=0.0) or 1.0

    legend = Text(f"Drill minutes per week, last {len(stats.weeks)} weeks   ", style="bold")
    for phase in stats.phases:
        glyph, colour = _PHASE_LOOK.get(phase, _OTHER_LOOK)
        legend.append(glyph, style=colour)
        legend.append(f" {phase}  ")
    console.print(legend)
    for week, tail in zip(stats.weeks, tails, strict=True):
        line = Text(week.start.strftime("%b %d").ljust(label_width))
        used = 0
        for phase in stats.phases:
            glyph, colour = _PHASE_LOOK.get(phase, _OTHER_LOOK)
            cells = min(round(week.minutes[phase] / biggest * bar_width), bar_width - used)
            line.append(glyph * cells, style=colour)
            used += cells
        line.append(" " * (bar_width - used))
        line.append(tail, style="bold" if week is stats.weeks[-1] else "")
        console.print(line, no_wrap=True, overflow="ellipsis")
    console.print()
    for label, text in _summary(stats):
        row = Text(f"{label.capitalize()}: ", style="bold")
        row.append(text)
        console.print(row)
    console.print(Text(stats.message, style="green bold"))
