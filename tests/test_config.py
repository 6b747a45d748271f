"""The config file: schema, located errors, precedence (command line > env > file > default)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from pose_coach import config
from pose_coach.cli import cli as cli_group
from pose_coach.commands.option_defaults import ConfigDefaults, add_envvars, option_name
from pose_coach.config import SETTINGS, load_config, setting
from pose_coach.errors import ConfigError, UsageError


@pytest.fixture
def config_file(isolated_home: Path):
    """Write ``<POSE_COACH_HOME>/config/config.yaml`` and return its path."""

    def write(text: str) -> Path:
        path = isolated_home / "config" / "config.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def local_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A config file named by POSE_COACH_CONFIG, shown as ``config.yaml`` in messages."""

    def write(text: str) -> Path:
        monkeypatch.chdir(tmp_path)
        path = tmp_path / "config.yaml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv("POSE_COACH_CONFIG", "config.yaml")
        return path

    return write


def config_problems(text: str, local_config) -> list[str]:
    local_config(text)
    with pytest.raises(ConfigError) as caught:
        load_config()
    return [str(p) for p in caught.value.problems]


# -- the file ---------------------------------------------------------------------------


def test_no_file_gives_builtin_defaults(isolated_home):
    assert not load_config().exists
    assert load_config().path == isolated_home / "config" / "config.yaml"
    assert {name: setting(name) for name in SETTINGS} == {
        name: spec.default for name, spec in SETTINGS.items()
    }


def test_values_are_read_from_raw_text(config_file):
    config_file(
        "lead_in: 5\nspeed: 2.5\nsets: 3\nvoice: no\nsound: off\nvoice_name: en-gb\n"
        "player: aplay -D null\npaper: letter\nrest:\n"
    )
    assert load_config().values == {
        "lead_in": 5.0,
        "speed": 2.5,
        "sets": 3,
        "voice": False,
        "sound": False,
        "voice_name": "en-gb",
        "player": "aplay -D null",
        "paper": "letter",
        "rest": None,
    }
    assert config.command_setting("player") == ["aplay", "-D", "null"]
    assert config.command_setting("speech_engine") is None


def test_empty_or_comment_only_file_sets_nothing(config_file):
    config_file("# nothing yet\n")
    assert load_config().exists and load_config().values == {}


def test_file_change_is_seen(config_file):
    path = config_file("speed: 2\n")
    assert setting("speed") == 2.0
    path.write_text("speed: 30\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a different mtime even on coarse clocks
    assert setting("speed") == 30.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "lead_in: soon\n",
            "config.yaml:1:10: lead_in: expected a number between 0 and 60, got 'soon'",
        ),
        ("lead_in: 90\n", "config.yaml:1:10: lead_in: expected a number between 0 and 60, got 90"),
        (
            "lead_in: .nan\n",
            "config.yaml:1:10: lead_in: expected a number between 0 and 60, got '.nan'",
        ),
        (
            "rate: 1:30\n",
            "config.yaml:1:7: rate: expected a whole number between 80 and 450, got '1:30'",
        ),
        (
            "sets: 2.5\n",
            "config.yaml:1:7: sets: expected a whole number between 1 and 20, got '2.5'",
        ),
        ("speed:\n", "config.yaml:1:7: speed: expected a speed between 0.1 and 1000, got nothing"),
        ("title: maybe\n", "config.yaml:1:8: title: expected true or false, got 'maybe'"),
        ("voice: [1]\n", "config.yaml:1:8: voice: expected true or false, got a list"),
        (
            "paper: A4\n",
            "config.yaml:1:8: paper: expected one of a4, letter, got 'A4' — did you mean 'a4'?",
        ),
        (
            "player: 'aplay \"x'\n",
            "config.yaml:1:9: player: expected a command line, e.g. 'aplay -q', got 'aplay \"x'",
        ),
        (
            "sound: true\nlead-in: 2\n",
            "config.yaml:2:1: lead-in: unknown setting 'lead-in' — did you mean 'lead_in'?",
        ),
        ("- speed\n", "config.yaml:1:1: expected settings as 'name: value' lines"),
    ],
)
def test_broken_file_gives_located_error(text, expected, local_config):
    assert config_problems(text, local_config)[0] == expected


def test_every_problem_is_reported(local_config):
    problems = config_problems("speedd: 3\nsets: 0\nsets: 2\n", local_config)
    assert problems == ["config.yaml:3:1: duplicate key 'sets' (first given on line 2)"]
    problems = config_problems("speedd: 3\nlead_in: x\n", local_config)
    assert problems == [
        "config.yaml:1:1: speedd: unknown setting 'speedd' — did you mean 'speed'?",
        "config.yaml:2:10: lead_in: expected a number between 0 and 60, got 'x'",
    ]


def test_yaml_syntax_error_is_located(local_config):
    problems = config_problems("speed: [1\n", local_config)
    assert problems[0].startswith("config.yaml:2:1: invalid YAML: ")


def test_raw_control_characters_are_located(local_config):
    problems = config_problems("speed: 2\nvoice_name: en\x1b[31m\n", local_config)
    assert problems[0].startswith("config.yaml:2:15: control character U+001B ESCAPE")


def test_python_tags_are_refused(local_config):
    problems = config_problems("speed: !!python/object/apply:os.system [echo hi]\n", local_config)
    assert problems[0].startswith("config.yaml:1:8: YAML tag ")
    assert problems[0].endswith("is not allowed; use plain values")


# -- effective values and their sources ------------------------------------------------


def test_env_beats_file_beats_default(config_file, monkeypatch):
    config_file("speed: 4\nlead_in: 1\n")
    assert config.effective("speed") == config.Effective("speed", 4.0, "config file")
    assert config.effective("sets") == config.Effective("sets", None, "default")
    monkeypatch.setenv("POSE_COACH_SPEED", "8")
    assert config.effective("speed") == config.Effective("speed", 8.0, "env POSE_COACH_SPEED")
    monkeypatch.setenv("POSE_COACH_SPEED", "")  # empty counts as unset, as in click
    assert config.effective("speed").source == "config file"


def test_bad_env_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("POSE_COACH_LEAD_IN", "lots")
    with pytest.raises(UsageError) as caught:
        setting("lead_in")
    assert caught.value.message == (
        "POSE_COACH_LEAD_IN: expected a number between 0 and 60, got 'lots'"
    )


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("title", "y"),
        ("title", "F"),
        ("log", "n"),
        ("title", "perhaps"),
        ("sets", "2"),
        ("sets", "2.0"),
        ("rate", " 120 "),
        ("sets", "two"),
    ],
)
def test_env_values_mean_what_click_makes_of_them(monkeypatch, name, raw):
    """config show must not accept a variable the option refuses, or refuse one it takes."""
    import click

    kind = click.BOOL if config.SETTINGS[name].kind == "bool" else click.INT
    try:
        expected = kind.convert(raw, None, None)
    except click.BadParameter:
        expected = "refused"
    monkeypatch.setenv(config.SETTINGS[name].env, raw)
    try:
        got = setting(name)
    except UsageError:
        got = "refused"
    assert got == expected


def test_no_log_variable_turns_logging_off(monkeypatch):
    monkeypatch.setenv("POSE_COACH_NO_LOG", "1")
    assert config.effective("log") == config.Effective("log", False, "env POSE_COACH_NO_LOG")


# -- options get their defaults from the file --------------------------------------------


def _lead_in(result) -> float:
    """The lead-in of a --dry-run --json timeline: the first countdown's number."""
    events = [json.loads(line) for line in result.stdout.splitlines()]
    countdowns = [e for e in events if e["event"] == "countdown"]
    return countdowns[0]["count"] if countdowns else 0


def test_option_precedence_command_line_env_file_default(cli, config_file):
    args = ("drill", "fall", "--dry-run", "--json")
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert _lead_in(result) == 3  # built-in default
    config_file("lead_in: 5\n")
    assert _lead_in(cli(*args)) == 5  # config file
    env = {"POSE_COACH_LEAD_IN": "7"}
    assert _lead_in(cli(*args, env=env)) == 7  # environment beats the file
    assert _lead_in(cli(*args, "--lead-in", "2", env=env)) == 2  # command line beats all


def test_unset_in_file_keeps_builtin_default(cli, config_file):
    config_file("sets:\nlead_in: 0\n")
    result = cli("drill", "fall", "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    assert _lead_in(result) == 0


def test_broken_config_is_one_located_error_exit_1(cli, config_file):
    path = config_file("lead_in: 5\nspeed: fast\n")
    result = cli("drill", "fall", "--dry-run", "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == (
        f"pose-coach: error: {path}:2:8: speed: expected a speed between 0.1 and 1000, got 'fast'"
    )
    assert "Traceback" not in result.stderr


def test_commands_without_settings_do_not_read_the_config(cli, config_file):
    config_file("speed: fast\n")
    result = cli("faults", "--json")  # (list has --lead-in, a setting: it reads the file)
    assert result.exit_code == 0, result.stderr


def test_root_help_never_parses_yaml(isolated_home):
    """``pose-coach --help`` stays fast: no YAML import even with a (broken) config file."""
    path = isolated_home / "config" / "config.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("speed: [\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from pose_coach.cli import cli\n"
        "try:\n"
        "    cli(['--help'], prog_name='pose-coach')\n"
        "except SystemExit as e:\n"
        "    assert e.code == 0, e.code\n"
        "print('yaml' in sys.modules, 'rich' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ.copy()
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "False False"
    assert "Usage: pose-coach" in done.stdout


def _all_commands(command: click.Command, path: str = "pose-coach"):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _all_commands(sub, f"{path} {name}")


def test_every_option_has_its_env_variable():
    for path, command in _all_commands(cli_group):
        for param in command.params:
            if not isinstance(param, click.Option) or param.is_eager:
                continue
            name = option_name(param).upper()
            qualified = "_".join(["POSE_COACH", *path.split()[1:], name]).upper()
            envvars = [param.envvar] if isinstance(param.envvar, str) else list(param.envvar)
            assert {f"POSE_COACH_{name}", qualified} & set(envvars), f"{path} {param.opts[0]}"


def test_env_names_short_for_settings_and_flags_qualified_for_shared_options():
    def command(name: str, *params: click.Parameter) -> click.Command:
        return click.Command(name, params=list(params))

    group = click.Group(
        "pose-coach",
        commands={
            "sheet": command(
                "sheet",
                click.Option(["-f", "--format"], type=click.Choice(["md", "pdf"])),
                click.Option(["--sets"], type=int),
                click.Option(["--json"], is_flag=True),
                click.Option(["--home"]),
            ),
            "export": command(
                "export",
                click.Option(["--format"], type=click.Choice(["fit"])),
                click.Option(["--sets"], type=int),
                click.Option(["--json"], is_flag=True),
                click.Option(["--speed"], envvar="MY_SPEED"),
            ),
        },
    )
    add_envvars(group)
    envvars = {(c, p.name): p.envvar for c, cmd in group.commands.items() for p in cmd.params}
    assert envvars == {
        ("sheet", "format"): "POSE_COACH_SHEET_FORMAT",
        ("sheet", "sets"): "POSE_COACH_SETS",
        ("sheet", "json"): "POSE_COACH_JSON",
        ("sheet", "home"): "POSE_COACH_SHEET_HOME",  # POSE_COACH_HOME means the home folder
        ("export", "format"): "POSE_COACH_EXPORT_FORMAT",
        ("export", "sets"): "POSE_COACH_SETS",
        ("export", "json"): "POSE_COACH_JSON",
        ("export", "speed"): "MY_SPEED",
    }


def test_env_variable_reaches_an_option(cli):
    result = cli("routine", "pre-run", "--dry-run", env={"POSE_COACH_JSON": "1"})
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[0])["event"] == "session_start"


def test_settings_agree_with_option_defaults():
    """An option fed by a setting keeps the same built-in default, so `config show` is true."""
    checked = 0
    for path, command in _all_commands(cli_group):
        for param in command.params:
            name = option_name(param) if isinstance(param, click.Option) else None
            if name in SETTINGS:
                # click marks "no default" with a sentinel; a setting says None
                default = param.default if isinstance(param.default, (int, float, str)) else None
                assert default == SETTINGS[name].default, f"{path} --{name}: {default!r}"
                checked += 1
    assert checked >= 10  # drill and routine: lead_in, sets, rest, speed, title


def test_negated_option_is_fed_from_its_setting(config_file):
    config_file("log: false\n")

    @click.command()
    @click.option("--no-log", is_flag=True)
    @click.option("--speed", type=float, default=1.0)
    def play(no_log: bool, speed: float) -> None:
        click.echo(f"{no_log} {speed}")

    defaults = ConfigDefaults(play)
    assert dict(defaults) == {"no_log": True}
    result = play.main([], default_map=defaults, standalone_mode=False)
    assert result is None


def test_default_map_reaches_nested_commands(config_file):
    config_file("speed: 9\n")
    group = click.Group(
        "g",
        commands={
            "sub": click.Group(
                "sub",
                commands={
                    "leaf": click.Command(
                        "leaf", params=[click.Option(["--speed"], type=float, default=1.0)]
                    )
                },
            )
        },
    )
    leaf_defaults = ConfigDefaults(group)["sub"]["leaf"]
    assert leaf_defaults["speed"] == 9.0
    assert "missing" not in leaf_defaults


# -- `pose-coach config path` / `config show` --------------------------------------------


def test_config_path(cli, isolated_home, monkeypatch, tmp_path):
    result = cli("config", "path")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{isolated_home / 'config' / 'config.yaml'}\n"
    monkeypatch.setenv("POSE_COACH_CONFIG", str(tmp_path / "other.yaml"))
    result = cli("config", "path", "--json")
    assert json.loads(result.stdout) == {"path": str(tmp_path / "other.yaml"), "exists": False}


def test_config_path_works_with_a_broken_file(cli, config_file):
    path = config_file("speed: [\n")
    result = cli("config", "path")
    assert (result.exit_code, result.stdout) == (0, f"{path}\n")


def test_config_show_names_each_source(cli, config_file):
    path = config_file("lead_in: 5\nvoice: false\n")
    result = cli("config", "show", env={"POSE_COACH_SPEED": "10"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"config file: {path}"
    assert lines[1].split() == ["SETTING", "VALUE", "SOURCE"]
    rows = {line.split()[0]: line.split(None, 2)[1:] for line in lines[2:]}
    assert rows["lead_in"] == ["5", "config file"]
    assert rows["speed"] == ["10", "env POSE_COACH_SPEED"]
    assert rows["voice"] == ["false", "config file"]
    assert rows["sets"] == ["-", "default"]
    assert rows["paper"] == ["a4", "default"]
    assert set(rows) == set(SETTINGS)


def test_config_show_json(cli, config_file):
    path = config_file("sets: 2\n")
    result = cli("config", "show", "--json", env={"POSE_COACH_NO_LOG": "1"})
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["path"], data["exists"]) == (str(path), True)
    assert list(data["settings"]) == list(SETTINGS)
    assert data["settings"]["sets"] == {
        "value": 2,
        "source": "config file",
        "default": None,
        "env": "POSE_COACH_SETS",
        "help": "sets of each drill (unset: the drill's dose)",
    }
    assert data["settings"]["log"]["value"] is False
    assert data["settings"]["log"]["source"] == "env POSE_COACH_NO_LOG"
    assert data["settings"]["lead_in"]["source"] == "default"


def test_config_show_reports_a_broken_file(cli, config_file):
    path = config_file("lead_in: 5\nspeeed: 2\n")
    result = cli("config", "show")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"pose-coach: error: {path}:2:1: speeed: unknown setting 'speeed' — did you mean 'speed'?",
        "  hint: fix the config file (the settings: `pose-coach docs config`; "
        "`pose-coach config show` checks it)",
    ]


def test_config_show_reports_a_bad_env_value(cli):
    result = cli("config", "show", env={"POSE_COACH_TITLE": "perhaps"})
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "pose-coach: error: POSE_COACH_TITLE: expected true or false, got 'perhaps'"
    )


def test_a_config_path_that_is_not_a_regular_file_is_a_one_line_error(cli, monkeypatch):
    monkeypatch.setenv("POSE_COACH_CONFIG", "/dev/zero")
    result = cli("config", "show")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "pose-coach: error: the config file /dev/zero is not a regular file"
    )


def test_shared_options_are_listed_so_each_command_gets_its_own_variable(cli):
    """Commands load one at a time, so the names several commands share are listed in
    SHARED_OPTIONS; every command's variable for them names the command."""
    from pose_coach.commands.option_defaults import SHARED_OPTIONS, _options

    users: dict[str, set] = {}
    for path, param, name in _options(cli_group, ()):
        if not param.is_flag and name not in SETTINGS:
            users.setdefault(name, set()).add(path)
    assert {name for name, paths in users.items() if len(paths) > 1} == SHARED_OPTIONS
    stats_help = " ".join(cli("stats", "--help").stdout.split())
    assert "[env: POSE_COACH_STATS_WEEKS]" in stats_help
    result = cli("stats", "--json", env={"POSE_COACH_STATS_WEEKS": "3"})
    assert len(json.loads(result.stdout)["weeks"]) == 3
    # the other command's variable does not reach it
    result = cli("stats", "--json", env={"POSE_COACH_EXPORT_WEEKS": "5"})
    assert len(json.loads(result.stdout)["weeks"]) == 8
