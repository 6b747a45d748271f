"""``pose-coach form -o form.html``: the form check as one self-contained HTML page.

Inline CSS and inline SVG, the frames as ``data:`` URIs, no script, nothing fetched: it
opens offline, prints, and can be mailed to a coach. For the median and the worst stride,
the frames at landing, the pose moment and the end of stance with the skeleton, the hip's
vertical and the measured angle drawn on (report_frames.py); the medians against their
bands with the sources; the drills; what changed. Every piece of outside text (the clip's
name, the practice log's file names) is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from pose_coach.log.forms import FormRecord
from pose_coach.video.bands import LIMITS, SOURCES
from pose_coach.video.history import changes
from pose_coach.video.model import INFO, FormAnalysis, KeyFrames, Summary
from pose_coach.video.report_frames import stride_figures
from pose_coach.video.report_text import (
    LEVEL_WORD,
    SAFETY,
    figure,
    missing_measures,
    no_faults,
    rate_text,
    shown_measures,
    used_sources,
)
from pose_coach.words import plural

COLOURS = {"good": "#2e9e44", "watch": "#e88a00", "fault": "#d62828", "info": "#5b6470"}

_CSS = """
body { font: 15px/1.45 system-ui, sans-serif; max-width: 62em; margin: 1em auto;
  padding: 0 1em; color: #111; }
h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { margin-top: 1.4em; }
.sub { color: #444; margin: .2em 0; }
.notes { border-left: 4px solid #e88a00; padding: .2em .7em; background: #fff7ea; }
.medians { display: grid; grid-template-columns: repeat(auto-fill, minmax(13em, 1fr));
  gap: .6em; margin: .6em 0; }
.median { border: 1.5px solid #000; border-radius: 4px; padding: .35em .6em; }
.median .v { font-size: 1.5em; font-weight: bold; font-variant-numeric: tabular-nums; }
.median .b, .median .lr { font-size: .8em; }
.pill { display: inline-block; border-radius: 1em; padding: 0 .5em; color: #fff;
  font-size: .8em; font-weight: bold; }
.finding { border: 1.5px solid #000; border-radius: 4px; padding: .4em .8em; margin: .6em 0; }
.finding p { margin: .3em 0; }
code { background: #f1f1f1; padding: .05em .3em; border-radius: 3px; }
.kf-row { display: grid; grid-template-columns: repeat(3, 1fr); gap: .5em; }
.kf { margin: 0; }
.kf-pic { position: relative; overflow: hidden; background: #222; border-radius: 3px; }
.kf-pic.kf-none { background: #8a8f96; }
.kf-pic img { position: absolute; max-width: none; display: block; }
.kf-svg { position: absolute; left: 0; top: 0; width: 100%; height: 100%; }
.kf figcaption { font-size: .8em; color: #333; }
.kf-label { font-family: sans-serif; font-weight: bold; }
table.bands { border-collapse: collapse; width: 100%; }
table.bands td, table.bands th { padding: .2em .4em; border-bottom: 1px solid #ddd;
  text-align: left; vertical-align: middle; }
table.bands td.n { text-align: right; font-variant-numeric: tabular-nums; }
svg.strip { width: 14em; height: 1.6em; display: block; }
.changes li.better { color: #2e9e44; } .changes li.worse { color: #d62828; }
.sources li { font-size: .85em; }
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _pill(level: str) -> str:
    return f'<span class="pill" style="background:{COLOURS[level]}">{_e(LEVEL_WORD[level])}</span>'


def _source_ref(key: str) -> str:
    return f'<a href="#src-{_e(key)}">[{_e(key)}]</a>'


def _medians(analysis: FormAnalysis) -> list[str]:
    m = analysis.measures
    out = ['<div class="medians">']
    for key in shown_measures(analysis):
        info = INFO[key]
        band = analysis.bands.get(key)
        detail = (
            f"{_pill(band.level)} {_e(band.meaning)} {_source_ref(band.source)}" if band else ""
        )
        out.append(
            f'<div class="median" data-measure="{_e(info.json)}"><div>{_e(info.title)}</div>'
            f'<div class="v">{_e(figure(key, m.both[key]))} <small>{_e(info.unit)}</small></div>'
            f'<div class="lr">left {_e(figure(key, m.left.get(key)))} · right '
            f"{_e(figure(key, m.right.get(key)))} · confidence {m.both[key].confidence:.0%}</div>"
            f'<div class="b">{detail}</div></div>'
        )
    out.append("</div>")
    return out


def _strip(key: str, both: Summary, left: Summary | None, right: Summary | None) -> str:
    """The measure's bands as coloured zones, the median as a black mark, left and right
    as small ones."""
    values = [s.value for s in (both, left, right) if s is not None]
    lim = LIMITS.get(key)
    edges = sorted([lim.watch, lim.fault]) if lim else []
    lo, hi = min(values + edges), max(values + edges)
    span = max(hi - lo, 1.0)
    lo, hi = lo - 0.3 * span, hi + 0.3 * span
    width, height = 200.0, 22.0

    def x(v: float) -> float:
        return (v - lo) / (hi - lo) * width

    parts = [
        f'<svg class="strip" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_e(INFO[key].title)}">'
    ]
    if lim:
        if lim.low:  # smaller is worse: fault | watch | good
            zones = [("fault", lo, lim.fault), ("watch", lim.fault, lim.watch)]
            zones.append(("good", lim.watch, hi))
        else:
            zones = [("good", lo, lim.watch), ("watch", lim.watch, lim.fault)]
            zones.append(("fault", lim.fault, hi))
        for level, a, b in zones:
            parts.append(
                f'<rect x="{x(a):.1f}" y="6" width="{x(b) - x(a):.1f}" height="10" '
                f'fill="{COLOURS[level]}" opacity="0.55"/>'
            )
    else:
        parts.append(f'<rect x="0" y="6" width="{width:.0f}" height="10" fill="#ccc"/>')
    for summary, name in ((left, "L"), (right, "R")):
        if summary is not None:
            parts.append(
                f'<line x1="{x(summary.value):.1f}" x2="{x(summary.value):.1f}" y1="3" y2="19" '
                'stroke="#333" stroke-width="1.5"><title>'
                f"{name}: {_e(figure(key, summary))}</title></line>"
            )
    parts.append(
        f'<rect x="{x(both.value) - 2:.1f}" y="1" width="4" height="20" fill="#000">'
        f"<title>{_e(figure(key, both))} {_e(INFO[key].unit)}</title></rect></svg>"
    )
    return "".join(parts)


def _limits(key: str) -> str:
    lim = LIMITS.get(key)
    if lim is None:
        return "for context"
    unit = INFO[key].unit
    if lim.low:
        return f"good ≥ {lim.watch:g}, fault < {lim.fault:g} {unit}"
    return f"good ≤ {lim.watch:g}, fault > {lim.fault:g} {unit}"


def _band_table(analysis: FormAnalysis) -> list[str]:
    m = analysis.measures
    out = [
        '<table class="bands"><thead><tr><th>measure</th><th>median</th><th>left</th>'
        "<th>right</th><th>unit</th><th>against the bands</th><th>band</th><th>limits</th>"
        "<th>source</th></tr></thead><tbody>"
    ]
    for key in shown_measures(analysis):
        info = INFO[key]
        band = analysis.bands.get(key)
        out.append(
            f'<tr data-measure="{_e(info.json)}"><td>{_e(info.title)}</td>'
            f'<td class="n">{_e(figure(key, m.both[key]))}</td>'
            f'<td class="n">{_e(figure(key, m.left.get(key)))}</td>'
            f'<td class="n">{_e(figure(key, m.right.get(key)))}</td><td>{_e(info.unit)}</td>'
            f"<td>{_strip(key, m.both[key], m.left.get(key), m.right.get(key))}</td>"
            f"<td>{_pill(band.level) if band else ''}</td><td>{_e(_limits(key))}</td>"
            f"<td>{_source_ref(band.source) if band else ''}</td></tr>"
        )
    out.append("</tbody></table>")
    return out


def _faults(analysis: FormAnalysis) -> list[str]:
    out = ["<h2>What the video shows</h2>"]
    if not analysis.faults:
        out.append(f"<p>{_e(no_faults(analysis))}</p>")
    by_fault = {p.fault: p for p in analysis.prescriptions}
    for fault in analysis.faults:
        out.append(f'<div class="finding" data-fault="{_e(fault.fault)}">')
        out.append(f"<p><strong>{_e(fault.message)}.</strong></p>")
        refs = ", ".join(_source_ref(k) for k in fault.evidence)
        out.append(f"<p>Worst in stride {fault.worst_stride}. Evidence: {refs}</p>")
        p = by_fault.get(fault.fault)
        if p is None:
            out.append(f"<p>Drills for it: <code>pose-coach faults {_e(fault.fault)}</code></p>")
        else:
            if p.drills:
                out.append(f"<p>Drills for {_e(p.label.lower())}:</p><ul>")
                for drill, command in zip(p.drills, p.commands, strict=True):
                    out.append(
                        f"<li><code>{_e(command)}</code> — {_e(drill.title)} "
                        f"({_e(drill.phase)})</li>"
                    )
                out.append("</ul>")
            if p.note:
                out.append(f"<p>{_e(p.note)}</p>")
        out.append("</div>")
    return out


def _changes(analysis: FormAnalysis, previous: FormRecord | None) -> list[str]:
    if previous is None:
        return ["<p>No earlier form check in the practice log to compare with.</p>"]
    out = [
        f"<h2>Since the previous form check</h2><p>{_e(previous.analysed_at[:10])}, "
        f"{_e(previous.file_name)}</p>",
        '<ul class="changes">',
    ]
    found = changes(analysis, previous)
    out += [f'<li class="{_e(c.verdict or "same")}">{_e(c.text())}</li>' for c in found]
    if not found:
        out.append("<li>no measure in common to compare</li>")
    out.append("</ul>")
    return out


def _stride_section(
    analysis: FormAnalysis, keys: KeyFrames, title: str, frames: Mapping[int, bytes] | None
) -> list[str]:
    return [
        f'<section class="stride" data-stride="{keys.stride}">',
        f"<h3>{_e(title)}: stride {keys.stride}, {_e(keys.foot)} foot landing</h3>",
        stride_figures(analysis, keys, frames),
        "</section>",
    ]


def _worst_title(analysis: FormAnalysis) -> str:
    if analysis.faults:
        return f"The stride that shows it most ({INFO[analysis.faults[0].measure].label})"
    return "The stride landing farthest ahead"


def render_html(
    analysis: FormAnalysis,
    frames: Mapping[int, bytes] | None,
    previous: FormRecord | None = None,
    *,
    source: str | None = None,
    compare: bool = True,
) -> str:
    """The whole page. ``frames``: FramePoses.index → JPEG (or PNG) bytes of the frames
    ``report_frames.wanted_frames`` names; None leaves the runner's picture out."""
    name = source or "clip"
    title = f"Form check · {name}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="pose-coach">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="sub">{analysis.duration:.1f} s at {_e(rate_text(analysis))} · '
        f"{analysis.width}×{analysis.height} · "
        f"{plural(len(analysis.measures.strides), 'stride')} · "
        f"{_e(analysis.side)} side to the camera</p>",
    ]
    if analysis.notes:
        out.append('<div class="notes"><ul>')
        out += [f"<li>{_e(note)}</li>" for note in analysis.notes]
        out.append("</ul></div>")
    out.append("<h2>Medians over the strides</h2>")
    out += _medians(analysis)
    out += _faults(analysis)
    if compare:
        out += _changes(analysis, previous)
    out.append("<h2>The strides</h2>")
    out += _stride_section(analysis, analysis.median, "The median stride", frames)
    if analysis.worst.stride != analysis.median.stride:
        out += _stride_section(analysis, analysis.worst, _worst_title(analysis), frames)
    out.append(
        '<p class="sub">Pink: the support leg; blue: the other leg; yellow: the hip\'s '
        "vertical and the measured angle.</p>"
    )
    out.append("<h2>Measures against the bands</h2>")
    out += _band_table(analysis)
    missing = missing_measures(analysis)
    if missing:
        out.append("<h2>Not measured on this clip</h2><ul>")
        out += [
            f"<li><strong>{_e(INFO[k].title)}</strong>: {_e(why)}</li>"
            for k, why in missing.items()
        ]
        out.append("</ul>")
    used = used_sources(analysis)
    if used:
        out.append('<h2>Sources</h2><ul class="sources">')
        out += [f'<li id="src-{_e(k)}">[{_e(k)}] {_e(SOURCES[k])}</li>' for k in used]
        out.append("</ul>")
    out.append(f"<p><em>{_e(SAFETY)}</em></p>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
