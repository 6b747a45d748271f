"""``pose-coach sheet``: formats, output choice, refusals and write failures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pose_coach.library.catalog import load_catalog
from pose_coach.render.sheet import text_sheet
from pose_coach.terminal import Terminal

DATA = Path(__file__).parents[2] / "data" / "sheets"


@pytest.fixture
def sheets_library(monkeypatch):
    monkeypatch.setenv("POSE_COACH_DRILLS", str(DATA))


def test_text_to_stdout_by_default(cli):
    result = cli("sheet", "warmup")
    assert result.exit_code == 0, result.output
    library = load_catalog().entries
    assert result.stdout == text_sheet([library["warmup"]], library)
    assert result.stderr == ""


def test_several_ids_mixed_on_one_sheet(cli):
    result = cli("sheet", "pre-run", "wall-fall", "--notes")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Before every run · Wall fall\n")
    assert "Order: Before every run — 2:53 in all" in result.stdout  # run-outs, rests added
    assert "[wall-fall]" in result.stdout and "[pose]" in result.stdout
    assert "Coach's notes" in result.stdout


@pytest.mark.parametrize(
    ("args", "name", "start"),
    [
        ((), "s.md", "# Pre-run warm-up\n"),
        ((), "s.html", "<!DOCTYPE html>\n"),
        ((), "s.txt", "Pre-run warm-up\n"),
        ((), "s.pdf", "%PDF-"),
        (("--format", "md"), "s.txt", "# Pre-run warm-up\n"),  # --format wins
    ],
)
def test_format_from_suffix_or_option(cli, tmp_path, args, name, start):
    out = tmp_path / name
    result = cli("sheet", "warmup", "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.startswith(f"pose-coach: wrote {out}")
    assert out.read_bytes().startswith(start.encode())
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left behind


def test_overwrites_a_regular_file(cli, tmp_path):
    out = tmp_path / "sheet.md"
    out.write_text("old")
    assert cli("sheet", "pose", "-o", str(out)).exit_code == 0
    assert out.read_text().startswith("# Running pose")


def test_pdf_refused_on_a_terminal(cli, monkeypatch):
    result = cli("sheet", "warmup", "--format", "pdf", terminal=Terminal(stdout_tty=True))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "pose-coach: error: a PDF is binary and stdout is a terminal\n"
        "  hint: write it to a file: -o warmup.pdf (or redirect: > warmup.pdf)\n"
    )


def test_pdf_to_a_pipe(cli, monkeypatch):
    result = cli("sheet", "pose", "--format", "pdf", "-o", "-", terminal=Terminal())
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes.startswith(b"%PDF-") and result.stdout_bytes.rstrip().endswith(
        b"%%EOF"
    )


def test_text_to_a_terminal_is_fine(cli, monkeypatch):
    assert cli("sheet", "pose", terminal=Terminal(stdout_tty=True)).exit_code == 0


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("fmt", ["text", "pdf"])
def test_full_disk(cli, fmt):
    result = cli("sheet", "warmup", "--format", fmt, "-o", "/dev/full")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "pose-coach: error: cannot write /dev/full: no space left on the device\n"
    )


def test_unwritable_folder(cli, tmp_path):
    """A folder that cannot be created (its parent is a file) stops even root."""
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    result = cli("sheet", "warmup", "-o", str(blocker / "out.pdf"))
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"pose-coach: error: cannot write {blocker / 'out.pdf'}: ")
    assert all(line.startswith("  hint: ") for line in lines[1:])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]
    assert blocker.read_text() == "not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders anyway")
def test_read_only_folder(cli, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = cli("sheet", "warmup", "-o", str(folder / "out.pdf"))
    finally:
        folder.chmod(0o700)
    assert result.exit_code == 1
    assert "permission denied" in result.stderr.splitlines()[0]
    assert list(folder.iterdir()) == []


def test_refuses_to_replace_a_folder(cli, tmp_path):
    target = tmp_path / "sheet.pdf"
    target.mkdir()
    result = cli("sheet", "warmup", "-o", str(target))
    assert result.exit_code == 1
    assert "is not a regular file" in result.stderr.splitlines()[0]
    assert target.is_dir()


def test_unknown_suffix_and_unknown_id_are_usage_errors(cli, tmp_path):
    result = cli("sheet", "warmup", "-o", str(tmp_path / "sheet.docx"))
    assert result.exit_code == 2
    assert result.stderr.startswith("pose-coach: error: cannot tell the sheet format from")
    result = cli("sheet", "warmpu")
    assert result.exit_code == 2
    assert "did you mean 'warmup'?" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_hostile_text_in_every_format(cli, tmp_path, sheets_library):
    for name in ("s.txt", "s.md", "s.html"):
        assert cli("sheet", "mini", "-o", str(tmp_path / name)).exit_code == 0
    assert "<script>alert(1)</script> lean" in (tmp_path / "s.txt").read_text()
    assert r"\<script\>alert(1)\</script\> lean" in (tmp_path / "s.md").read_text()
    html = (tmp_path / "s.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; lean" in html and "<script" not in html


def test_missing_glyphs_warn_on_stderr(cli, tmp_path, user_drill):
    user_drill(
        "kanji",
        """
        title: 倒れる drill
        phase: fall
        summary: Lean.
        steps:
          - cue: Lean
            seconds: 5
        """,
    )
    out = tmp_path / "k.pdf"
    result = cli("sheet", "kanji", "-o", str(out))
    assert result.exit_code == 0, result.output
    warning, wrote = result.stderr.splitlines()
    assert warning.startswith("pose-coach: warning: 3 character(s) are not in the embedded font")
    assert "倒れる" in warning
    assert wrote.startswith("pose-coach: wrote")


def test_disk_full_while_writing_leaves_no_partial_file(cli, tmp_path, monkeypatch):
    import errno

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("pose_coach.atomic.os.fsync", full)
    out = tmp_path / "sheet.pdf"
    result = cli("sheet", "warmup", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == (
        f"pose-coach: error: cannot write {out}: no space left on the device; nothing was written\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_coach_layout_is_one_page_of_order_cues_and_faults(cli):
    result = cli("sheet", "warmup", "--layout", "coach")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Pre-run warm-up — coach view"
    assert "Order" in lines
    assert "   cue:   Fall… pull! Run out 20 metres (until ready)" in lines
    assert any(line.startswith("   watch: Bending at the waist") for line in lines)


def test_coach_layout_in_every_format(cli, tmp_path):
    for name in ("c.md", "c.html", "c.pdf"):
        result = cli("sheet", "pre-run", "--layout", "coach", "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF-")
    assert "coach view" in (tmp_path / "c.html").read_text()
    assert (tmp_path / "c.md").read_text().startswith("# Before every run — coach view\n")


def test_the_sheet_says_which_cadence_plus_five_percent_counts_from(cli):
    default = cli("sheet", "pull")
    assert default.exit_code == 0, default.output
    assert "Cadence: 180 steps/min, the default until your own cadence is known" in (
        " ".join(default.stdout.split())
    )
    assert "+5% = 189 steps/min" in default.stdout
    mine = cli("sheet", "pull", "--runner-cadence", "160")
    text = " ".join(mine.stdout.split())
    assert "Cadence: 160 steps/min, your own cadence (option --runner-cadence)" in text
    assert "+5% = 168 steps/min" in mine.stdout
    env = cli("sheet", "pull", env={"POSE_COACH_RUNNER_CADENCE": "170"})
    assert "your own cadence (env POSE_COACH_RUNNER_CADENCE)" in " ".join(env.stdout.split())
