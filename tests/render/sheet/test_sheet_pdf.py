"""The PDF cue sheet, read back with poppler: text, page count, paper, fonts, rendering."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from pose_coach.library.catalog import load_catalog
from pose_coach.library.model import FIGURES, ItemKind, RoutineItem
from pose_coach.render.sheet import build_sheet, render_sheet
from pose_coach.render.sheet.figures import figure_svg

DATA = Path(__file__).parents[2] / "data" / "sheets"

needs_poppler = pytest.mark.skipif(
    any(shutil.which(p) is None for p in ("pdftotext", "pdfinfo", "pdftoppm", "pdffonts")),
    reason="poppler-utils (pdftotext, pdfinfo, pdftoppm, pdffonts) is not installed",
)
pytestmark = needs_poppler


@pytest.fixture(scope="module")
def builtin():
    return load_catalog().entries


@pytest.fixture(scope="module")
def library():
    return load_catalog([("user", DATA)]).entries


def _pdf(tmp_path: Path, entries, library, **options) -> Path:
    notes = options.pop("notes", False)
    warnings: list[str] = []
    data = render_sheet(
        build_sheet(entries, library, notes=notes), "pdf", warn=warnings.append, **options
    )
    path = tmp_path / "sheet.pdf"
    path.write_bytes(data)
    _pdf.warnings = warnings
    return path


def _text(path: Path) -> str:
    """The text in drawing order (-raw), whitespace collapsed so wrapped lines join up, and
    without the page footers and the "N. Title (continued)" lines repeated where a card
    goes on in a new column (both can fall between two lines of one paragraph)."""
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.replace("\f", "\n")
    out = re.sub(
        r"^(\d+\. .* \(continued\)|pose-coach cue sheet · .* page \d+ of \d+)\n",
        "",
        out,
        flags=re.MULTILINE,
    )
    return " ".join(out.split())


def _info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def _drill_strings(drill) -> list[str]:
    return (
        [drill.title, drill.summary]
        + [step.cue for step in drill.steps]
        + list(drill.checkpoints)
        + [f.fault for f in drill.faults]
        + [f.fix for f in drill.faults]
    )


def _assert_all_present(text: str, strings: list[str]) -> None:
    missing = [s for s in strings if " ".join(s.split()) not in text]
    assert missing == []


def test_drill_pdf_reads_back_every_string(tmp_path, builtin):
    drill = builtin["wall-fall"]
    path = _pdf(tmp_path, [drill], builtin)
    text = _text(path)
    _assert_all_present(text, _drill_strings(drill) + list(drill.safety))
    assert "3 sets × 0:34, 0:30 rest between sets — 2:42 in all" in text  # re-dosed wall fall
    info = _info(path)
    assert info["Pages"] == "1"
    assert info["Page size"].startswith("595.28 x 841.89 pts (A4)")
    assert info["Title"] == "Wall fall"


def test_warmup_pdf_reads_back_every_cue_on_four_pages(tmp_path, builtin):
    routine = builtin["warmup"]
    path = _pdf(tmp_path, [routine], builtin, notes=True)
    text = _text(path)
    drills = [builtin[item.ref] for item in routine.items if item.kind is ItemKind.DRILL]
    strings = [routine.title, routine.summary, "6:43 in all", "Coach's notes"]
    for drill in drills:
        strings += _drill_strings(drill) + list(drill.safety)
    _assert_all_present(text, strings)
    # the review: 7-pt text in three columns was too dense to read outdoors; at 9 pt or
    # more, two columns, whole cards and 36 mm figures, seven drills take four pages
    assert int(_info(path)["Pages"]) == 4
    raw = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "pose-coach cue sheet · Pre-run warm-up page 1 of 4\n" in raw
    assert "pose-coach cue sheet · Pre-run warm-up page 4 of 4\n" in raw
    assert "(continued)" not in raw  # no card split across a column or a page


def _routine_of(builtin, count: int):
    """A routine of the first ``count`` drills of the library, with a rest between each."""
    drills = sorted(e.id for e in builtin.values() if e.kind == "drill")[:count]
    items = []
    for drill_id in drills:
        items += [
            RoutineItem(ItemKind.DRILL, drill_id, sets=1),
            RoutineItem(ItemKind.REST, seconds=15),
        ]
    return replace(builtin["warmup"], id="test", title=f"{count} drills", items=tuple(items[:-1]))


def test_six_drills_fit_one_page_in_the_coach_view(tmp_path, builtin):
    """The cards of six drills need several pages at a readable size; the coach view puts
    the whole session on one."""
    routine = _routine_of(builtin, 6)
    path = _pdf(tmp_path, [routine], builtin, layout="coach")
    assert _info(path)["Pages"] == "1"
    text = _text(path)
    _assert_all_present(text, ["6 drills", "coach view"])
    for item in routine.items:
        if item.kind is ItemKind.DRILL:
            _assert_all_present(text, [builtin[item.ref].title])
    assert int(_info(_pdf(tmp_path, [routine], builtin))["Pages"]) <= 4


def test_many_drills_flow_onto_more_pages_without_losing_text(tmp_path, builtin):
    routine = _routine_of(builtin, 15)
    path = _pdf(tmp_path, [routine], builtin)
    pages = int(_info(path)["Pages"])
    assert 2 <= pages <= 9  # two whole cards a page at least
    strings = []
    for item in routine.items:
        if item.kind is ItemKind.DRILL:
            strings += _drill_strings(builtin[item.ref])
    _assert_all_present(_text(path), strings)


def test_letter_paper(tmp_path, builtin):
    path = _pdf(tmp_path, [builtin["pre-run"]], builtin, paper="letter")
    assert _info(path)["Page size"].startswith("612 x 792 pts (letter)")


def test_hostile_and_non_latin_text_prints_literally_with_embedded_fonts(tmp_path, library):
    path = _pdf(tmp_path, [library["mini"]], library)
    text = _text(path)
    _assert_all_present(
        text,
        [
            "<script>alert(1)</script> lean",
            "[bold]x[/] run out",
            "Élan lean <b>&amp;</b>",
            "Stand tall, Падение → δ",
            "Hips in line with <shoulders> & heels",
            "[bold]straight[/]",
            "_Eyes_ ahead, `no` staring down",
        ],
    )
    fonts = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert len(fonts) == 2  # regular and bold
    for line in fonts:
        assert "DejaVuSans" in line
        assert line.split()[-5:-3] == ["yes", "yes"]  # embedded, subset
    assert _pdf.warnings == []


def test_characters_missing_from_the_font_are_reported(tmp_path, library):
    lean = library["lean"]
    cjk = replace(lean, steps=(replace(lean.steps[0], cue="Lean 倒れる"),) + lean.steps[1:])
    path = _pdf(tmp_path, [cjk], library)
    assert len(_pdf.warnings) == 1
    assert "倒れる" in _pdf.warnings[0] and "DejaVu Sans" in _pdf.warnings[0]
    assert "Lean" in _text(path)


def test_long_titles_and_words_wrap_instead_of_vanishing(tmp_path, library):
    lean = library["lean"]
    long_title = "A very long drill title that cannot possibly fit on one line of a column"
    word = "https://example.org/" + "x" * 150
    odd = replace(lean, title=long_title, checkpoints=(word,))
    text = _text(_pdf(tmp_path, [odd], library))
    assert long_title in text
    assert "".join(text.split()).count("x" * 150) == 1  # cut across lines, every letter kept


def _pgm(path: Path, page: int, dpi: int = 30) -> tuple[int, int, bytes]:
    """Render one page to a greyscale PGM with pdftoppm; (width, height, pixels)."""
    out = subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), str(path)],
        check=True,
        capture_output=True,
    ).stdout
    magic, width, height, maxval, pixels = out.split(maxsplit=4)
    assert magic == b"P5" and maxval == b"255"
    return int(width), int(height), pixels


def test_every_page_renders_with_ink(tmp_path, builtin):
    path = _pdf(tmp_path, [builtin["warmup"]], builtin)
    for page in range(1, int(_info(path)["Pages"]) + 1):
        width, height, pixels = _pgm(path, page)
        assert len(pixels) == width * height
        dark = sum(1 for p in pixels if p < 128)
        assert dark > 500, f"page {page} is nearly blank"


@pytest.mark.parametrize("phase", ["pose", "fall", "pull"])
def test_figure_draws_in_black_and_white(tmp_path, phase):
    """The SVG as fpdf2 draws it in the PDF sheet: plenty of ink, and none of it colour."""
    from io import BytesIO

    from fpdf import FPDF

    pdf = FPDF(unit="mm", format=(60, 84))
    pdf.add_page()
    pdf.image(BytesIO(figure_svg(phase).encode()), x=0, y=0, w=60)
    path = tmp_path / "figure.pdf"
    pdf.output(str(path))
    width, height, pixels = _pgm(path, 1, dpi=60)
    dark = sum(1 for p in pixels if p < 100)
    assert dark > 0.03 * width * height  # a drawn figure, not an empty frame
    colour = subprocess.run(
        ["pdftoppm", "-r", "20", str(path)], check=True, capture_output=True
    ).stdout
    rgb = colour.split(maxsplit=4)[4]
    assert all(rgb[i] == rgb[i + 1] == rgb[i + 2] for i in range(0, len(rgb), 3))


class _Spy:
    """Records what the PDF sheet draws: each text with its size, each figure's size."""

    def __init__(self, monkeypatch):
        from fpdf import FPDF

        self.texts: list[tuple[float, str]] = []
        self.images: list[tuple[float, float]] = []
        spy = self
        text, image = FPDF.text, FPDF.image

        def record_text(pdf, x, y, txt="", *args, **kwargs):
            spy.texts.append((pdf.font_size_pt, txt))
            return text(pdf, x, y, txt, *args, **kwargs)

        def record_image(pdf, name, *args, **kwargs):
            spy.images.append((kwargs.get("w", 0), kwargs.get("h", 0)))
            return image(pdf, name, *args, **kwargs)

        monkeypatch.setattr(FPDF, "text", record_text)
        monkeypatch.setattr(FPDF, "image", record_image)


@pytest.mark.parametrize("layout", ["cards", "coach"])
def test_body_text_is_9_pt_or_more_and_figures_35_mm_tall(tmp_path, builtin, monkeypatch, layout):
    from pose_coach.render.figures.scenes import figure
    from pose_coach.render.sheet.figures import figure_label

    spy = _Spy(monkeypatch)
    _pdf(tmp_path, [builtin["warmup"]], builtin, layout=layout)
    # the words drawn inside figures, the few under them, and the page footer are the
    # only smaller text
    small_ok = {s.text for name in FIGURES for s in figure(name).shapes if s.kind == "text"}
    small_ok |= {figure_label(name) for name in FIGURES}
    small = [
        (size, text)
        for size, text in spy.texts
        if size < 9.0 and text not in small_ok and not text.startswith(("pose-coach cue", "page "))
    ]
    # a figure label may wrap into several lines: each is a piece of a known label
    small = [(z, t) for z, t in small if not any(t in label for label in small_ok)]
    assert small == []
    assert spy.images and all(h >= 35.0 for _, h in spy.images)


def test_the_shared_safety_box_merges_near_duplicates_with_a_true_heading(tmp_path, library):
    from pose_coach.render.sheet.model import build_sheet

    lean, hop = library["lean"], library["hop"]
    a = replace(lean, safety=("Stop if anything hurts.", "Use a solid wall."))
    b = replace(hop, safety=("Stop if anything hurts; soreness is normal at first.",))
    sheet = build_sheet([a, b], library)
    assert sheet.common_safety == ("Stop if anything hurts; soreness is normal at first.",)
    assert sheet.safety_heading == "Safety for every drill"
    assert [c.safety for c in sheet.cards] == [("Use a solid wall.",), ()]
    c = replace(hop, id="hop2", safety=("Land softly.",))
    mixed = build_sheet([a, b, c], library)
    assert mixed.safety_heading == "Safety notes for several drills"
    text = _text(_pdf(tmp_path, [a, b, c], library))
    assert "SAFETY NOTES FOR SEVERAL DRILLS" in text and "SAFETY FOR EVERY DRILL" not in text
