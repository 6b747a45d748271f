"""``pose-coach form`` in the terminal: the medians left and right with their bands, what
the clip cannot show and why, the faults, the drills with commands, what changed.

As ``pose-coach run`` does it: each line is a list of (style, text) pieces; a terminal
with colour gets them through rich ``Text`` (never markup), a pipe gets the text alone.
Band colours are the only colours.
"""

from __future__ import annotations

import sys
from typing import TextIO

from pose_coach.errors import printable
from pose_coach.log.forms import FormRecord
from pose_coach.video.bands import SOURCES
from pose_coach.video.history import changes
from pose_coach.video.model import INFO, MEASURES, FormAnalysis, Summary
from pose_coach.words import plural

Piece = tuple[str, str]  # (style, text)
Line = list[Piece]

SAFETY = (
    "These figures are read from a video by a pose estimator, not a diagnosis: change one "
    "thing at a time, stop if anything hurts, and take pain or injury to a clinician."
)
NO_FAULTS = "Nothing here asks for a change of form: keep your drills as they are."
WALKING = (
    "This is a walk, not a run: the running bands and drills do not apply to it, so no "
    "change of form is asked for. Film a run to be coached."
)


def no_faults(analysis: FormAnalysis) -> str:
    """What the report says when it names no fault."""
    return WALKING if analysis.walking else NO_FAULTS


NOT_SEEN = "not seen clearly enough in any stride"
LEVEL_STYLE = {"good": "green", "watch": "dark_orange", "fault": "red", "info": "dim"}
LEVEL_WORD = {"good": "good", "watch": "watch", "fault": "fault", "info": "context"}
_RICH = {"dark_orange": "dark_orange", "green": "green", "red": "red"}


def figure(measure: str, summary: Summary | None) -> str:
    """A median as shown: the measure's own decimals, ``-`` when there is none."""
    if summary is None:
        return "-"
    return f"{summary.value:.{INFO[measure].digits}f}"


def shown_measures(analysis: FormAnalysis) -> list[str]:
    """The measure keys with a median over both feet, in table order."""
    return [k for k in MEASURES if k in analysis.measures.both]


def missing_measures(analysis: FormAnalysis) -> dict[str, str]:
    """Measure key → why this clip does not give it (the analysis' reasons first)."""
    m = analysis.measures
    out = dict(m.not_measured)
    for key in MEASURES:
        if key not in m.both and key not in out:
            out[key] = NOT_SEEN
    return out


def rate_text(analysis: FormAnalysis) -> str:
    o = analysis.options
    if o.capture_fps:
        return f"filmed at {o.capture_fps:g} frames/s (played at {o.fps:g})"
    return f"{o.fps:g} frames/s"


def title_text(analysis: FormAnalysis, source: str | None = None) -> str:
    head = f"Form check · {printable(source)}" if source else "Form check"
    return (
        f"{head} · {analysis.duration:.1f} s at {rate_text(analysis)} · "
        f"{analysis.width}×{analysis.height} · "
        f"{plural(len(analysis.measures.strides), 'stride')} · "
        f"{analysis.side} side to the camera"
    )


def used_sources(analysis: FormAnalysis) -> list[str]:
    return sorted(
        {b.source for b in analysis.bands.values()}
        | {k for f in analysis.faults for k in f.evidence}
    )


def measure_lines(analysis: FormAnalysis) -> list[Line]:
    m = analysis.measures
    heads = ["", "all", "left", "right", "unit", "conf", "band"]
    rows: list[list[Piece]] = []
    for key in shown_measures(analysis):
        info = INFO[key]
        band = analysis.bands.get(key)
        style = LEVEL_STYLE[band.level] if band else ""
        both = m.both[key]
        rows.append(
            [
                ("", info.label),
                (style, figure(key, both)),
                ("", figure(key, m.left.get(key))),
                ("", figure(key, m.right.get(key))),
                ("dim", info.unit),
                ("dim", f"{both.confidence:.0%}"),
                (style, LEVEL_WORD[band.level] if band else ""),
            ]
        )
    widths = [max(len(heads[i]), *(len(r[i][1]) for r in rows)) for i in range(len(heads))]
    left_aligned = {0, 4, 6}

    def line(cells: list[Piece], style: str = "") -> Line:
        out: Line = [("", "  ")]
        for i, (cell_style, text) in enumerate(cells):
            padded = text.ljust(widths[i]) if i in left_aligned else text.rjust(widths[i])
            out.append((cell_style or style, padded))
            out.append(("", "  "))
        return out

    out: list[Line] = [
        [("bold", "Medians over the strides (left and right: by the landing foot)")],
        line([("", h) for h in heads], "bold"),
    ]
    for key, row in zip(shown_measures(analysis), rows, strict=True):
        band = analysis.bands.get(key)
        detail: Line = [("dim", f"{band.meaning} [{band.source}]")] if band else []
        out.append(line(row) + detail)
    return out


def missing_lines(analysis: FormAnalysis) -> list[Line]:
    missing = missing_measures(analysis)
    if not missing:
        return []
    out: list[Line] = [[("bold", "Not measured on this clip")]]
    for key, why in missing.items():
        out.append([("", f"  {INFO[key].title} ({INFO[key].unit}): "), ("dim", why)])
    return out


def fault_lines(analysis: FormAnalysis) -> list[Line]:
    out: list[Line] = [[("bold", "What the video shows")]]
    if not analysis.faults:
        out.append([("", f"  {no_faults(analysis)}")])
    by_fault = {p.fault: p for p in analysis.prescriptions}
    for fault in analysis.faults:
        out.append([("red", "  • "), ("", f"{fault.message}.")])
        out.append(
            [
                ("dim", f"    worst in stride {fault.worst_stride}; evidence "),
                *_refs(fault.evidence),
            ]
        )
        p = by_fault.get(fault.fault)
        if p is None:
            out.append([("", "    Drills for it: "), ("bold", f"pose-coach faults {fault.fault}")])
            continue
        if p.drills:
            out.append([("", f"    Drills for {p.label.lower()}:")])
        for drill, command in zip(p.drills, p.commands, strict=True):
            out.append(
                [("", "      "), ("bold", command), ("dim", f"   {drill.title} ({drill.phase})")]
            )
        if p.note:
            out.append([("dim", f"    {p.note}")])
    return out


def _refs(keys: tuple[str, ...]) -> Line:
    return [("dim", " ".join(f"[{k}]" for k in keys))]


def change_lines(analysis: FormAnalysis, previous: FormRecord | None) -> list[Line]:
    if previous is None:
        return [[("dim", "No earlier form check in the practice log to compare with.")]]
    found = changes(analysis, previous)
    out: list[Line] = [
        [
            ("bold", "Since the previous form check "),
            ("dim", f"({previous.analysed_at[:10]}, {printable(previous.file_name)})"),
        ]
    ]
    if not found:
        out.append([("dim", "  no measure in common to compare")])
    for change in found:
        style = {"better": "green", "worse": "red"}.get(change.verdict or "", "")
        out.append([("", "  "), (style, change.text())])
    return out


def report_lines(
    analysis: FormAnalysis,
    *,
    source: str | None = None,
    previous: FormRecord | None = None,
    compare: bool = True,
) -> list[Line]:
    """The whole report; ``compare`` False leaves out the comparison with the log (when
    the log was not read, e.g. ``--no-log``)."""
    lines: list[Line] = [[("bold", title_text(analysis, source))]]
    lines += [[("dim", f"  {note}")] for note in analysis.notes]
    lines.append([])
    lines += measure_lines(analysis) + [[]]
    missing = missing_lines(analysis)
    if missing:
        lines += missing + [[]]
    lines += fault_lines(analysis) + [[]]
    if compare:
        lines += change_lines(analysis, previous) + [[]]
    lines.append([("dim", SAFETY)])
    used = used_sources(analysis)
    if used:
        lines += [[], [("bold", "Sources")]]
        lines += [[("dim", f"  [{key}] {SOURCES[key]}")] for key in used]
    return lines


def render_text(
    analysis: FormAnalysis,
    *,
    source: str | None = None,
    previous: FormRecord | None = None,
    compare: bool = True,
) -> str:
    """The report as plain text (a pipe, a file)."""
    lines = report_lines(analysis, source=source, previous=previous, compare=compare)
    return "".join("".join(text for _, text in line).rstrip() + "\n" for line in lines)


def print_report(
    analysis: FormAnalysis,
    *,
    styled: bool,
    color: bool = True,
    stream: TextIO | None = None,
    source: str | None = None,
    previous: FormRecord | None = None,
    compare: bool = True,
) -> None:
    """Print the report: rich ``Text`` pieces when ``styled`` (a terminal with colour),
    plain lines otherwise."""
    stream = stream or sys.stdout
    if not styled:
        stream.write(render_text(analysis, source=source, previous=previous, compare=compare))
        stream.flush()
        return
    from rich.text import Text

    from pose_coach.terminal import plain_console

    console = plain_console(stream, color)
    for line in report_lines(analysis, source=source, previous=previous, compare=compare):
        text = Text(no_wrap=False)
        for style, piece in line:
            text.append(piece, style=_RICH.get(style, style))
        console.print(text)
