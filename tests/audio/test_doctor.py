"""`pose-coach doctor`: what was found, what to install, and the sound test."""

from __future__ import annotations

import json

from pose_coach.audio.programs import install_hint, player_install_hint


def checks_by_name(result) -> dict:
    return {c["name"]: c for c in json.loads(result.stdout)["checks"]}


def test_nothing_installed_says_what_to_install_and_exits_1(cli, fake_bin):
    result = cli("doctor", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    checks = checks_by_name(result)
    assert checks["speech_engine"]["found"] is False
    assert checks["speech_engine"]["install"] == install_hint("espeak-ng")
    assert checks["player"]["install"] == player_install_hint()
    assert checks["ffmpeg"] == {
        "name": "ffmpeg",
        "kind": "program",
        "found": False,
        "value": None,
        "required": False,
        "install": install_hint("ffmpeg"),
        "source": None,
        "note": "renders .mp3 .ogg .m4a",
    }
    assert {"data_dir", "config_dir", "cache_dir", "config_file"} <= set(checks)


def test_everything_found_on_path(cli, fake_bin):
    fake_bin.espeak()
    fake_bin.player("aplay")
    for program in ("ffmpeg", "lame", "oggenc", "sox"):
        fake_bin.add(program, "#!/bin/sh\nexit 0\n")
    result = cli("doctor", "--json")
    assert result.exit_code == 0, result.output
    checks = checks_by_name(result)
    assert all(checks[n]["found"] for n in ("speech_engine", "player", "ffmpeg", "lame", "sox"))
    assert checks["player"]["value"] == f"{fake_bin.folder / 'aplay'} -q"
    assert checks["player"]["source"] == "PATH"


def test_text_report_names_each_item_and_its_install_command(cli, fake_bin):
    fake_bin.player("aplay")
    result = cli("doctor")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("pose-coach doctor (")
    speech = next(line for line in lines if line.startswith("speech engine"))
    assert "MISSING" in speech and f"install: {install_hint('espeak-ng')}" in speech
    player = next(line for line in lines if line.startswith("audio player"))
    assert " ok " in player and str(fake_bin.folder / "aplay") in player


def test_a_configured_player_is_shown_with_where_it_came_from(cli, fake_bin, isolated_home):
    fake_bin.espeak()
    fake_bin.player("myplayer")
    config = isolated_home / "config" / "config.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("player: myplayer -D null\n")
    result = cli("doctor", "--json")
    assert result.exit_code == 0, result.output
    player = checks_by_name(result)["player"]
    assert player["value"] == f"{fake_bin.folder / 'myplayer'} -D null"
    assert player["source"] == "config file"


def test_sound_test_plays_a_beep_then_a_sentence(cli, fake_bin):
    fake_bin.espeak()
    fake_bin.player("aplay")
    result = cli("doctor", "--sound", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["sound_test"]["ok"] is True
    plays = [c for c in fake_bin.calls("aplay") if c[1:] != ["-l"]]  # not the card listing
    assert [p[-1].rsplit("/", 1)[-1] for p in plays] == ["beep.wav", "speech.wav"]
    spoken = [c[-1] for c in fake_bin.calls("espeak-ng") if "--" in c]
    assert spoken == ["This is pose coach. Lean from the ankles, not the waist."]


def test_sound_test_with_a_failing_player_exits_1_with_its_message(cli, fake_bin, monkeypatch):
    fake_bin.espeak()
    fake_bin.player("aplay")
    monkeypatch.setenv("FAKE_PLAYER_EXIT", "1")
    result = cli("doctor", "--sound")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == (
        "sound test: aplay failed (exit 1: aplay: main:831: audio open error: "
        "No such file or directory)"
    )


def test_the_sound_setting_never_starts_the_sound_test(cli, fake_bin, monkeypatch):
    fake_bin.espeak()
    fake_bin.player("aplay")
    monkeypatch.setenv("POSE_COACH_SOUND", "1")
    result = cli("doctor", "--json")
    assert result.exit_code == 0, result.output
    assert "sound_test" not in json.loads(result.stdout)
    assert [c[1:] for c in fake_bin.calls("aplay")] == [["-l"]]  # the cards listed, no sound


NO_CARD = """#!/bin/sh
echo "aplay: device_list:274: no soundcards found..." >&2
"""


def test_a_player_without_a_sound_card_fails_the_doctor(cli, fake_bin):
    """aplay on PATH is not enough: a machine (or container) without a sound card has it."""
    fake_bin.espeak()
    fake_bin.add("aplay", NO_CARD)
    result = cli("doctor")
    assert result.exit_code == 1
    line = next(x for x in result.stdout.splitlines() if x.startswith("sound output"))
    assert line == (
        "sound output    MISSING  no sound card: `aplay -l` lists none, so nothing can be heard "
        "here  (connect a sound device, or set player to one that plays here)"
    )
    checks = {c["name"]: c for c in json.loads(cli("doctor", "--json").stdout)["checks"]}
    assert checks["sound_output"]["found"] is False and checks["sound_output"]["kind"] == "device"


def test_a_sound_card_is_reported_ok(cli, fake_bin):
    fake_bin.espeak()
    fake_bin.player("aplay")
    result = cli("doctor")
    assert "sound output    ok       a sound card (aplay -l)" in result.stdout
