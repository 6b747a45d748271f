"""`pose-coach figure`: a figure as SVG or PNG, by name or by drill."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET


def test_svg_to_stdout_by_name_or_drill(cli):
    result = cli("figure", "pull")
    assert result.exit_code == 0, result.output
    root = ET.fromstring(result.stdout)
    assert root.get("data-figure") == "pull"
    by_drill = cli("figure", "wall-fall")  # a drill whose figure has the same name
    assert ET.fromstring(by_drill.stdout).get("data-figure") == "wall-fall"
    timber = cli("figure", "timber-fall")
    assert ET.fromstring(timber.stdout).get("data-figure") == "two-foot-fall"


def test_png_file(cli, tmp_path):
    from PIL import Image

    out = tmp_path / "pose.png"
    result = cli("figure", "pose", "-o", str(out), "--height", "300")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"pose-coach: wrote {out} (png figure 'pose')\n"
    image = Image.open(io.BytesIO(out.read_bytes()))
    assert image.format == "PNG" and image.size[1] == 300


def test_unknown_names_suggest_the_closest(cli):
    result = cli("figure", "wal-fall")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("pose-coach: error: no figure or drill 'wal-fall'; did you")
    bad = cli("figure", "pose", "-o", "x.gif")
    assert bad.exit_code == 2
