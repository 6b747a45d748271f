"""Every catchable termination signal ends pose-coach like Ctrl-C: cleanly, recorded, with
128 + N (130 for SIGINT/SIGTERM); a closed pipe is one exit status everywhere."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest
from signal_helpers import (
    SIGNALS,
    command,
    environment,
    expected_status,
    json_lines,
    log_rows,
)

from pose_coach.signals import (
    Terminated,
    deferred,
    exit_status,
    held,
    signal_name,
    stop_on_signals,
    termination_signals,
)

# -- the mechanism ----------------------------------------------------------------------


def test_every_named_signal_is_caught_and_faults_are_not():
    caught = termination_signals()
    for signum in (*SIGNALS, signal.SIGINT, signal.SIGUSR2, signal.SIGXCPU):
        assert signum in caught
    for fault in (signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT, signal.SIGKILL, signal.SIGPIPE):
        assert fault not in caught


def test_exit_status_is_128_plus_n_but_130_for_sigint_and_sigterm():
    assert exit_status(signal.SIGINT) == exit_status(signal.SIGTERM) == 130
    assert exit_status(signal.SIGHUP) == 129
    assert exit_status(signal.SIGQUIT) == 131
    assert exit_status(signal.SIGUSR1) == 138
    assert exit_status(signal.SIGALRM) == 142
    assert signal_name(signal.SIGHUP) == "SIGHUP"


def test_a_signal_raises_terminated_once_and_handlers_come_back():
    before = signal.getsignal(signal.SIGUSR1)
    with pytest.raises(Terminated) as caught:
        with stop_on_signals():
            try:
                os.kill(os.getpid(), signal.SIGUSR1)
            finally:
                # a second signal while cleaning up is noted, never raised
                os.kill(os.getpid(), signal.SIGUSR2)
    assert isinstance(caught.value, KeyboardInterrupt)
    assert caught.value.signum == signal.SIGUSR1 and caught.value.exit_code == 138
    assert signal.getsignal(signal.SIGUSR1) == before


def test_deferred_blocks_raise_when_they_end_and_held_blocks_only_note():
    order = []
    with pytest.raises(Terminated):
        with stop_on_signals():
            with deferred():
                os.kill(os.getpid(), signal.SIGALRM)
                order.append("finished the clean-up")
            order.append("never")
    assert order == ["finished the clean-up"]
    with stop_on_signals():
        with held() as note:
            os.kill(os.getpid(), signal.SIGHUP)
        assert note.signum == signal.SIGHUP


def test_an_ignored_signal_stays_ignored():
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # what nohup does
    try:
        with stop_on_signals():
            os.kill(os.getpid(), signal.SIGHUP)  # nothing happens
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, previous)


# -- a session stopped by a signal, in a subprocess ---------------------------------------


@pytest.mark.parametrize("signum", SIGNALS, ids=signal_name)
def test_a_signal_ends_a_json_session_like_sigterm(signum, isolated_home, tmp_path):
    tmp = tmp_path / "tmp"
    process = subprocess.Popen(
        command("drill", "fall", "--json", "--sound", "--no-voice"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(isolated_home, tmp),
    )
    first = process.stdout.readline()  # the marker: it is playing (its countdown)
    assert '"session_start"' in first
    process.send_signal(signum)
    out, err = process.communicate(timeout=30)
    assert process.returncode == expected_status(signum), err
    events = json_lines(first + out)
    assert events[0]["event"] == "session_start"
    assert events[-1] == {
        "event": "session_end",
        "at": events[-1]["at"],
        "completed": False,
        "reason": "interrupted",
        "signal": signal_name(signum),
    }
    assert "stopped at step" in err and "Traceback" not in err
    [row] = log_rows(isolated_home)
    assert row["outcome"] == "interrupted" and row["entry_id"] == "fall"
    assert list(tmp.iterdir()) == []  # the sound's temporary folder is gone


def test_a_signal_during_a_plain_routine_is_recorded_with_its_time(isolated_home, tmp_path):
    process = subprocess.Popen(
        command("routine", "warmup", "--plain", "--speed", "50"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(isolated_home, tmp_path / "tmp"),
    )
    for line in process.stdout:  # wait until a drill is under way
        if "  cue  " in line:
            break
    process.send_signal(signal.SIGHUP)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 129, err
    assert out.splitlines()[-1].endswith("session_end  end (stopped: interrupted)")
    [row] = log_rows(isolated_home)
    assert row["outcome"] == "interrupted" and row["actual_seconds"] > 0


# -- a closed pipe ------------------------------------------------------------------------

PIPED = [
    ("list",),
    ("list", "--json"),
    ("show", "warmup"),
    ("show", "fall", "--json"),
    ("faults",),
    ("log", "--json"),
    ("stats", "--json"),
    ("config", "show"),
    ("export", "warmup", "--format", "json"),
    ("sheet", "warmup"),
    ("drill", "fall", "--dry-run"),
    ("routine", "warmup", "--dry-run", "--json"),
    ("log", "export"),
    ("render", "pose", "-o", "-", "--no-voice"),
]


@pytest.mark.parametrize("args", PIPED, ids=" ".join)
def test_a_reader_that_went_away_is_exit_1_and_silent_everywhere(args, isolated_home, tmp_path):
    process = subprocess.Popen(
        command(*args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(isolated_home, tmp_path / "tmp"),
    )
    process.stdout.close()  # no reader at all: the first write fails
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1, err
    assert err == ""


def test_a_session_cut_off_by_a_closed_pipe_is_recorded_as_interrupted(isolated_home, tmp_path):
    process = subprocess.Popen(
        command("drill", "fall", "--json", "--speed", "20"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(isolated_home, tmp_path / "tmp"),
    )
    assert b"session_start" in process.stdout.readline()  # `| head -1`, then gone
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1
    assert "Traceback" not in err and "Exception ignored" not in err
    [row] = log_rows(isolated_home)
    assert row["outcome"] == "interrupted"
    assert row["steps_done"] < row["steps_total"]
