"""Sound timings: rendering a 20-minute routine (cold and warm speech cache) and the live
onset latency of a step's sound (event -> player started), with a real player.

    .venv/bin/python benchmarks/render.py [--minutes 20] [--steps 200] [--player 'aplay -q -D null']

Targets (issue 6): warm render >= 200x faster than real time; cold render dominated by
speech synthesis, run in parallel; live sound start <= 20 ms after its onset at p99.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def build_routine(minutes: float):
    """A routine of built-in drills, two sets each, long enough for ``minutes``."""
    from pose_coach.library.catalog import load_catalog
    from pose_coach.library.model import Drill, ItemKind, Routine, RoutineItem
    from pose_coach.timeline import Dose, compile_timeline

    catalog = load_catalog()
    drills = [e for e in catalog.entries.values() if isinstance(e, Drill)]
    items: list[RoutineItem] = []
    while True:
        for drill in drills:
            items.append(RoutineItem(ItemKind.DRILL, ref=drill.id, sets=2))
            items.append(RoutineItem(ItemKind.REST, seconds=20))
            routine = Routine("bench", "Benchmark routine", "20 minutes of drills", tuple(items))
            timeline = compile_timeline(routine, catalog.entries, Dose())
            if timeline.total >= minutes * 60:
                return timeline


def render_once(timeline, out: Path, workers: int | None = None) -> dict[str, float]:
    from pose_coach.audio.plan import plan_audio
    from pose_coach.audio.setup import SoundRequest, prepare_bank, resolve_render
    from pose_coach.audio.speech import synthesise_all
    from pose_coach.render.audio import render_audio

    t0 = time.perf_counter()
    setup = resolve_render(SoundRequest())
    if workers is None:
        bank = prepare_bank(timeline, setup)
    else:
        from pose_coach.audio.mixer import SoundBank
        from pose_coach.audio.plan import speech_texts

        bank = SoundBank(
            synthesise_all(setup.voice, speech_texts(timeline, setup.options), workers=workers)
        )
    t1 = time.perf_counter()
    plan = plan_audio(timeline, bank.durations(), setup.options)
    render_audio(plan, bank, out, timeline.title)
    t2 = time.perf_counter()
    return {
        "speech": t1 - t0,
        "mix_write": t2 - t1,
        "total": t2 - t0,
        "clips": len(bank.speech),
        "placements": len(plan.placements),
    }


def bench_render(minutes: float) -> None:
    timeline = build_routine(minutes)
    length = timeline.total
    print(
        f"session: {length / 60:.1f} min, {timeline.step_count} steps, "
        f"{len(timeline.events)} events"
    )
    with tempfile.TemporaryDirectory() as tmp:
        cold = (("cold, sequential synthesis", 1), ("cold, parallel synthesis", None))
        for label, workers in cold:
            os.environ["POSE_COACH_HOME"] = tempfile.mkdtemp(dir=tmp)  # an empty cache
            r = render_once(timeline, Path(tmp) / "out.wav", workers)
            print(
                f"{label:28s} {r['total']:6.2f} s = {length / r['total']:7.0f}x real time "
                f"(speech {r['speech']:.2f} s for {r['clips']} clips, "
                f"mix+write {r['mix_write']:.2f} s)"
            )
        warm = [render_once(timeline, Path(tmp) / "out.wav") for _ in range(3)]
        best = min(warm, key=lambda r: r["total"])
        print(
            f"{'warm (best of 3)':28s} {best['total']:6.2f} s = "
            f"{length / best['total']:7.0f}x real time (speech {best['speech']:.2f} s, "
            f"mix+write {best['mix_write']:.2f} s, {best['placements']} placements)"
        )
        if shutil.which("ffmpeg"):
            r = render_once(timeline, Path(tmp) / "out.mp3")
            size = (Path(tmp) / "out.mp3").stat().st_size / 1e6
            print(
                f"{'warm, to MP3 via ffmpeg':28s} {r['total']:6.2f} s = "
                f"{length / r['total']:7.0f}x real time ({size:.1f} MB)"
            )


def bench_latency(steps: int, player_argv: list[str]) -> None:
    """Real clock, real player: how long after each step's deadline its sound starts."""
    from pose_coach.audio.mixer import SoundBank
    from pose_coach.audio.plan import AudioOptions
    from pose_coach.audio.players import CommandPlayer
    from pose_coach.library.model import Drill, Phase, Step
    from pose_coach.play.clock import MonotonicClock
    from pose_coach.play.scheduler import Playthrough
    from pose_coach.sinks.plain import PlainSink
    from pose_coach.sinks.speech import SoundSink
    from pose_coach.timeline import Dose, EventKind, compile_timeline

    class TimedPlayer(CommandPlayer):
        starts: list[float] = []

        def play(self, path: Path) -> None:
            super().play(path)
            self.starts.append(time.monotonic())  # Popen has returned: the player runs

    step_list = tuple(Step(f"Cue number {n}", 0.15) for n in range(steps))  # 30 s in all
    drill = Drill("lat", "Latency", Phase.POSE, "latency", step_list)
    timeline = compile_timeline(drill, dose=Dose(lead_in=0))
    from pose_coach.audio.plan import speech_texts
    from pose_coach.audio.setup import SoundRequest, resolve_render

    setup = resolve_render(SoundRequest())
    options = AudioOptions(voice=setup.voice is not None)
    bank = SoundBank()
    if setup.voice is not None:
        from pose_coach.audio.speech import synthesise_all

        bank = SoundBank(synthesise_all(setup.voice, speech_texts(timeline, options)))
    player = TimedPlayer(player_argv)
    with open(os.devnull, "w") as devnull:
        sink = SoundSink(bank, options, player, lambda m: print("warning:", m))
        run = Playthrough(timeline, MonotonicClock(), [PlainSink(devnull), sink])
        run.play()
    onsets = [
        run.start + e.at
        for e in timeline.events
        if e.kind in (EventKind.CUE, EventKind.COUNTDOWN, EventKind.REST)
    ]
    late = sorted((s - o) * 1000 for s, o in zip(player.starts, onsets, strict=False))
    p99 = late[min(len(late) - 1, int(round(0.99 * (len(late) - 1))))]
    print(
        f"live onset latency ({len(late)} steps, {shlex.join(player_argv)}, plain view): "
        f"p50 {statistics.median(late):.2f} ms, p99 {p99:.2f} ms, max {late[-1]:.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--steps", type=int, default=200, help="steps in the latency run")
    parser.add_argument("--player", default="aplay -q -D null")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="pose-coach-bench-")
    os.environ["POSE_COACH_HOME"] = home
    try:
        bench_render(args.minutes)
        argv = shlex.split(args.player)
        if shutil.which(argv[0]):
            os.environ["POSE_COACH_HOME"] = home
            bench_latency(args.steps, argv)
        else:
            print(f"latency: skipped ({argv[0]} not found)")
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
