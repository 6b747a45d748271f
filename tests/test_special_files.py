"""Inputs that are not what they claim: every file read or written by name is looked at
first (symlinks followed), only a regular file (or a new one) is used, reads stop at a
limit, and nothing ever blocks on a FIFO."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pose_coach.files import FileRefused, FileTooLarge, output_kind, read_bytes


def run(*args: str, home: Path, cwd: Path | None = None, env: dict | None = None):
    """pose-coach in a subprocess with a timeout: a FIFO opened by mistake would hang."""
    return subprocess.run(
        [sys.executable, "-m", "pose_coach", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={**os.environ, "POSE_COACH_HOME": str(home), **(env or {})},
    )


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


# -- reading ------------------------------------------------------------------------------


def test_read_bytes_refuses_what_is_not_a_regular_file(tmp_path, fifo):
    for path in (fifo, Path("/dev/zero"), tmp_path):
        with pytest.raises(FileRefused, match="not a regular file"):
            read_bytes(path, 1000)
    link = tmp_path / "link.yaml"
    link.symlink_to(fifo)
    with pytest.raises(FileRefused, match="but a FIFO"):
        read_bytes(link, 1000)
    big = tmp_path / "big"
    big.write_bytes(b"x" * 1001)
    with pytest.raises(FileTooLarge, match="it is 1001 bytes; the limit is 1000 bytes"):
        read_bytes(big, 1000)
    assert read_bytes(Path("/proc/self/status"), 1 << 20).startswith(b"Name:")  # bounded


@pytest.mark.parametrize("target", ["fifo", "/dev/zero", "/dev/urandom"])
def test_log_import_of_a_special_file_is_one_line(target, fifo, isolated_home):
    path = str(fifo) if target == "fifo" else target
    if not os.path.exists(path):
        pytest.skip(f"no {path} here")
    done = run("log", "import", path, home=isolated_home)
    assert done.returncode == 1
    assert done.stderr.startswith(f"pose-coach: error: cannot read {path}: it is not a regular")
    assert not (isolated_home / "data" / "log.sqlite3").exists()


def test_log_import_through_a_symlink_to_a_fifo_does_not_block(fifo, isolated_home, tmp_path):
    link = tmp_path / "export.json"
    link.symlink_to(fifo)
    done = run("log", "import", str(link), home=isolated_home)
    assert done.returncode == 1 and "but a FIFO" in done.stderr


def test_validate_and_the_library_skip_special_files_without_blocking(fifo, isolated_home):
    folder = isolated_home / "data" / "drills"
    folder.mkdir(parents=True)
    (folder / "piped.yaml").symlink_to(fifo)
    os.mkfifo(folder / "raw.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    done = run("validate", str(folder / "piped.yaml"), "/dev/zero", home=isolated_home)
    assert done.returncode == 1
    assert "piped.yaml: cannot read: not a regular file" in done.stderr
    assert "/dev/zero: cannot read: not a regular file" in done.stderr
    listing = run("list", "--json", home=isolated_home)
    assert listing.returncode == 0 and '"fall"' in listing.stdout


def test_a_fifo_as_the_config_file_is_one_line(fifo, isolated_home):
    done = run("config", "show", home=isolated_home, env={"POSE_COACH_CONFIG": str(fifo)})
    assert done.returncode == 1
    assert done.stderr == f"pose-coach: error: the config file {fifo} is not a regular file\n"


def test_dev_null_as_the_config_file_means_the_built_in_defaults(cli, monkeypatch):
    monkeypatch.setenv("POSE_COACH_CONFIG", os.devnull)
    shown = cli("config", "show")
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout.splitlines()[0] == f"config file: {os.devnull}"
    played = cli("drill", "fall", "--dry-run", "--json")
    assert played.exit_code == 0 and '"count":3' in played.stdout  # the built-in lead-in


# -- writing ------------------------------------------------------------------------------


def test_output_kind_follows_symlinks_and_refuses_a_fifo(tmp_path, fifo):
    assert output_kind(tmp_path / "new.pdf") == "new"
    (tmp_path / "old.pdf").write_text("x")
    assert output_kind(tmp_path / "old.pdf") == "regular"
    assert output_kind("/dev/null") == "device"
    sneaky = Path("/dev/..") / str(fifo).lstrip("/")  # "paths under /dev/" are not special
    for path in (fifo, sneaky, tmp_path):
        with pytest.raises(FileRefused, match="not a regular file"):
            output_kind(path)


@pytest.mark.parametrize(
    "args",
    [
        ("sheet", "warmup", "--format", "text"),
        ("export", "warmup", "--format", "json"),
        ("log", "export"),
        ("render", "pose", "--no-voice"),
    ],
    ids=lambda a: a[0] if a[0] != "log" else "log export",
)
def test_output_to_a_fifo_is_refused_without_waiting_for_a_reader(args, fifo, isolated_home):
    sneaky = "/dev/.." + str(fifo)
    done = run(*args, "-o", sneaky, home=isolated_home)
    assert done.returncode == 1, done.stderr
    [line] = [line for line in done.stderr.splitlines() if "error" in line]
    assert line.startswith(f"pose-coach: error: cannot write {sneaky}: it is not a regular")
    assert os.listdir(fifo.parent) == ["pipe"]


def test_dev_stdout_is_stdout(isolated_home):
    done = run("export", "fall", "--format", "json", "-o", "/dev/stdout", home=isolated_home)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("{")


def test_a_symlinked_output_replaces_its_target_and_keeps_the_link(cli, tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert cli("export", "fall", "-o", str(link)).exit_code == 0
    assert link.is_symlink() and real.read_text().startswith("{")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


@pytest.mark.parametrize("length", [241, 250, 255])
@pytest.mark.parametrize(
    ("args", "suffix"),
    [
        (("sheet", "pose"), ".txt"),
        (("export", "pose"), ".json"),
        (("render", "pose", "--no-voice", "--lead-in", "0"), ".wav"),
        (("log", "export", "--format", "csv"), ".csv"),
    ],
    ids=["sheet", "export", "render", "log-export"],
)
def test_output_names_up_to_255_bytes_work(cli, tmp_path, length, args, suffix):
    stem = "é" * ((length - len(suffix)) // 2) + "x" * ((length - len(suffix)) % 2)
    name = stem + suffix
    assert len(name.encode()) == length
    result = cli(*args, "-o", str(tmp_path / name))
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == [name]


@pytest.mark.parametrize("args", [("sheet", "pose"), ("render", "pose"), ("log", "export")])
def test_an_output_name_over_255_bytes_is_one_line(cli, tmp_path, args):
    name = "a" * 252 + ".txt"
    result = cli(*args, "-o", str(tmp_path / name))
    assert result.exit_code == 1
    [line, *_] = result.stderr.splitlines()
    assert line.endswith("the file name is 256 bytes; the limit is 255")
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert list(tmp_path.iterdir()) == []
