"""``pose-coach run`` in the terminal: the table, sparklines, medians with bands, findings.

The same words on a terminal and in a pipe: each line is a list of (style, text) pieces;
a terminal with colour gets them through rich ``Text`` (never markup), a pipe gets the
text alone. Band colours are the only colours.
"""

from __future__ import annotations

import sys
from typing import TextIO

from pose_coach.activity.analysis import RunReport
from pose_coach.activity.bands import SOURCES as BAND_SOURCES
from pose_coach.activity.bands import band_for, shown
from pose_coach.activity.faults import EVIDENCE, pace_text
from pose_coach.activity.measures import Split
from pose_coach.activity.model import FORM_MEASURES, HEART_RATE, INFO, MEASURES
from pose_coach.errors import printable
from pose_coach.words import clock, plural

Piece = tuple[str, str]  # (style, text)
Line = list[Piece]

BARS = "▁▂▃▄▅▆▇█"
SAFETY = (
    "These figures are proxies from a watch, not a diagnosis: change one thing at a time, "
    "stop if anything hurts, and take pain or injury to a clinician."
)
_STYLE = {
    "purple": "magenta",
    "blue": "blue",
    "green": "green",
    "orange": "dark_orange",
    "red": "red",
}


def figure(measure: str, value: float | None) -> str:
    if value is None:
        return "-"
    info = INFO[measure]
    return f"{shown(measure, value):.{info.digits}f}"


SPARK_WIDTH = 60  # at most this many bars: an ultra's 100 km still fits a terminal line


def _resample(values: list[float | None], width: int) -> list[float | None]:
    """At most ``width`` values: the mean of each bucket of neighbouring ones."""
    if len(values) <= width:
        return values
    out: list[float | None] = []
    for n in range(width):
        bucket = values[n * len(values) // width : (n + 1) * len(values) // width]
        known = [v for v in bucket if v is not None]
        out.append(sum(known) / len(known) if known else None)
    return out


def sparkline(values: list[float | None]) -> str:
    values = _resample(values, SPARK_WIDTH)
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = high - low
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        elif span <= 0:
            out.append(BARS[3])
        else:
            out.append(BARS[min(len(BARS) - 1, int((v - low) / span * len(BARS)))])
    return "".join(out)


def measure_columns(report: RunReport) -> list[str]:
    present = set(report.measured)
    return [k for k in MEASURES if k in present]


def _note(split: Split, last: bool) -> str:
    words = list(split.parts)
    if last and split.metres < 990 and split.kind == "km":
        words.append(f"{split.metres / 1000:.2f} km")
    return ", ".join(words)


def table_lines(report: RunReport) -> list[Line]:
    keys = measure_columns(report)
    unit = "km" if report.by == "km" else "lap"
    heads = [unit, "pace"] + [INFO[k].label for k in keys] + [""]
    units = ["", "/km"] + [INFO[k].unit for k in keys] + [""]
    rows: list[list[Piece]] = []
    for split in report.splits:
        cells: list[Piece] = [("", str(split.index)), ("", pace_text(split.pace))]
        for k in keys:
            value = split.values.get(k)
            band = band_for(k, value)
            cells.append((band.colour if band else "", figure(k, value)))
        cells.append(("dim", _note(split, split is report.splits[-1])))
        rows.append(cells)
    summary = report.summary
    totals = []
    for name, pace, values, note in (
        ("all", summary.whole_pace, summary.whole, "whole run"),
        ("main", summary.pace, summary.values, "warm-up, cool-down, walks out"),
    ):
        cells = [("bold", name), ("bold", pace_text(pace))]
        for k in keys:
            band = band_for(k, values.get(k))
            cells.append((band.colour if band else "bold", figure(k, values.get(k))))
        cells.append(("dim", note))
        totals.append(cells)
    widths = [
        max(len(heads[i]), len(units[i]), *(len(r[i][1]) for r in rows + totals))
        for i in range(len(heads))
    ]
    last = len(heads) - 1

    def line(cells: list[Piece], style: str = "") -> Line:
        out: Line = []
        for i, (cell_style, text) in enumerate(cells):
            padded = text.ljust(widths[i]) if i == last else text.rjust(widths[i])
            out.append((cell_style or style, padded))
            if i != last:
                out.append(("", "  "))
        return out

    return [
        line([("", h) for h in heads], "bold"),
        line([("", u) for u in units], "dim"),
        *[line(r) for r in rows],
        [("dim", "-" * (sum(widths[:-1]) + 2 * last))],
        *[line(r) for r in totals],
    ]


def spark_lines(report: RunReport) -> list[Line]:
    if len(report.splits) < 3:
        return []
    out: list[Line] = [[("bold", f"Per {report.by}, first to last")]]
    for k in ["pace", *measure_columns(report)]:
        if k == HEART_RATE:
            continue
        if k == "pace":
            values = [s.pace for s in report.splits]
            label, low_high = "pace", [v for v in values if v is not None]
            text = f"{pace_text(min(low_high))}-{pace_text(max(low_high))} /km" if low_high else ""
        else:
            values = [s.values.get(k) for s in report.splits]
            known = [v for v in values if v is not None]
            label = INFO[k].label
            text = (
                f"{figure(k, min(known))}-{figure(k, max(known))} {INFO[k].unit}" if known else ""
            )
        out.append([("", f"  {label:<8} "), ("", sparkline(values)), ("dim", f"  {text}")])
    return out


def parts_text(report: RunReport) -> str:
    run = report.run
    aside = []
    if run.warm_up:
        aside.append(f"warm-up {clock(run.warm_up.seconds)}")
    if run.cool_down:
        aside.append(f"cool-down {clock(run.cool_down.seconds)}")
    walks = [w for w in run.walk_breaks if not _in_parts(report, w.start)]
    if walks:
        walked = sum(w.seconds for w in walks)
        aside.append(f"{plural(len(walks), 'walk break')} ({clock(walked)})")
    if run.stops:
        aside.append(plural(len(run.stops), "stop"))
    return f" ({', '.join(aside)} set aside)" if aside else ""


def _in_parts(report: RunReport, t: float) -> bool:
    run = report.run
    return bool(
        (run.warm_up and t < run.warm_up.end) or (run.cool_down and t >= run.cool_down.start)
    )


def summary_lines(report: RunReport) -> list[Line]:
    s = report.summary
    out: list[Line] = [
        [
            ("bold", "Main part: "),
            ("", f"{s.main_metres / 1000:.2f} km at {pace_text(s.pace)}/km"),
            ("dim", parts_text(report)),
        ]
    ]
    for k in measure_columns(report):
        value = s.values.get(k)
        if value is None:
            continue
        info = INFO[k]
        band = report.bands.get(k)
        line: Line = [("", f"  {info.label:<8} "), ("", f"{figure(k, value):>6} {info.unit:<5}")]
        if band:
            line += [
                (band.colour, f" {band.colour:<6}"),
                ("dim", f" {band.meaning} [{band.source}]"),
            ]
        if k in report.run.derived:
            line.append(("dim", "  (worked out, not recorded)"))
        out.append(line)
    return out


def missing_lines(report: RunReport) -> list[Line]:
    if not report.missing:
        return []
    out: list[Line] = [[("bold", "Not in this file")]]
    for k in report.missing:
        out.append([("", f"  {INFO[k].label}: "), ("dim", f"needs {INFO[k].needs}")])
    if len(report.missing) == len(FORM_MEASURES):
        out.append([("dim", "  so there is no form to read here: pace and distance only.")])
    elif len(report.missing) >= 3:
        kept = ", ".join(INFO[k].label for k in FORM_MEASURES if k not in report.missing)
        out.append([("dim", f"  so this report looks at what there is: {kept} and pace.")])
    return out


def no_findings(report: RunReport) -> str:
    if len(report.missing) == len(FORM_MEASURES):
        return "No form measures in this file, so nothing to say about form."
    return "Nothing here asks for a change of form: keep your drills as they are."


def feedback_lines(report: RunReport) -> list[Line]:
    out: list[Line] = [[("bold", "What the numbers say")]]
    if not report.findings:
        out.append([("", f"  {no_findings(report)}")])
    by_fault = {p.fault: p for p in report.prescriptions}
    for finding in report.findings:
        out.append([("", f"  • {finding.message}.")])
        out.append([("dim", f"    {finding.proxy}")])
        p = by_fault.get(finding.fault)
        if p is None:
            continue
        if p.command:
            out.append([("", "    Do: "), ("bold", p.command)])
        others = [d.id for d in p.drills[1:]]
        if others:
            out.append([("dim", f"    also for this: {', '.join(others)}")])
        if p.note:
            out.append([("dim", f"    {p.note}")])
    b = report.baseline
    if b is not None:
        out.append(
            [
                (
                    "dim",
                    f"  Compared with {b.kilometres} km at {pace_text(b.pace_s_per_km)}/km "
                    f"(±{b.tolerance:.0f} s) from {plural(b.runs, 'earlier run')} on this "
                    "device.",
                )
            ]
        )
    elif report.summary.pace is not None:
        out.append(
            [
                (
                    "dim",
                    f"  No earlier runs at {pace_text(report.summary.pace)}/km (±10 s) on this "
                    "device yet: your own baseline builds as runs are stored.",
                )
            ]
        )
    out.append([("dim", f"  {SAFETY}")])
    return out


def _log_line(report: RunReport) -> Line:
    log = report.log
    if log.problem:
        return [("dim", f"Not stored in the practice log: {log.problem}")]
    if not log.stored:
        return []
    if log.new:
        return [("dim", f"Stored in the practice log: run {log.runs_on_device} on this device.")]
    return [("dim", "Already in the practice log: its row was updated.")]


def report_lines(report: RunReport) -> list[Line]:
    s = report.summary
    title = (
        f"Run {report.started_at:%Y-%m-%d %H:%M} UTC · {printable(report.device.name)} · "
        f"{s.metres / 1000:.2f} km in {clock(s.moving_seconds)} moving"
    )
    lines: list[Line] = [[("bold", title)], [("dim", printable(report.source.name))], []]
    lines += table_lines(report) + [[]]
    spark = spark_lines(report)
    if spark:
        lines += spark + [[]]
    lines += summary_lines(report) + [[]]
    missing = missing_lines(report)
    if missing:
        lines += missing + [[]]
    lines += feedback_lines(report) + [[]]
    used = sorted(
        {k for f in report.findings for k in f.evidence} | {b.source for b in report.bands.values()}
    )
    if used:
        lines.append([("bold", "Sources")])
        every = {**EVIDENCE, **BAND_SOURCES}
        lines += [[("dim", f"  [{key}] {every[key]}")] for key in used]
    log = _log_line(report)
    if log:
        lines += [[], log]
    return lines


def print_report(
    report: RunReport, *, styled: bool, color: bool = True, stream: TextIO | None = None
) -> None:
    """Print the report: rich ``Text`` pieces when ``styled`` (a terminal with colour),
    plain lines otherwise."""
    stream = stream or sys.stdout
    lines = report_lines(report)
    if not styled:
        stream.write("".join("".join(text for _, text in line).rstrip() + "\n" for line in lines))
        stream.flush()
        return
    from rich.text import Text

    from pose_coach.terminal import plain_console

    console = plain_console(stream, color)
    for line in lines:
        text = Text(no_wrap=False)
        for style, piece in line:
            text.append(piece, style=_STYLE.get(style, style))
        console.print(text)
