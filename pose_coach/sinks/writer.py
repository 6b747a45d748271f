"""A stream wrapper whose writes never block the scheduler.

A plain or JSON sink writing into a pipe that its reader drains slowly (or not at all,
for a while) would stall on ``write``, and every later cue would fire late. Writes go
into a queue instead; one thread writes them in order and flushes after each burst, so
a reader still sees each line as soon as it fires. ``close`` waits for the queue to
drain, so everything is out before the command prints its summary and exits.
"""

from __future__ import annotations

import queue
import threading
from typing import TextIO

_FLUSH = object()
_STOP = object()


class BackgroundWriter:
    """``write``/``flush`` return at once; the text reaches ``stream`` in order, flushed."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._error: BaseException | None = None  # to raise on the caller's thread, once
        self._failed = False  # the stream failed: the writer drops whatever follows
        self._thread = threading.Thread(target=self._run, name="pose-coach-writer", daemon=True)
        self._thread.start()

    def write(self, text: str) -> int:
        self._raise_pending()
        self._queue.put(text)
        return len(text)

    def flush(self) -> None:
        self._raise_pending()
        self._queue.put(_FLUSH)

    def isatty(self) -> bool:
        return self.stream.isatty()

    def close(self) -> None:
        """Wait until everything written is out; re-raise a write error (a closed pipe)."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join()
        self._raise_pending()

    def _raise_pending(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _run(self) -> None:
        dirty = False
        while True:
            item = self._queue.get()
            if item is _STOP:
                break
            if self._failed:
                continue
            try:
                if item is _FLUSH:
                    dirty = True
                else:
                    self.stream.write(item)  # type: ignore[arg-type]
                if dirty and self._queue.empty():
                    # flush once per burst: a batch of events at one moment is one flush
                    self.stream.flush()
                    dirty = False
            except BaseException as error:  # reported on the caller's thread
                self._failed, self._error = True, error
        try:
            if dirty and not self._failed:
                self.stream.flush()
        except BaseException as error:
            self._failed, self._error = True, error
