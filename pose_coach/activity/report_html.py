"""``pose-coach run -o run.html``: the report as one self-contained HTML page.

Inline CSS and inline SVG, no script, nothing fetched: it opens offline, prints, and can
be mailed to a coach. Every piece of text from the file (device name, file name) is
escaped. The drills it prescribes are embedded as cue-sheet cards at the end of the page,
so their links work without the library at hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from pose_coach.activity.analysis import RunReport
from pose_coach.activity.bands import COLOURS, RANGES, band_for, shown
from pose_coach.activity.bands import SOURCES as BAND_SOURCES
from pose_coach.activity.charts import Stripe, bar_chart
from pose_coach.activity.faults import EVIDENCE, pace_text
from pose_coach.activity.model import INFO
from pose_coach.activity.report_text import (
    SAFETY,
    figure,
    measure_columns,
    no_findings,
    parts_text,
)
from pose_coach.library.model import Drill, Entry
from pose_coach.words import clock, plural

_CSS = """
.run-head p { margin: .2em 0; }
.notes { border-left: 4px solid #e88a00; padding: .2em .7em; background: #fff7ea; }
.medians { display: grid; grid-template-columns: repeat(auto-fill, minmax(11em, 1fr));
  gap: .6em; margin: .6em 0; }
.median { border: 1.5px solid #000; border-radius: 4px; padding: .35em .6em; }
.median .v { font-size: 1.5em; font-weight: bold; font-variant-numeric: tabular-nums; }
.median .b { font-size: .8em; }
.pill { display: inline-block; border-radius: 1em; padding: 0 .5em; color: #fff;
  font-size: .8em; font-weight: bold; }
.finding { border: 1.5px solid #000; border-radius: 4px; padding: .4em .8em; margin: .6em 0; }
.finding .proxy { color: #333; font-size: .92em; }
code { background: #f1f1f1; padding: .05em .3em; border-radius: 3px; }
svg.chart { width: 100%; height: auto; max-width: 44em; display: block; margin: .3em 0 .8em; }
svg .ct { font: bold 12px sans-serif; } svg .tk { font: 10px sans-serif; fill: #333; }
table.splits td, table.splits th { text-align: right; }
table.splits td.note, table.splits th.note { text-align: left; }
tr.aside td { color: #666; font-style: italic; }
.sources li { font-size: .85em; }
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _pill(colour: str) -> str:
    return f'<span class="pill" style="background:{COLOURS[colour]}">{_e(colour)}</span>'


def _stripes(measure: str) -> list[Stripe]:
    if measure not in RANGES:
        return []
    half = 0.5 * 10 ** -INFO[measure].digits
    return [
        Stripe(
            (r.low - half) if r.low is not None else float("-inf"),
            (r.high + half) if r.high is not None else float("inf"),
            COLOURS[r.colour],
        )
        for r in RANGES[measure]
    ]


def _charts(report: RunReport) -> list[str]:
    splits = report.splits
    if not splits:
        return []
    labels = [str(s.index) for s in splits]
    faded = [not s.main or "walk" in s.parts for s in splits]
    out = [
        bar_chart(
            "Pace",
            "min/km",
            [s.pace for s in splits],
            labels,
            [None] * len(splits),
            faded,
            fmt=pace_text,
            tick_steps=(10, 15, 30, 60, 120, 300),
        )
    ]
    for key in measure_columns(report):
        info = INFO[key]
        values = [shown(key, v) if (v := s.values.get(key)) is not None else None for s in splits]
        colours = []
        for s in splits:
            band = band_for(key, s.values.get(key))
            colours.append(COLOURS[band.colour] if band else None)
        out.append(
            bar_chart(
                info.title,
                info.unit,
                values,
                labels,
                colours,
                faded,
                _stripes(key),
                info.digits,
            )
        )
    return [chart for chart in out if chart]


def _table(report: RunReport) -> list[str]:
    keys = measure_columns(report)
    unit = "km" if report.by == "km" else "lap"
    head = "".join(f"<th>{_e(INFO[k].label)}<br>{_e(INFO[k].unit)}</th>" for k in keys)
    out = [
        '<table class="splits"><thead><tr>',
        f'<th>{unit}</th><th>pace<br>/km</th>{head}<th class="note">note</th></tr></thead><tbody>',
    ]
    for s in report.splits:
        aside = ' class="aside"' if not s.main or "walk" in s.parts else ""
        cells = []
        for k in keys:
            band = band_for(k, s.values.get(k))
            style = f' style="color:{COLOURS[band.colour]}"' if band and not aside else ""
            cells.append(f"<td{style}>{_e(figure(k, s.values.get(k)))}</td>")
        note = ", ".join(s.parts)
        out.append(
            f"<tr{aside}><td>{s.index}</td><td>{pace_text(s.pace)}</td>{''.join(cells)}"
            f'<td class="note">{_e(note)}</td></tr>'
        )
    out.append("</tbody><tfoot>")
    summary = report.summary
    for name, pace, values, note in (
        ("all", summary.whole_pace, summary.whole, "whole run"),
        ("main", summary.pace, summary.values, "warm-up, cool-down, walks out"),
    ):
        cells = []
        for k in keys:
            band = band_for(k, values.get(k))
            style = f' style="color:{COLOURS[band.colour]}"' if band else ""
            cells.append(f"<th{style}>{_e(figure(k, values.get(k)))}</th>")
        out.append(
            f"<tr><th>{name}</th><th>{pace_text(pace)}</th>{''.join(cells)}"
            f'<td class="note">{_e(note)}</td></tr>'
        )
    out.append("</tfoot></table>")
    return out


def _medians(report: RunReport) -> list[str]:
    out = ['<div class="medians">']
    for key in measure_columns(report):
        value = report.summary.values.get(key)
        if value is None:
            continue
        info = INFO[key]
        band = report.bands.get(key)
        detail = f"{_pill(band.colour)} {_e(band.meaning)}" if band else "no published range"
        if key in report.run.derived:
            detail += " · worked out, not recorded"
        out.append(
            f'<div class="median"><div>{_e(info.label)}</div><div class="v">'
            f"{_e(figure(key, value))} <small>{_e(info.unit)}</small></div>"
            f'<div class="b">{detail}</div></div>'
        )
    out.append("</div>")
    return out


def _feedback(report: RunReport) -> list[str]:
    out = ["<h2>What the numbers say</h2>"]
    if not report.findings:
        out.append(f"<p>{_e(no_findings(report))}</p>")
    by_fault = {p.fault: p for p in report.prescriptions}
    for finding in report.findings:
        out.append('<div class="finding">')
        out.append(f"<p><strong>{_e(finding.message)}.</strong></p>")
        out.append(f'<p class="proxy">{_e(finding.proxy)}</p>')
        p = by_fault.get(finding.fault)
        if p is not None:
            links = ", ".join(f'<a href="#drill-{_e(d.id)}">{_e(d.title)}</a>' for d in p.drills)
            if links:
                out.append(f"<p>Drills for {_e(p.label.lower())}: {links}</p>")
            if p.command:
                out.append(f"<p>Run: <code>{_e(p.command)}</code></p>")
            if p.note:
                out.append(f"<p>{_e(p.note)}</p>")
        refs = ", ".join(f'<a href="#src-{_e(k)}">[{_e(k)}]</a>' for k in finding.evidence)
        out.append(f'<p class="proxy">Evidence: {refs}</p></div>')
    b = report.baseline
    if b is not None:
        out.append(
            f"<p>Compared with {b.kilometres} km at {pace_text(b.pace_s_per_km)}/km "
            f"(±{b.tolerance:.0f} s) from {plural(b.runs, 'earlier run')} "
            "on this device.</p>"
        )
    out.append(f"<p><em>{_e(SAFETY)}</em></p>")
    return out


def render_html(report: RunReport, entries: Mapping[str, Entry]) -> str:
    """The whole page; ``entries`` is the library the prescribed drills come from."""
    from pose_coach.render.sheet.html import CARD_CSS, cards_html
    from pose_coach.render.sheet.model import build_sheet

    s = report.summary
    title = f"Run {report.started_at:%Y-%m-%d %H:%M} UTC"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="pose-coach">',
        f"<title>{_e(title)} — {_e(report.source.name)}</title>",
        f"<style>{CARD_CSS}{_CSS}</style>",
        "</head>",
        "<body>",
        '<header class="run-head">',
        f"<h1>{_e(title)}</h1>",
        f'<p class="sub">{_e(report.device.name)} · {s.metres / 1000:.2f} km in '
        f"{clock(s.moving_seconds)} moving · {_e(report.source.name)}</p>",
        "</header>",
    ]
    if report.notes:
        out.append('<div class="notes"><ul>')
        out += [f"<li>{_e(note)}</li>" for note in report.notes]
        out.append("</ul></div>")
    out.append(
        f"<h2>Main part: {s.main_metres / 1000:.2f} km at {pace_text(s.pace)}/km</h2>"
        f"<p>{_e(parts_text(report).strip(' ()'))}</p>"
    )
    out += _medians(report)
    out += _feedback(report)
    out.append(f"<h2>Per {'km' if report.by == 'km' else 'lap'}</h2>")
    out += _charts(report)
    out += _table(report)
    if report.missing:
        out.append("<h2>Not in this file</h2><ul>")
        out += [
            f"<li><strong>{_e(INFO[k].label)}</strong>: needs {_e(INFO[k].needs)}</li>"
            for k in report.missing
        ]
        out.append("</ul>")
    drills = [
        entries[d.id]
        for p in report.prescriptions
        for d in p.drills
        if isinstance(entries.get(d.id), Drill)
    ]
    unique = list({d.id: d for d in drills}.values())
    if unique:
        out.append("<h2>Drill sheets</h2>")
        out.append(cards_html(build_sheet(unique, entries)))
    used = sorted(
        {k for f in report.findings for k in f.evidence} | {b.source for b in report.bands.values()}
    )
    if used:
        every = {**EVIDENCE, **BAND_SOURCES}
        out.append('<h2>Sources</h2><ul class="sources">')
        out += [f'<li id="src-{_e(k)}">[{_e(k)}] {_e(every[k])}</li>' for k in used]
        out.append("</ul>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
