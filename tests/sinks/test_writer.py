"""BackgroundWriter: a stuck reader never blocks the caller; order and flushing are kept."""

from __future__ import annotations

import io
import threading

import pytest

from pose_coach.sinks.writer import BackgroundWriter


class StuckStream(io.StringIO):
    """A pipe whose reader is not reading: every write waits until ``release`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.entered = threading.Event()
        self.flushes: list[str] = []  # what was written at each flush

    def write(self, text: str) -> int:
        self.entered.set()
        assert self.release.wait(10), "the test never released the stream"
        return super().write(text)

    def flush(self) -> None:
        self.flushes.append(self.getvalue())


def test_writes_return_while_the_stream_is_stuck_and_arrive_in_order():
    stream = StuckStream()
    writer = BackgroundWriter(stream)
    writer.write("first\n")
    writer.flush()
    assert stream.entered.wait(10)  # the writer thread is now stuck inside write()
    for n in range(100):  # none of these may block the caller
        writer.write(f"line {n}\n")
        writer.flush()
    assert stream.getvalue() == ""
    stream.release.set()
    writer.close()
    assert stream.getvalue() == "first\n" + "".join(f"line {n}\n" for n in range(100))
    assert stream.flushes and stream.flushes[-1] == stream.getvalue()


def test_each_line_is_flushed_when_the_reader_keeps_up():
    stream = StuckStream()
    stream.release.set()
    writer = BackgroundWriter(stream)
    writer.write("a\n")
    writer.flush()
    writer.close()
    assert stream.flushes == ["a\n"]


class ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_write_error_is_raised_on_the_callers_thread_once():
    writer = BackgroundWriter(ClosedPipe())
    writer.write("x\n")
    writer.flush()
    with pytest.raises(BrokenPipeError):
        writer.close()
    writer.close()  # already reported


def test_isatty_is_the_streams():
    writer = BackgroundWriter(io.StringIO())
    assert writer.isatty() is False
    writer.close()
