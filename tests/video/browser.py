"""A real headless Chromium for the HTML report tests (skipped where it is absent).

``probe_page`` opens a copy of a page with an onload handler added (the page itself has no
script) that writes what the browser made of its images and drawings into the DOM, which
``--dump-dom`` then prints.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)
CHROMIUM_SKIP = "needs Chromium for a real render (Debian: apt-get install chromium)"

_PROBE = """<script>window.addEventListener('load', function () {
  var out = [];
  document.querySelectorAll('img').forEach(function (img) {
    var box = img.closest('.kf-pic').getBoundingClientRect();
    out.push([img.complete, img.naturalWidth, img.naturalHeight, box.width, box.height]);
  });
  var svg = [];
  document.querySelectorAll('svg.kf-svg').forEach(function (s) {
    var r = s.getBoundingClientRect();
    svg.push([r.width, r.height, s.querySelectorAll('line').length]);
  });
  var pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify({images: out, svgs: svg});
  document.body.appendChild(pre);
});</script>"""


def chromium(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    assert CHROMIUM is not None
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--allow-file-access-from-files",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    return subprocess.run(
        [CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120, check=True
    )


def probe_page(page: Path, tmp_path: Path) -> tuple[dict[str, Any], str]:
    """(images: [complete, natural w, natural h, shown w, shown h], svgs: [w, h, lines]),
    and the DOM as the browser rendered it."""
    probed = page.with_name(f"probed-{page.name}")
    html = page.read_text(encoding="utf-8")
    probed.write_text(html.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    dom = chromium("--virtual-time-budget=5000", "--dump-dom", probed.as_uri(), tmp_path=tmp_path)
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout, re.S)
    assert found, dom.stdout[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"')), dom.stdout
