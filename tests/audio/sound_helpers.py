"""Helpers for sound tests: fake programs on a private PATH, synthetic clips, a recording
player, WAV analysis."""

from __future__ import annotations

import json
import math
import sys
import wave
from array import array
from pathlib import Path

import pytest

from pose_coach.audio import SAMPLE_RATE
from pose_coach.audio.mixer import SoundBank

FAKE_ESPEAK = r'''#!{python}
"""A stand-in for espeak-ng: a tone per word into the -w file; logs each call."""
import json, math, os, sys, wave
from array import array
args = sys.argv[1:]
with open({log!r}, "a") as log:
    log.write(json.dumps(args) + "\n")
if "-v" in args and args[args.index("-v") + 1] == "nosuch":
    print("The specified espeak-ng voice does not exist.", file=sys.stderr)
    sys.exit(1)
mode = os.environ.get("FAKE_ESPEAK_MODE", "")
out = args[args.index("-w") + 1]
text = args[args.index("--") + 1]
if mode == "nothing":
    print("Can't write to: " + out)  # the real espeak-ng exits 0 here too
    sys.exit(0)
words = len(text.split())
n = int((0.1 + 0.25 * words) * 22050)
level = 0 if mode == "silent" else 12000
samples = array("h", (int(level * math.sin(i * 0.2)) for i in range(n)))
pad = array("h", bytes(2 * 2205))
with wave.open(out, "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(22050)
    w.writeframes((pad + samples + pad).tobytes())
'''

FAKE_PLAYER = r"""#!/bin/sh
# A stand-in player: logs its argv (tab-separated) at once; exits with FAKE_PLAYER_EXIT.
{{ printf '%s\t' "$0" "$@"; printf '\n'; }} >> '{log}'
if [ "${{FAKE_PLAYER_EXIT:-0}}" != 0 ]; then
  echo "aplay: main:831: audio open error: No such file or directory" >&2
  exit "$FAKE_PLAYER_EXIT"
fi
"""


class FakeBin:
    """A folder of fake programs that is the whole PATH (nothing real leaks in)."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.folder = folder
        self.logs = folder.parent / "logs"
        self.players: set[str] = set()
        self.logs.mkdir(exist_ok=True)
        folder.mkdir(exist_ok=True)
        monkeypatch.setenv("PATH", str(folder))
        monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
        monkeypatch.delenv("PULSE_SERVER", raising=False)

    def log(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def add(self, name: str, template: str) -> Path:
        path = self.folder / name
        path.write_text(template.format(python=sys.executable, log=str(self.log(name))))
        path.chmod(0o755)
        return path

    def espeak(self, name: str = "espeak-ng") -> Path:
        return self.add(name, FAKE_ESPEAK)

    def player(self, name: str = "aplay") -> Path:
        self.players.add(name)
        return self.add(name, FAKE_PLAYER)

    def calls(self, name: str) -> list[list[str]]:
        path = self.log(name)
        if not path.exists():
            return []
        lines = path.read_text().splitlines()
        if name in self.players:
            return [line.rstrip("\t").split("\t") for line in lines]
        return [json.loads(line) for line in lines]


def speechlike(seconds: float, freq: float = 300.0, level: int = 9000) -> array:
    """A clip standing in for speech: loud from its first sample to its last."""
    n = int(round(seconds * SAMPLE_RATE))
    step = 2 * math.pi * freq / SAMPLE_RATE
    return array("h", (int(level * (0.6 + 0.4 * math.sin(i * step))) for i in range(n)))


def word_seconds(text: str) -> float:
    return 0.3 + 0.3 * len(text.split())


def fake_bank(texts) -> SoundBank:
    return SoundBank({t: speechlike(word_seconds(t)) for t in texts})


def read_samples(path: Path) -> array:
    with wave.open(str(path), "rb") as reader:
        assert (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) == (
            1,
            2,
            SAMPLE_RATE,
        )
        samples = array("h")
        samples.frombytes(reader.readframes(reader.getnframes()))
    return samples


def first_loud(samples: array, start: int = 0, level: int = 300) -> int | None:
    for i in range(max(start, 0), len(samples)):
        if abs(samples[i]) > level:
            return i
    return None


class RecordingPlayer:
    """An injected player: what was played, when (on the fake clock), and its samples."""

    name = "recorder"

    def __init__(self, clock, fail: str | None = None) -> None:
        self.clock = clock
        self.fail = fail
        self.plays: list[tuple[float, array]] = []  # (clock time, samples)
        self.stops: list[float] = []
        self.waited = 0
        self._failures: list[str] = []

    def play(self, path: Path) -> None:
        self.plays.append((self.clock.now(), read_samples(path)))
        if self.fail:
            self._failures.append(self.fail)

    def stop(self) -> None:
        self.stops.append(self.clock.now())

    def wait(self, timeout: float) -> None:
        self.waited += 1

    def failures(self) -> list[str]:
        out, self._failures = self._failures, []
        return out
