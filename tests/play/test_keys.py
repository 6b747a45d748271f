"""KeyboardInput on a real pseudo-terminal pair: keys, timeouts, resize, restore."""

from __future__ import annotations

import os
import signal
import sys

import pytest

from pose_coach.play.keys import KeyboardInput, split_keys

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="needs termios"),
    pytest.mark.pty,
]


def test_split_keys_keeps_escape_sequences_whole_and_maps_return_to_enter():
    assert split_keys(" nq+-\r\n") == [" ", "n", "q", "+", "-", "\n", "\n"]
    assert split_keys("\x1b[A\x1b[1;5Cq\x1bOP") == ["\x1b[A", "\x1b[1;5C", "q", "\x1bOP"]
    assert split_keys("\x1b") == ["\x1b"]


class Fd:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def fileno(self) -> int:
        return self.fd


@pytest.fixture
def pty_pair():
    import termios

    master, slave = os.openpty()
    before = termios.tcgetattr(slave)
    yield master, slave, before
    os.close(master)
    os.close(slave)


def test_reads_keys_without_echo_and_restores_the_terminal(pty_pair):
    import termios

    master, slave, before = pty_pair
    with KeyboardInput(Fd(slave)) as keys:
        mode = termios.tcgetattr(slave)
        assert not mode[3] & termios.ICANON and not mode[3] & termios.ECHO
        assert mode[3] & termios.ISIG  # Ctrl-C still arrives as SIGINT
        assert not mode[0] & termios.IXON  # Ctrl-S cannot freeze the output
        assert keys.read(0.0) is None
        os.write(master, b" n\r")
        assert [keys.read(1.0), keys.read(0), keys.read(0)] == [" ", "n", "\n"]
        assert keys.read(0.01) is None
    assert termios.tcgetattr(slave) == before


def test_terminal_is_restored_when_the_body_raises(pty_pair):
    import termios

    master, slave, before = pty_pair
    with pytest.raises(KeyboardInterrupt):
        with KeyboardInput(Fd(slave)):
            raise KeyboardInterrupt
    assert termios.tcgetattr(slave) == before


def test_a_resize_wakes_the_reader(pty_pair):
    master, slave, _ = pty_pair
    previous = signal.getsignal(signal.SIGWINCH)
    with KeyboardInput(Fd(slave)) as keys:
        os.kill(os.getpid(), signal.SIGWINCH)
        assert keys.read(5.0) == "resize"
    assert signal.getsignal(signal.SIGWINCH) == previous
