"""Progress bars for slow work, drawn on stderr only when it is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from pose_coach.terminal import Terminal

Progress = Callable[[float, float], None]  # update(done, total)


def no_progress(done: float, total: float) -> None:
    """The do-nothing progress callback: a pipe, or nothing to report."""


@contextmanager
def progress_bar(
    terminal: Terminal, description: str, unit: str = "", eta: bool = False
) -> Iterator[Progress]:
    """``update(done, total)`` drawing a transient bar on stderr once work starts.

    Nothing is drawn when stderr is not a terminal, or when ``update`` is never called
    (everything was cached, or there was nothing to do).
    """
    if not terminal.progress:
        yield no_progress
        return
    from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as RichProgress

    columns = [TextColumn("{task.description}"), BarColumn(), TaskProgressColumn()]
    if unit:
        columns.append(TextColumn("{task.completed:.0f}/{task.total:.0f} " + unit))
    if eta:  # the time left, from the rate so far
        columns.append(TimeRemainingColumn())
    bar = RichProgress(*columns, console=terminal.console(sys.stderr), transient=True)
    task = None

    def update(done: float, total: float) -> None:
        nonlocal task
        if task is None:
            bar.start()
            task = bar.add_task(description, total=total)
        bar.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        if task is not None:
            bar.stop()
