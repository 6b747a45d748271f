"""Cue sheet content model, text and Markdown (snapshots), HTML (parsed) and escaping."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pose_coach.describe import entry_seconds
from pose_coach.errors import UsageError
from pose_coach.library.catalog import load_catalog
from pose_coach.render.sheet import (
    FORMATS,
    PAPERS,
    build_sheet,
    choose_format,
    render_sheet,
    text_sheet,
)
from pose_coach.render.sheet.markdown import md_escape

DATA = Path(__file__).parents[2] / "data" / "sheets"
SNAPSHOTS = Path(__file__).parents[2] / "snapshots"
HOSTILE = [
    "<script>alert(1)</script> lean",
    "[bold]x[/] run out",
    "Élan lean <b>&amp;</b>",
    "Hips in line with <shoulders> & heels",
]


@pytest.fixture(scope="module")
def library():
    return load_catalog([("user", DATA)]).entries


@pytest.fixture(scope="module")
def builtin():
    return load_catalog().entries


def check_snapshot(name: str, text: str) -> None:
    """Exact comparison with tests/snapshots/NAME; UPDATE_SNAPSHOTS=1 rewrites the file."""
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path}; run the tests once with UPDATE_SNAPSHOTS=1"
    assert text == path.read_text(encoding="utf-8")


# --- the content model ---------------------------------------------------------------


def test_routine_order_matches_the_timeline(builtin):
    for routine_id in ("warmup", "pre-run", "pull-focus", "fall-focus", "pose-basics"):
        routine = builtin[routine_id]
        sheet = build_sheet([routine], builtin)
        (plan,) = sheet.plans
        assert plan.total_seconds == pytest.approx(entry_seconds(routine, builtin))
        clock = 0.0
        for row in plan.rows:
            assert row.start == pytest.approx(clock)
            clock += row.seconds
        assert [r.number for r in plan.rows if not r.is_rest] == list(
            range(1, plan.drill_count + 1)
        )


def test_warmup_sheet_content(builtin):
    sheet = build_sheet([builtin["warmup"]], builtin)
    assert sheet.title == "Pre-run warm-up"
    # the warm-up after the coach's review: run-outs after the in-place drills, announced
    # rests, and no intermediate leaning hops
    assert sheet.subtitle == "routine · 7 drills · 6:43 in all"
    assert [c.id for c in sheet.cards] == [
        "ball-of-foot-perception",
        "pose",
        "jumps-in-place",
        "change-of-support",
        "wall-pull",
        "wall-fall",
        "fall",
    ]
    fall = sheet.cards[-1]
    assert (fall.sets, fall.rest) == (2, 15)  # the routine's dose, not the drill's own
    assert fall.dose == "2 sets × 0:22, 0:15 rest between sets — 0:59 in all"
    stop = "Stop if anything hurts; soreness is normal at first, sharp pain is not."
    assert stop in sheet.common_safety
    for card in sheet.cards:
        assert not set(card.safety) & set(sheet.common_safety)
    # every safety note of every drill is still on the sheet, once
    every = {note for c in sheet.cards for note in builtin[c.id].safety}
    assert every == set(sheet.common_safety) | {n for c in sheet.cards for n in c.safety}


def test_seconds_scale_and_marks(library):
    sheet = build_sheet([library["mini"]], library)
    hop = sheet.cards[1]
    assert hop.set_seconds == 12  # (10 s each leg × 2 + 4 s) × 0.5
    assert [s.seconds for s in hop.steps] == [5, 2]
    assert hop.steps[0].marks == ("each leg", "180 steps/min")
    assert sheet.cards[0].steps[2].marks == ("until ready",)


def test_same_drill_at_the_same_dose_gets_one_card(builtin):
    sheet = build_sheet([builtin["pre-run"], builtin["warmup"]], builtin)
    ids = [c.id for c in sheet.cards]
    assert ids.count("pose") == 1  # one set in both routines
    assert len(sheet.plans) == 2
    alone = build_sheet([builtin["warmup"], builtin["pose"]], builtin)
    assert [c.id for c in alone.cards].count("pose") == 2  # 1 set in warmup, 3 on its own


def test_mixed_ids_title_and_total(builtin):
    sheet = build_sheet([builtin["pre-run"], builtin["wall-fall"]], builtin)
    assert sheet.title == "Before every run · Wall fall"
    assert sheet.subtitle.startswith("1 routine, 1 drill · ")
    expected = entry_seconds(builtin["pre-run"], builtin) + builtin["wall-fall"].seconds
    assert sheet.total_seconds == pytest.approx(expected)


def test_no_ids_is_a_usage_error(builtin):
    with pytest.raises(UsageError):
        build_sheet([], builtin)


@pytest.mark.parametrize(
    ("fmt", "output", "expected"),
    [
        (None, None, "text"),
        (None, "a.PDF", "pdf"),
        (None, "a.md", "md"),
        (None, "a.markdown", "md"),
        (None, "a.htm", "html"),
        (None, "a.txt", "text"),
        (None, "notes", "text"),
        ("html", "a.txt", "html"),
    ],
)
def test_choose_format(fmt, output, expected):
    assert choose_format(fmt, Path(output) if output else None) == expected


def test_unknown_suffix_is_a_usage_error():
    with pytest.raises(UsageError, match="a.docx"):
        choose_format(None, Path("a.docx"))


def test_command_choices_agree_with_the_renderer():
    from pose_coach.commands import sheet

    assert sheet.FORMATS == FORMATS and sheet.PAPERS == PAPERS


# --- text and Markdown ---------------------------------------------------------------


def test_text_snapshot_routine_with_notes(library):
    check_snapshot("sheet-mini-notes.txt", text_sheet([library["mini"]], library, notes=True))


def test_text_snapshot_two_drills(library):
    check_snapshot("sheet-lean-hop.txt", text_sheet([library["lean"], library["hop"]], library))


def test_markdown_snapshot_routine_with_notes(library):
    sheet = build_sheet([library["mini"]], library, notes=True)
    check_snapshot("sheet-mini-notes.md", render_sheet(sheet, "md").decode())


def test_markdown_snapshot_two_drills(library):
    sheet = build_sheet([library["lean"], library["hop"]], library)
    check_snapshot("sheet-lean-hop.md", render_sheet(sheet, "md").decode())


def test_text_lines_fit_the_width(builtin):
    text = text_sheet([builtin["warmup"]], builtin, width=78)
    long = [line for line in text.splitlines() if len(line) > 78]
    assert long == []
    narrow = text_sheet([builtin["wall-fall"]], builtin, width=50)
    assert max(len(line) for line in narrow.splitlines()) <= 50


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("<script>alert(1)</script>", r"\<script\>alert(1)\</script\>"),
        ("[bold]x[/]", r"\[bold\]x\[/\]"),
        ("*a* _b_ `c` ~d~", r"\*a\* \_b\_ \`c\` \~d\~"),
        ("a | b & c", r"a \| b \& c"),
        ("# not a heading", r"\# not a heading"),
        ("- not a list", r"\- not a list"),
        ("12. not a list", r"12\. not a list"),
        ("wave :smile: hi", r"wave \:smile: hi"),
        ("$x^2$", r"\$x^2\$"),
        ("two\nlines", "two lines"),
        ("plain words, 12:30 stays", "plain words, 12:30 stays"),
    ],
)
def test_md_escape(raw, escaped):
    assert md_escape(raw) == escaped


def test_markdown_has_every_cue_escaped(library):
    md = render_sheet(build_sheet([library["mini"]], library), "md").decode()
    assert r"\<script\>alert(1)\</script\> lean" in md
    assert r"\[bold\]x\[/\] run out" in md
    assert "<script>" not in md and "[bold]" not in md.replace(r"\[bold\]", "")
    assert "<b>" not in md


# --- HTML ----------------------------------------------------------------------------


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.stack: list[str] = []
        self.style = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "style":
            self.style += data
        else:
            self.text.append(data)


def _parse(html: str) -> _Collector:
    parser = _Collector()
    parser.feed(html)
    parser.close()
    return parser


def test_html_escapes_drill_text(library):
    html = render_sheet(build_sheet([library["mini"]], library), "html").decode()
    page = _parse(html)
    names = {tag for tag, _ in page.tags}
    assert "script" not in names and "b" not in names and "shoulders" not in names
    text = " ".join(" ".join(page.text).split())
    for hostile in HOSTILE:
        assert hostile in text
    assert "[bold]straight[/]" in text


def test_html_has_a_figure_per_card_and_is_self_contained(builtin):
    sheet = build_sheet([builtin["warmup"]], builtin, notes=True)
    page = _parse(render_sheet(sheet, "html").decode())
    cards = [
        attrs
        for tag, attrs in page.tags
        if tag == "section" and "card" in (attrs.get("class") or "")
    ]
    svgs = [attrs for tag, attrs in page.tags if tag == "svg"]
    assert [a["data-phase"] for a in cards] == [c.phase.value for c in sheet.cards]
    # each card draws its drill's own figure (the review: not one figure per phase)
    assert [a["data-figure"] for a in cards] == [c.figure for c in sheet.cards]
    assert [a["data-figure"] for a in svgs] == [c.figure for c in sheet.cards]
    assert {"two-foot", "wall-pull", "wall-fall", "pose", "pull", "fall"} <= {
        a["data-figure"] for a in svgs
    }
    # nothing loaded from elsewhere: no scripts, links, images or external urls
    for tag, attrs in page.tags:
        assert tag not in ("script", "link", "img", "iframe")
        assert not any(
            (v or "").startswith(("http:", "https:", "//"))
            for k, v in attrs.items()
            if k in ("src", "href")
        )
    assert "@media print" in page.style and "@page { size: A4;" in page.style
    assert "Notes" in page.text and "Coach's notes" in page.text


def test_html_letter_paper(builtin):
    sheet = build_sheet([builtin["pose"]], builtin)
    assert "@page { size: letter;" in render_sheet(sheet, "html", paper="letter").decode()
