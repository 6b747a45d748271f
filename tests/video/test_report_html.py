"""The HTML form report: one self-contained page with the key frames, the skeleton and
the measured angles drawn on, the measures against their bands, the drills; opened in a
real headless Chromium."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from html.parser import HTMLParser

import pytest
from browser import CHROMIUM, CHROMIUM_SKIP, chromium, probe_page
from frame_pictures import key_frame_pictures
from report_helpers import clean, faulty

from pose_coach.video.history import form_record
from pose_coach.video.model import INFO, KNEE
from pose_coach.video.report_frames import wanted_frames
from pose_coach.video.report_html import render_html


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.sources: list[str] = []  # every src= and link href=: nothing may be fetched
        self.figures: list[dict[str, str]] = []
        self.lines: list[dict[str, str]] = []
        self.svgs: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        found = {k: v or "" for k, v in attrs}
        if "id" in found:
            self.ids.add(found["id"])
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])
        if found.get("src") or (tag == "link" and found.get("href")):
            self.sources.append(found.get("src") or found.get("href", ""))
        if tag == "figure":
            self.figures.append(found)
        if tag == "line":
            self.lines.append(found)
        if tag == "svg" and found.get("class") == "kf-svg":
            self.svgs.append(found)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_the_page_is_self_contained_and_its_links_land():
    analysis = faulty()
    page = _parse(render_html(analysis, key_frame_pictures(analysis), source="clip.mp4"))
    assert "script" not in page.tags and "link" not in page.tags
    assert page.sources and all(s.startswith("data:image/") for s in page.sources)
    anchors = [link[1:] for link in page.links]
    assert anchors and all(link.startswith("#") for link in page.links)
    assert all(a in page.ids for a in anchors)


def test_the_median_and_the_worst_stride_show_landing_pose_and_end_of_stance():
    analysis = faulty()
    html = render_html(analysis, key_frame_pictures(analysis))
    page = _parse(html)
    assert analysis.median.stride != analysis.worst.stride
    shown = [(int(f["data-frame"]), f["data-moment"]) for f in page.figures]
    expected = []
    for keys in (analysis.median, analysis.worst):
        expected += [
            (keys.landing, "landing"),
            (keys.pose, "pose"),
            (keys.end_of_stance, "end_of_stance"),
        ]
    assert shown == expected
    assert len(page.sources) == 6 and len(page.svgs) == 6
    assert sorted({i for i, _ in shown}) == wanted_frames(analysis)
    assert f"stride {analysis.worst.stride}, {analysis.worst.foot} foot landing" in html
    assert "estimate: toe-off is timed at 120 frames/s and more" in html


def test_the_skeleton_is_drawn_where_the_landmarks_are():
    analysis = faulty()
    page = _parse(render_html(analysis, None))
    runner = analysis.runner
    xy = runner.xy[runner.row_of(analysis.median.landing)]
    knee = xy[KNEE[analysis.median.foot]]
    ends = {(round(float(line["x1"])), round(float(line["y1"]))) for line in page.lines}
    assert (round(float(knee[0])), round(float(knee[1]))) in ends
    x, y, w, h = (float(v) for v in page.svgs[0]["viewbox"].split())
    finite = xy[~(xy != xy).any(axis=1)]
    assert (finite[:, 0] >= x).all() and (finite[:, 0] <= x + w).all()
    assert (finite[:, 1] >= y).all() and (finite[:, 1] <= y + h).all()
    # the hip's vertical: a line of constant x from the top of the box to its bottom
    verticals = [ln for ln in page.lines if ln["x1"] == ln["x2"] and float(ln["y1"]) == y]
    assert len(verticals) >= 1


def test_the_measured_angles_are_written_on_the_frames():
    analysis = faulty()
    html = render_html(analysis, None)
    median = next(s for s in analysis.measures.strides if s.number == analysis.median.stride)
    ahead = median.values["foot_ahead"].value
    assert f">foot ahead {ahead:.0f} % leg</text>" in html
    assert re.search(r">shank -?\d+°</text>", html)
    assert re.search(r">waist bend \d+°</text>", html)
    assert ">estimated frame</text>" in html  # 60 frames/s: no fall angle to write
    fast = render_html(clean(), None)
    assert re.search(r">fall \d+°</text>", fast)


def test_without_frames_the_skeleton_stays_and_no_picture_is_in_the_page():
    analysis = faulty()
    page = _parse(render_html(analysis, None))
    assert "img" not in page.tags and page.sources == []
    assert len(page.svgs) == 6 and len(page.lines) > 100


def test_pictures_that_are_neither_jpeg_nor_png_are_left_out():
    analysis = faulty()
    frames = dict.fromkeys(wanted_frames(analysis), b"<svg onload=alert(1)>")
    page = _parse(render_html(analysis, frames))
    assert "img" not in page.tags


def test_measures_against_bands_with_sources_not_measured_and_the_drills():
    analysis = faulty()
    html = render_html(analysis, None)
    for key in analysis.measures.both:
        assert f'<tr data-measure="{INFO[key].json}">' in html
    assert "good ≤ 10, fault &gt; 20 % leg" in html
    assert 'id="src-pose-landing"' in html
    assert "<h2>Not measured on this clip</h2>" in html
    assert "Stance (ground contact) time</strong>: needs 120 frames/s" in html
    for p in analysis.prescriptions:
        for command in p.commands:
            assert f"<code>{command}</code>" in html


def test_text_from_outside_is_escaped():
    analysis = clean()
    previous = form_record(
        faulty(),
        file_name="<img src=x onerror=alert(1)>.mp4",
        file_sha256="d" * 64,
        app_version="t",
        analysed_at=datetime(2026, 11, 30, tzinfo=timezone.utc),
    )
    html = render_html(analysis, None, previous, source="<b>clip</b>.mp4")
    assert "<b>clip" not in html and "&lt;b&gt;clip&lt;/b&gt;.mp4" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;.mp4" in html
    assert "foot ahead 30 → 7 % leg (-23, better)" in html


@pytest.mark.skipif(CHROMIUM is None, reason=CHROMIUM_SKIP)
def test_chromium_renders_the_report_with_its_frames_and_measures(tmp_path):
    analysis = faulty()
    html = render_html(analysis, key_frame_pictures(analysis), source="clip.mp4")
    page = tmp_path / "form.html"
    page.write_text(html, encoding="utf-8")
    probe, text = probe_page(page, tmp_path)
    assert len(probe["images"]) == 6
    for complete, natural_w, natural_h, shown_w, shown_h in probe["images"]:
        assert complete and natural_w > 0 and natural_h > 0  # the picture decoded
        assert shown_w > 100 and shown_h > 100  # and takes room on the page
    assert len(probe["svgs"]) == 6
    assert all(w > 100 and h > 100 and lines > 15 for w, h, lines in probe["svgs"])
    # the measures are on the rendered page
    assert "Foot ahead of the hip at landing" in text and "pose-coach drill wall-fall" in text
    assert "Measures against the bands" in text and "Not measured on this clip" in text
    shot = tmp_path / "form.png"
    chromium("--window-size=1100,2400", f"--screenshot={shot}", page.as_uri(), tmp_path=tmp_path)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 30_000


def test_one_stride_section_when_the_median_stride_is_also_the_worst():
    from dataclasses import replace

    analysis = clean()
    same = replace(analysis, worst=analysis.median)
    page = _parse(render_html(same, key_frame_pictures(same)))
    assert len(page.figures) == 3 and len(page.sources) == 3
