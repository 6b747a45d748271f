"""What the live view says about sound: which parts are on, why sound is off, and the
first failure, as it happens.

One ``SoundStatus`` is made per session. The sound setup fills it in before the session
starts (what is on, or why it is off, or the program that is missing); the live sound
sink writes a failure into it the moment the player reports one; the live view reads it
at every frame. Nothing here plays or draws.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SoundStatus:
    voice: bool = False
    beeps: bool = False
    metronome: bool = False
    # sound was left off, and why, when the runner would otherwise expect it
    # ("off at --speed 10: ..."); None when it is on, or off as asked
    why_off: str | None = None
    problem: str | None = None  # a sound failure: no player, no device, a player error

    @property
    def on(self) -> bool:
        return self.voice or self.beeps or self.metronome

    def fail(self, message: str) -> None:
        """Note a failure; the first one stays on screen (later ones say the same)."""
        if self.problem is None:
            self.problem = message
