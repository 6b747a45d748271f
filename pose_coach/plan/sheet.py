"""The cue sheet of a plan: a one-page overview of the weeks for a coach to hand out.

One model (:class:`PlanSheet`: the weeks, each session with its drills' length and its
run, the rules, the safety notes and the sources) written as text, Markdown, HTML or a
one-page PDF. Plan text is escaped for each format and never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape

from pose_coach import words
from pose_coach.errors import UsageError
from pose_coach.library.model import Entry
from pose_coach.plan.model import Plan, PlanSession
from pose_coach.plan.report import clean, days_words, plan_lines, week_form

HEADERS = ("Week", "Focus", "In form", "Pieces", "Sessions")


@dataclass(frozen=True)
class PlanSheet:
    title: str
    subtitle: str
    summary: str
    rows: tuple[tuple[str, str, str, str, tuple[str, ...]], ...]  # sessions: one line each
    notes: tuple[tuple[str, str], ...]  # (label, text): rules, cadence, safety, sources


def _session_line(number: int, session: PlanSession, entries: Mapping[str, Entry]) -> str:
    from pose_coach.timeline import compile_timeline

    entry = entries.get(session.ref)
    title = session.title or (entry.title if entry is not None else session.ref)
    minutes = compile_timeline(entry, entries).total / 60 if entry is not None else 0
    line = f"{number}. {title} ({max(round(minutes), 1)} min)"
    run = session.run
    if run is not None:
        line += f" + run {run.minutes} min" + (
            f", {run.form_minutes} in form" if run.in_form else ""
        )
    return line


def build_plan_sheet(plan: Plan, entries: Mapping[str, Entry]) -> PlanSheet:
    rows = []
    for week in plan.weeks:
        form, pieces = week_form(week)
        rows.append(
            (
                str(week.number),
                clean(week.title),
                form,
                pieces,
                tuple(
                    clean(_session_line(n, s, entries))
                    for n, s in enumerate(week.sessions, start=1)
                ),
            )
        )
    subtitle = (
        f"{len(plan.weeks)} weeks · {words.plural(plan.sessions_per_week, 'session')} a week "
        f"(e.g. {days_words(plan.days)}) · pose-coach plan start {plan.id}"
    )
    notes = tuple((label, clean(text)) for label, text in plan_lines(plan))
    return PlanSheet(clean(plan.title), subtitle, clean(plan.summary), tuple(rows), notes)


# -- writers -------------------------------------------------------------------------


def render_plan_text(sheet: PlanSheet) -> str:
    out = [sheet.title, sheet.subtitle, "", sheet.summary, ""]
    widths = [max(len(HEADERS[i]), *(len(r[i]) for r in sheet.rows)) for i in range(4)]
    out.append("  ".join(h.ljust(w) for h, w in zip(HEADERS, widths + [0], strict=False)))
    for row in sheet.rows:
        for n, line in enumerate(row[4]):
            cells = row[:4] if n == 0 else ("", "", "", "")
            out.append(
                "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + "  " + line
            )
    out.append("")
    for label, text in sheet.notes:
        out.append(f"{label:<9} {text}".rstrip())
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def render_plan_markdown(sheet: PlanSheet) -> str:
    out = [f"# {_md(sheet.title)}", "", _md(sheet.subtitle), "", _md(sheet.summary), ""]
    out.append("| " + " | ".join(HEADERS) + " |")
    out.append("|" + "---|" * len(HEADERS))
    for row in sheet.rows:
        cells = [_md(c) for c in row[:4]] + ["<br>".join(_md(line) for line in row[4])]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    for label, text in sheet.notes:
        out.append(f"- **{_md(label)}** {_md(text)}" if label else f"  {_md(text)}")
    return "\n".join(out) + "\n"


_CSS = """
body { font: 14px/1.35 "DejaVu Sans", system-ui, sans-serif; max-width: 70em; margin: 1.2em auto;
  padding: 0 1em; color: #000; background: #fff; }
h1 { font-size: 1.5em; margin: 0; } .sub { color: #333; margin: .1em 0 .6em; }
table { border-collapse: collapse; width: 100%; margin: .6em 0; }
th, td { border-bottom: 1px solid #888; padding: .2em .45em; text-align: left;
  vertical-align: top; }
th { border-bottom: 2px solid #000; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15em .8em; font-size: .9em; }
dt { font-weight: bold; } dd { margin: 0; }
@page { size: A4 landscape; margin: 12mm; }
@media print { body { margin: 0; max-width: none; font-size: 11px; } }
"""


def render_plan_html(sheet: PlanSheet, paper: str = "a4") -> str:
    page = "A4" if paper == "a4" else "letter"
    rows = "\n".join(
        "<tr>"
        + "".join(f"<td>{escape(c)}</td>" for c in row[:4])
        + "<td>"
        + "<br>".join(escape(line) for line in row[4])
        + "</td></tr>"
        for row in sheet.rows
    )
    notes = "\n".join(
        f"<dt>{escape(label)}</dt><dd>{escape(text)}</dd>" for label, text in sheet.notes
    )
    head = "".join(f"<th>{escape(h)}</th>" for h in HEADERS)
    css = _CSS.replace("A4 landscape", f"{page} landscape")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(sheet.title)}</title><style>{css}</style></head><body>\n"
        f'<h1>{escape(sheet.title)}</h1><p class="sub">{escape(sheet.subtitle)}</p>\n'
        f"<p>{escape(sheet.summary)}</p>\n"
        f"<table><thead><tr>{head}</tr></thead><tbody>\n{rows}\n</tbody></table>\n"
        f"<dl>{notes}</dl>\n</body></html>\n"
    )


PDF_SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0, 5.5, 5.0)


def render_plan_pdf(
    sheet: PlanSheet, paper: str = "a4", warn: Callable[[str], None] | None = None
) -> bytes:
    """One landscape page: the largest text size at which everything fits on it."""
    for size in PDF_SIZES:
        pdf = _pdf(sheet, paper, size)
        if pdf.page == 1 or size == PDF_SIZES[-1]:
            if pdf.page > 1 and warn is not None:
                warn(f"the plan's overview needs {pdf.page} pages even at {size:g} pt")
            return bytes(pdf.output())
    raise AssertionError("unreachable")


def _pdf(sheet: PlanSheet, paper: str, size: float):
    try:
        from fpdf import FPDF
        from fpdf.fonts import FontFace
    except ImportError:  # pragma: no cover - a dependency of pose-coach
        from pose_coach.errors import MissingExtraError

        raise MissingExtraError("the PDF sheet needs fpdf2", hint="pip install fpdf2") from None
    from pose_coach.render.sheet.pdf import FONT_DIR

    pdf = FPDF(orientation="L", unit="mm", format="A4" if paper == "a4" else "Letter")
    pdf.set_auto_page_break(True, margin=10)
    pdf.set_margins(10, 10, 10)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(sheet.title)
    pdf.set_creator("pose-coach")
    pdf.add_page()
    line = size * 0.45
    pdf.set_font("DejaVu", "B", size + 6)
    pdf.multi_cell(0, (size + 6) * 0.45, sheet.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", size)
    pdf.multi_cell(0, line, sheet.subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.multi_cell(0, line, sheet.summary, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)
    width = pdf.epw
    with pdf.table(
        col_widths=(12, 40, 14, 16, width - 82),
        text_align="LEFT",
        line_height=line,
        headings_style=FontFace(emphasis="B"),
        first_row_as_headings=True,
        padding=0.8,
    ) as table:
        head = table.row()
        for header in HEADERS:
            head.cell(header)
        for row in sheet.rows:
            cells = table.row()
            for cell in row[:4]:
                cells.cell(cell)
            cells.cell("\n".join(row[4]))
    pdf.ln(2)
    section = ""
    for label, text in sheet.notes:
        section = label or section
        small = size - 1.5 if section == "Sources" else size - 0.5  # sources: the fine print
        pdf.set_font("DejaVu", "B", size - 0.5)
        pdf.cell(18, line, label)
        pdf.set_font("DejaVu", "", small)
        pdf.multi_cell(0, small * 0.45, text, align="L", new_x="LMARGIN", new_y="NEXT")
    return pdf


def render_plan_sheet(
    sheet: PlanSheet, fmt: str, *, paper: str = "a4", warn: Callable[[str], None] | None = None
) -> bytes:
    if fmt == "text":
        return render_plan_text(sheet).encode("utf-8")
    if fmt == "md":
        return render_plan_markdown(sheet).encode("utf-8")
    if fmt == "html":
        return render_plan_html(sheet, paper).encode("utf-8")
    if fmt == "pdf":
        return render_plan_pdf(sheet, paper, warn)
    raise UsageError(f"unknown sheet format '{fmt}'", hint="use text, md, html or pdf")
