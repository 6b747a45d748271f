"""``config path`` and ``config show``: where the config file is, and what is in effect."""

from __future__ import annotations

from typing import Any

import click

from pose_coach.commands.common import json_option


@click.group("config")
def config_group() -> None:
    """The config file: defaults for every session option.

    Settings are YAML lines such as `lead_in: 5` or `voice: false`; every one can
    also come from POSE_COACH_<NAME>. Command line > environment > config file >
    built-in default. The settings: `pose-coach docs config`.

    \b
    Example:
      pose-coach config path
      pose-coach config show
    """


@config_group.command("path")
@json_option
def config_path(as_json: bool) -> None:
    """Print where the config file is (or would be); POSE_COACH_CONFIG moves it.

    \b
    Example:
      "$EDITOR" "$(pose-coach config path)"
    """
    from pose_coach.paths import config_file

    path = config_file()
    if as_json:
        from pose_coach.output import print_json

        print_json({"path": str(path), "exists": path.is_file()})
    else:
        from pose_coach.commands.common import current_terminal
        from pose_coach.errors import printable

        # data for "$(pose-coach config path)": as it is in a pipe, escaped on a terminal
        click.echo(printable(str(path)) if current_terminal().stdout_tty else str(path))


@config_group.command("show")
@json_option
def config_show(as_json: bool) -> None:
    """Print every setting's effective value and where it came from.

    The source is `default`, `config file` or `env POSE_COACH_<NAME>`. A broken
    config file is reported with its line and column (exit 1).

    \b
    Example:
      pose-coach config show
      pose-coach config show --json | jq .settings.speed
    """
    from pose_coach.config import SETTINGS, all_effective, load_config

    config = load_config()
    rows = all_effective(config)  # the same reading of the file as the path shown
    if as_json:
        from pose_coach.output import print_json

        print_json(
            {
                "path": str(config.path),
                "exists": config.exists,
                "settings": {
                    row.name: {
                        "value": row.value,
                        "source": row.source,
                        "default": SETTINGS[row.name].default,
                        "env": SETTINGS[row.name].env,
                        "help": SETTINGS[row.name].help,
                    }
                    for row in rows
                },
            }
        )
        return
    state = "" if config.exists else "  (no such file: built-in defaults)"
    from pose_coach.errors import printable

    click.echo(f"config file: {printable(str(config.path))}{state}")
    table = [("SETTING", "VALUE", "SOURCE")] + [
        (row.name, _shown(row.value), row.source) for row in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(2)]
    for name, value, source in table:
        click.echo(f"{name:<{widths[0]}}  {value:<{widths[1]}}  {source}".rstrip())


def _shown(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)
