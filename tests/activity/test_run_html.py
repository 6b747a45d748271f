"""The HTML run report: self-contained, every link lands, and a real Chromium renders it."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from activity_files import easy, warm_up, write_fit

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)
CHROMIUM_SKIP = "needs Chromium for a real render (Debian: apt-get install chromium)"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.sources: list[str] = []  # src= and stylesheet href= (nothing may be fetched)
        self.charts = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        found = dict(attrs)
        if tag == "svg" and found.get("class") == "chart":
            self.charts += 1
        if "id" in found:
            self.ids.add(found["id"] or "")
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        if found.get("src") or (tag == "link" and found.get("href")):
            self.sources.append(found.get("src") or found.get("href") or "")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    fit = write_fit(
        folder / "heavy.fit",
        [warm_up(300), easy(1500, stance=290, ratio=9.5, balance=52.0, cadence=160)],
        interval=10,
    )
    return folder / "run.html", fit


def _write(cli, report) -> str:
    out, fit = report
    result = cli("run", str(fit), "-o", str(out), "--no-log")
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8")


def test_the_page_is_self_contained_and_its_links_land(cli, report):
    page = _Page()
    page.feed(_write(cli, report))
    assert "script" not in page.tags and page.sources == []
    assert page.charts == 8  # pace and the 7 measures the file holds
    anchors = [link[1:] for link in page.links if link.startswith("#")]
    assert anchors and all(a in page.ids for a in anchors)
    assert all(link.startswith("#") for link in page.links)  # nothing leaves the page
    drills = {a for a in anchors if a.startswith("drill-")}
    assert len(drills) >= 3  # the prescribed drills' cue-sheet cards are in the page


def test_the_page_escapes_what_came_from_the_file(cli, tmp_path):
    fit = write_fit(tmp_path / "<b>run<b>.fit", [easy(300)], interval=10)
    out = tmp_path / "run.html"
    assert cli("run", str(fit), "-o", str(out), "--no-log").exit_code == 0
    html = out.read_text()
    assert "<b>run" not in html and "&lt;b&gt;run&lt;b&gt;.fit" in html


@pytest.mark.skipif(CHROMIUM is None, reason=CHROMIUM_SKIP)
def test_chromium_renders_the_report(cli, report, tmp_path):
    _write(cli, report)
    out, _ = report
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [CHROMIUM, *flags, "--dump-dom", out.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    parsed = _Page()
    parsed.feed(dom)
    assert parsed.charts == 8 and parsed.tags.count("rect") > 40
    assert "What the numbers say" in dom and "pose-coach drill" in dom
    shot = tmp_path / "run.png"
    subprocess.run(
        [CHROMIUM, *flags, "--window-size=1000,2000", f"--screenshot={shot}", out.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    pdf = tmp_path / "run.pdf"
    subprocess.run(
        [CHROMIUM, *flags, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", out.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert pdf.read_bytes()[:5] == b"%PDF-"
