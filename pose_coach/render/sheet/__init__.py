"""Cue sheets: one content model (``model.py``) written in four formats.

This module chooses the format and calls its writer (``text``, ``markdown``, ``html``,
``pdf``); the writers import the model, never this module, so no import goes round.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from pose_coach.errors import UsageError
from pose_coach.library.model import Entry
from pose_coach.render.sheet.model import LAYOUTS, PAPERS, Sheet, build_sheet

__all__ = [
    "FORMATS",
    "LAYOUTS",
    "PAPERS",
    "SUFFIXES",
    "build_sheet",
    "choose_format",
    "render_sheet",
    "text_sheet",
]

FORMATS = ("text", "md", "html", "pdf")
SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}


def text_sheet(
    entries: Sequence[Entry], library: Mapping[str, Entry], *, notes: bool = False, width: int = 78
) -> str:
    """The plain-text cue sheet (also used inside calendar event descriptions)."""
    from pose_coach.render.sheet.text import render_text

    return render_text(build_sheet(entries, library, notes=notes), width=width)


def choose_format(fmt: str | None, output: Path | None) -> str:
    """``--format`` wins; otherwise the output file's suffix; otherwise text."""
    if fmt:
        return fmt
    if output is None or not output.suffix:
        return "text"
    found = SUFFIXES.get(output.suffix.lower())
    if found is None:
        raise UsageError(
            f"cannot tell the sheet format from '{output.name}'",
            hint="use --format text|md|html|pdf, or a .txt, .md, .html or .pdf file name",
        )
    return found


def render_sheet(
    sheet: Sheet,
    fmt: str,
    *,
    paper: str = "a4",
    warn: Callable[[str], None] | None = None,
    layout: str = "cards",
) -> bytes:
    """The sheet as the bytes of a file in ``fmt`` (UTF-8 for the text formats).

    ``warn`` hears about things the user should know but that do not stop the sheet
    (characters the PDF font cannot print). ``layout``: ``cards`` (a card per drill) or
    ``coach`` (one page: the order, one cue, the top fault and the figure per drill).
    """
    if layout not in LAYOUTS:
        raise UsageError(f"unknown sheet layout '{layout}'", hint="use cards or coach")
    if layout == "coach":
        from pose_coach.render.sheet import coach

        return coach.render(sheet, fmt, paper=paper, warn=warn)
    if fmt == "text":
        from pose_coach.render.sheet.text import render_text

        return render_text(sheet).encode("utf-8")
    if fmt == "md":
        from pose_coach.render.sheet.markdown import render_markdown

        return render_markdown(sheet).encode("utf-8")
    if fmt == "html":
        from pose_coach.render.sheet.html import render_html

        return render_html(sheet, paper=paper).encode("utf-8")
    if fmt == "pdf":
        from pose_coach.render.sheet.pdf import render_pdf

        return render_pdf(sheet, paper=paper, warn=warn)
    raise UsageError(f"unknown sheet format '{fmt}'", hint="use text, md, html or pdf")
