"""``form``: form feedback from a side-view video of the runner (docs/form.md)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pose_coach.commands.common import (
    LogOption,
    current_terminal,
    env,
    json_option,
    number_option,
    output_option,
    say,
    warn,
)
from pose_coach.errors import ExitCode, UsageError, printable
from pose_coach.numbers import NumberRange
from pose_coach.paths import ENV_NO_LOG

if TYPE_CHECKING:
    from pose_coach.library.model import Entry
    from pose_coach.video.check import ClipCheck


@click.command("form")
@click.argument("video", metavar="VIDEO", type=click.Path(path_type=Path), required=False)
@output_option(
    "Also write the report as one self-contained HTML page (frames with the skeleton, "
    "measures, drills) to FILE; '-' writes it to stdout instead of the text."
)
@json_option
@number_option(
    "--capture-fps",
    spec=NumberRange("float", 1, 10_000, "a frame rate"),
    metavar="N",
    default=None,
    help="The frame rate the camera filmed at, for a slow-motion clip (e.g. 240).",
)
@number_option(
    "--person",
    spec=NumberRange("int", 1, 1000),
    default=None,
    help="Analyse person N (as `--check` numbers them) instead of the one running most.",
)
@click.option(
    "--side",
    type=click.Choice(["left", "right"]),
    default=None,
    help="The runner's side facing the camera, when the clip does not show it clearly.",
)
@click.option("--no-frames", is_flag=True, help="Leave the runner's picture out of the report.")
@click.option(
    "--log/--no-log",
    cls=LogOption,
    default=True,
    envvar=env("log"),
    help="Keep the form check in the practice log, so the next one says what changed "
    f"[env: {env('log')}=false or {ENV_NO_LOG}=1].",
)
@click.option("--check", "check", is_flag=True, help="Say what the clip is and what it can show.")
@click.option("--guide", is_flag=True, help="How to film a clip the form check can read.")
def form(
    video: Path | None,
    output: str | None,
    as_json: bool,
    capture_fps: float | None,
    person: int | None,
    side: str | None,
    no_frames: bool,
    log: bool,
    check: bool,
    guide: bool,
) -> ExitCode | None:
    """Form feedback from a side-view video of the runner: measures, faults, drills.

    Films of 10 s or more, side-on, 60 frames/s or more (see --guide). Finds the
    runner's landings, and for each stride where the foot lands against the hip, the
    shank and knee at landing, the trunk's lean and any bend at the waist, where the
    free foot is at the pose, the cadence and the hip's bounce (stance time and the fall
    angle at 120 frames/s and more); the medians against published bands, and the
    drills for what they show. Runs offline; needs the video extra
    (pip install "pose-coach[video]").

    \b
    Example:
      pose-coach form --guide
      pose-coach form --check clip.mp4
      pose-coach form clip.mp4 -o form.html
      pose-coach form slowmo.mov --capture-fps 240 --json
    """
    if guide:
        from pose_coach.video.guide import GUIDE

        click.echo(GUIDE, nl=False)
        return None
    if video is None:
        raise UsageError(
            "form needs a VIDEO file", hint="pose-coach form clip.mp4 (or --guide: how to film)"
        )
    from pose_coach.video.stack import require_stack

    require_stack()  # one line naming what to install, before any other work
    from pose_coach.progress import progress_bar
    from pose_coach.video.clip import ClipRequest

    terminal = current_terminal()
    if check:
        from pose_coach.video.check import check_clip

        with progress_bar(terminal, "Reading the clip", "frames", eta=True) as update:
            report = check_clip(ClipRequest(video, capture_fps, person, side, progress=update))
        if as_json:
            from pose_coach.output import print_json

            print_json(report.to_dict())
        else:
            _echo_lines(check_text(report))
        return ExitCode.OK if report.ok else ExitCode.ERROR

    from pose_coach.output_target import OutputTarget

    target = OutputTarget.parse(output) if output is not None else None
    if target is not None and target.to_stdout and as_json:
        raise UsageError(
            "--json and -o - would both write to stdout",
            hint="write the HTML report to a file: -o form.html",
        )
    if target is not None and target.path is not None and target.suffix not in (".html", ".htm"):
        raise UsageError(
            f"the form report is an HTML page, not {target.suffix or 'a file without suffix'}",
            hint=f"name it .html: -o {target.path.with_suffix('.html').name}",
        )
    from pose_coach.commands.common import load_library
    from pose_coach.video.clip import analyse_clip_timed

    loaded: dict[str, Mapping[str, Entry]] = {}

    def entries() -> Mapping[str, Entry]:  # loaded once, only when a fault needs drills
        if "entries" not in loaded:
            loaded["entries"] = load_library().entries
        return loaded["entries"]

    request = ClipRequest(video, capture_fps, person, side, entries=entries)
    with progress_bar(terminal, "Reading the clip", "frames", eta=True) as update:
        from dataclasses import replace

        result = analyse_clip_timed(replace(request, progress=update))
    analysis = result.analysis
    for note in analysis.notes:
        warn(f"{printable(video.name)}: {note}")
    from pose_coach import __version__
    from pose_coach.video.decode import file_sha256
    from pose_coach.video.history import form_record, keep_in_log

    record = form_record(
        analysis, file_name=video.name, file_sha256=file_sha256(video), app_version=__version__
    )
    kept = keep_in_log(record, store=log)
    if kept.problem:
        warn(f"the form check was not stored: {kept.problem}")
    previous, compare = kept.previous, kept.read
    if target is not None:
        from pose_coach.output_target import wrote
        from pose_coach.video.report_html import render_html

        frames = None
        if not no_frames:
            from pose_coach.video.decode import read_frames_jpeg
            from pose_coach.video.report_frames import wanted_frames

            frames = read_frames_jpeg(video, wanted_frames(analysis), times=result.times)
        html = render_html(analysis, frames, previous, source=video.name, compare=compare)
        written = target.write(html.encode("utf-8"))
        if written is None:  # the page went to stdout, in place of the text
            return None
        click.echo(wrote(written, "form report"), err=True)
    if as_json:
        from pose_coach.output import print_json
        from pose_coach.video.report_json import render_json

        print_json(render_json(analysis, source=video.name, previous=previous))
        return None
    from pose_coach.video.report_text import print_report

    print_report(
        analysis,
        styled=terminal.styled and not terminal.dumb,
        color=terminal.color,
        source=video.name,
        previous=previous,
        compare=compare,
    )
    stored = kept.message() if not kept.problem else None
    if stored:
        say(stored)
    return None


def _echo_lines(text: str) -> None:
    """Text whose lines hold outside words (a file name): each line escaped apart."""
    for line in text.splitlines():
        click.echo(printable(line))


def check_text(report: ClipCheck) -> str:
    """``form --check`` as lines of text."""
    from pose_coach.video.model import INFO

    info = report.info
    length = f"{info.duration:.1f} s, " if info.duration else ""
    rotation = f"turned {info.rotation}° by its rotation metadata" if info.rotation else "upright"
    tag = f", slow-motion tag: filmed at {info.capture_fps:.0f}" if info.capture_fps else ""
    rate = f" (running at {report.rate:g} frames/s)" if report.rate != info.fps else ""
    lines = [
        f"{info.shown}",
        f"  clip        {length}{info.frame_count or '?'} frames at {info.fps:g} frames/s"
        f"{rate}, {info.width}×{info.height}, {info.codec}, {rotation}{tag}",
        f"  decoded     {report.frames} frames in {report.seconds:.1f} s"
        + (f"; {report.stopped_early}" if report.stopped_early else ""),
    ]
    if not report.people:
        lines.append("  people      none found")
    else:
        chosen = f"; person {report.runner} is the runner" if report.runner else ""
        lines.append(f"  people      {len(report.people)} found{chosen}")
        for p in report.people:
            lines.append(
                f"                person {p.person}: {p.frames} frames, "
                f"{p.first_s:.1f}-{p.last_s:.1f} s, moves {p.travel:.1f} leg lengths"
            )
    if report.side_on is not None:
        from pose_coach.video.analysis import SIDE_ON_LIMIT

        side_on = "yes" if report.side_on <= SIDE_ON_LIMIT else "no: the camera faces the runner"
        lines.append(
            f"  side-on     {side_on} (left and right {report.side_on:.0%} of the torso apart)"
        )
    if report.strides is not None:
        enough = "enough" if report.strides >= report.min_strides else "too few"
        lines.append(
            f"  strides     {report.strides} complete ({enough}: {report.min_strides} needed)"
        )
    can = [INFO[k].label for k, why in report.measurable.items() if why is None]
    lines.append(f"  measurable  {', '.join(can)}")
    reasons: dict[str, list[str]] = {}
    for key, why in report.measurable.items():
        if why is not None:
            reasons.setdefault(why, []).append(INFO[key].label)
    for why, labels in reasons.items():
        lines.append(f"  not         {', '.join(labels)}: {why}")
    if report.ok:
        lines.append(f"  ready       pose-coach form {info.shown} -o form.html")
    else:
        lines.append(f"  cannot      {report.problem}")
        if report.hint:
            lines.append(f"  fix         {report.hint}")
    return "\n".join(lines) + "\n"
