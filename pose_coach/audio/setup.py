"""Decide what a session or render will sound like, and find the programs for it.

The rules (docs/audio.md):

- ``--no-sound`` turns everything off. Otherwise a live session has sound by default
  only in the live view (stdout a terminal), up to ``--speed 2``; a piped, ``--plain`` or
  ``--json`` run (cron) is silent unless ``--sound``, ``--voice`` or ``--cadence`` asks.
- A program that is missing when sound was asked for explicitly (``--voice``, ``--sound``,
  ``--cadence``, or the same settings in the environment or config file) is an error,
  raised before the session starts. When sound is only the default, it is a warning and
  the session goes on without that part.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from pose_coach.errors import PoseCoachError, UsageError

if TYPE_CHECKING:  # the sound machinery is imported only once some sound is on
    from collections.abc import Callable

    from pose_coach.audio.mixer import SoundBank
    from pose_coach.audio.plan import AudioOptions
    from pose_coach.audio.players import AudioPlayer
    from pose_coach.audio.speech import Voice
    from pose_coach.timeline import Timeline


@dataclass(frozen=True)
class SoundRequest:
    """The sound options as given: None means "not given" (the default applies)."""

    voice: bool | None = None
    sound: bool | None = None
    cadence: int | None = None
    voice_name: str | None = None
    rate: int | None = None

    @property
    def explicit(self) -> bool:
        """Sound was asked for, so a missing program is an error rather than a warning."""
        return self.sound is True or self.voice is True or self.cadence is not None

    def live_parts(self, default_on: bool) -> tuple[bool, bool]:
        """(beeps and metronome, voice) of a live session, before any program is sought.

        Cheap on purpose: a ``--plain`` or ``--json`` run decides here that it is silent
        without importing anything that makes or plays sound.
        """
        if self.sound is False:
            return False, False
        voice = self.voice if self.voice is not None else (self.sound is True or default_on)
        return self.explicit or default_on, voice


@dataclass
class SoundSetup:
    options: AudioOptions
    voice: Voice | None = None  # None: nothing is spoken
    player: AudioPlayer | None = None
    warnings: list[str] = field(default_factory=list)
    voice_required: bool = False  # speech was asked for explicitly: its failures are errors
    sound_asked: bool = False  # any sound was asked for (--sound, --cadence), or a render

    @property
    def silent(self) -> bool:
        return self.options.silent


def resolve_live(request: SoundRequest, default_on: bool) -> SoundSetup:
    """What a live session plays, with its player and speech engine (or an error)."""
    beeps, voice_on = request.live_parts(default_on)
    if not (beeps or voice_on):
        return SoundSetup(_silent())
    from pose_coach.audio.plan import AudioOptions
    from pose_coach.audio.players import configured_player, find_player, missing_player_error

    override = configured_player()
    player = find_player(override)
    if player is None:
        error = missing_player_error(override)
        if voice_on and request.voice is True and not override:
            from pose_coach.audio.speech import configured_engine, find_engine

            if find_engine(configured_engine()) is None:
                from pose_coach.audio.players import missing_speech_and_player_error

                raise missing_speech_and_player_error()
        if request.explicit:
            raise error
        return SoundSetup(_silent(), warnings=[f"{error.message}; the session runs without sound"])
    setup = SoundSetup(
        AudioOptions(voice=voice_on, beeps=beeps, metronome=beeps, cadence=request.cadence),
        player=player,
        voice_required=request.voice is True,
        sound_asked=request.explicit,
    )
    if voice_on:
        _attach_voice(setup, request)
    return setup


def resolve_render(request: SoundRequest) -> SoundSetup:
    """What a rendered file holds: speech where an engine is found, beeps, metronome."""
    from pose_coach.audio.plan import AudioOptions

    voice_on = request.voice is not False
    setup = SoundSetup(
        AudioOptions(voice=voice_on, beeps=True, metronome=True, cadence=request.cadence),
        voice_required=request.voice is True,
        sound_asked=True,  # a render is sound, asked for
    )
    if voice_on:
        _attach_voice(setup, request)
    return setup


def _attach_voice(setup: SoundSetup, request: SoundRequest) -> None:
    from pose_coach.audio.speech import Voice, configured_engine, find_engine, missing_engine_error

    override = configured_engine()
    engine = find_engine(override)
    if engine is None:
        error = missing_engine_error(override)
        if setup.voice_required:
            raise error
        setup.warnings.append(f"{error.message}; the cues are not spoken")
        setup.options = _without_voice(setup.options)
        return
    setup.voice = Voice(engine, request.voice_name, request.rate)


def _silent() -> AudioOptions:
    from pose_coach.audio.plan import AudioOptions

    return AudioOptions(voice=False, beeps=False, metronome=False)


def _without_voice(options: AudioOptions) -> AudioOptions:
    return replace(options, voice=False)


def prepare_bank(
    timeline: Timeline,
    setup: SoundSetup,
    progress: Callable[[int, int], None] | None = None,
) -> SoundBank:
    """Synthesise every clip the plan may use (cached, in parallel) before playing.

    A speech failure when speech was only the default becomes a warning and the session
    goes on unspoken; a bad ``--voice-name`` is always an error (it was asked for).
    """
    from pose_coach.audio.mixer import SoundBank
    from pose_coach.audio.plan import speech_texts
    from pose_coach.audio.speech import synthesise_all

    if setup.voice is None or not setup.options.voice:
        return SoundBank()
    from pose_coach.audio.speech import cache_problem, speech_cache_dir

    speech_cache_dir()  # decided once: the cache, or a temporary folder for this run
    problem = cache_problem()
    if problem and (setup.voice_required or setup.sound_asked):
        setup.warnings.append(problem)  # sound was asked for: say why it is slower
    texts = speech_texts(timeline, setup.options)
    try:
        return SoundBank(synthesise_all(setup.voice, texts, progress))
    except UsageError:
        raise
    except PoseCoachError as error:
        if setup.voice_required:
            raise
        setup.warnings.append(f"{error.message}; the cues are not spoken")
        setup.voice = None
        setup.options = _without_voice(setup.options)
        return SoundBank()
