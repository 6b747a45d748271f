"""click's usage errors in pose-coach's words: which option, or which variable, and why.

A bad value typed on the command line names the option (``--speed: expected a speed
between 0.1 and 1000, got 0``); one that came from a ``POSE_COACH_*`` variable names the
variable and its value (``POSE_COACH_SPEED=0: expected a speed between 0.1 and 1000``),
since the user did not type it and may not know it is set. click's own wording ("is not
a valid float range", "Invalid value for") never reaches the user.
"""

from __future__ import annotations

import os
import re

import click
from click.core import ParameterSource

# click's messages for its own types, as click 8 words them, and ours for the same thing
_NOT_VALID = re.compile(
    r"^(?P<value>.*) is not a valid (?P<kind>boolean|integer|float|integer range|float range)"
    r"\b.*$",
    re.S,
)
_NOT_ONE_OF = re.compile(r"^(?P<value>.*) is not (?:one of )?(?P<choices>'.*')\.?$", re.S)
_KINDS = {
    "boolean": "true or false",
    "integer": "a whole number",
    "float": "a number",
    "integer range": "a whole number",
    "float range": "a number",
}
_GOT = re.compile(r", got .*$", re.S)


def click_error(error: click.ClickException) -> tuple[str, str | None]:
    """(message, hint) for one of click's exceptions."""
    ctx = getattr(error, "ctx", None)
    hint = f"see {_command_path(ctx)} --help" if ctx is not None else None
    if isinstance(error, click.MissingParameter) and error.param is not None:
        what = "argument" if isinstance(error.param, click.Argument) else "option"
        return f"missing {what} {_name(error.param)}", hint
    if isinstance(error, click.BadParameter) and error.param is not None:
        return _bad_value(error, ctx), hint
    if isinstance(error, click.BadParameter) and error.param_hint:  # raised by a command
        names = error.param_hint if isinstance(error.param_hint, str) else error.param_hint[0]
        return f"{names.strip(chr(39))}: {_reworded(error.message)}", hint
    return _sentence(error.format_message()), hint


def _command_path(ctx: click.Context) -> str:
    """``pose-coach log import``: the command as typed, whatever the program was called."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(["pose-coach", *reversed(names)])


def _bad_value(error: click.BadParameter, ctx: click.Context | None) -> str:
    param = error.param
    assert param is not None
    message = _reworded(error.message)
    variable = _variable(param, ctx)
    if variable is not None:
        name, value = variable
        return f"{name}={value}: {_GOT.sub('', message)}"
    return f"{_name(param)}: {message}"


def _reworded(message: str) -> str:
    found = _NOT_VALID.match(message)
    if found:
        return f"expected {_KINDS[found['kind']]}, got {found['value']}"
    found = _NOT_ONE_OF.match(message)
    if found:
        choices = ", ".join(c.strip("'") for c in found["choices"].split(", "))
        return f"expected one of {choices}, got {found['value']}"
    return _sentence(message)


def _variable(param: click.Parameter, ctx: click.Context | None) -> tuple[str, str] | None:
    """The variable (and its value) a bad value came from, if it came from one."""
    if ctx is None or param.name is None:
        return None
    if ctx.get_parameter_source(param.name) is not ParameterSource.ENVIRONMENT:
        return None
    from pose_coach.paths import ENV_NO_LOG

    names = param.envvar if isinstance(param.envvar, (list, tuple)) else [param.envvar]
    for name in [*names, ENV_NO_LOG if param.name == "log" else None]:
        if name and os.environ.get(name) is not None:
            return name, os.environ[name]
    return None


def _name(param: click.Parameter) -> str:
    """``--speed`` for an option (its longest name), ``ID`` for an argument."""
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return (param.metavar or param.name or "argument").upper()


def _sentence(text: str) -> str:
    """click's ``Missing argument 'ID'.`` as one of our lines: ``missing argument 'ID'``."""
    text = text.strip().rstrip(".").replace(". Did you mean", "; did you mean")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text
