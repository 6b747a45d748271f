"""Reading a plan file's fields: sources, rules, cadence, weeks, sessions and runs.

``PlanReader`` holds one file's ``FieldChecker`` and its sources, so every ``source``
field can be checked against the file's own ``sources`` (with "did you mean") as it is
read; ``plan/loader.py`` puts the pieces together into a ``Plan``.
"""

from __future__ import annotations

import re
from typing import Any

from pose_coach.errors import printable
from pose_coach.library.fields import FieldChecker
from pose_coach.library.loader import ID_PATTERN
from pose_coach.plan.model import CadenceRule, PlanSession, PlanWeek, Rules, RunPrescription

MAX_WEEKS = 52
MAX_SESSIONS = 7  # a session a day at most
MAX_REPEAT = 12

PLAN_FIELDS = (
    "id",
    "title",
    "summary",
    "level",
    "days",
    "already_drilling",
    "sources",
    "rules",
    "cadence",
    "safety",
    "weeks",
)
WEEK_FIELDS = ("title", "note", "source", "repeat", "sessions")
SESSION_FIELDS = ("routine", "drill", "run", "title", "note")
RUN_FIELDS = ("minutes", "form_minutes", "piece_max_m", "piece_max_minutes", "source")
RULE_FIELDS = ("progress", "hold", "step_back", "stop")
PROGRESS_FIELDS = ("soreness_at_most", "source")
HOLD_FIELDS = ("soreness_rising", "source")
STEP_BACK_FIELDS = ("soreness_at_least", "missed_days", "source")
STOP_FIELDS = ("source",)
CADENCE_FIELDS = ("from_week", "step_percent", "max_percent", "source")

_SOURCE_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


def field_node(fields: dict, name: str) -> Any:
    return fields[name][1] if name in fields else None


class PlanReader:
    """One file's fields, read into model objects with every problem collected."""

    def __init__(self, checker: FieldChecker) -> None:
        self.c = checker
        self.sources: dict[str, str] = {}
        self.cited: set[str] = set()

    def required(self, fields: dict, root: Any, name: str, prefix: str = "") -> Any:
        if name in fields:
            return fields[name][1]
        c = self.c
        if (id(root), name) not in c.suggested and id(root) not in c.incomplete:
            c.add(root, f"{prefix}.{name}" if prefix else name, "missing required field")
        return None

    def plan_id(self, fields: dict, root: Any, stem: str | None) -> str:
        c = self.c
        if "id" not in fields:
            if stem is not None and ID_PATTERN.fullmatch(stem):
                return stem
            c.add(root, "id", f"the file name {printable(stem or '')!r} is not a valid id")
            return stem or "?"
        node = fields["id"][1]
        value = c.scalar(node, "id", "an id")
        if value is None:
            return stem or "?"
        if not ID_PATTERN.fullmatch(value):
            c.add(
                node,
                "id",
                f"{value!r} is not a valid id: use lowercase letters, digits and hyphens, "
                "at most 40 characters",
            )
        elif stem is not None and value != stem:
            c.add(
                node,
                "id",
                f"id {value!r} does not match the file name {printable(stem)!r}; "
                "rename the file or drop the id field",
            )
        return value

    # -- sources --------------------------------------------------------------

    def read_sources(self, node: Any) -> None:
        import yaml

        c = self.c
        if c.skipped(node):
            return
        if not isinstance(node, yaml.MappingNode):
            c.add(node, "sources", "expected a mapping of source keys to titles and addresses")
            return
        for key, value in node.value:
            name = getattr(key, "value", None)
            if c.skipped(key) or not isinstance(name, str):
                continue
            if not _SOURCE_KEY.fullmatch(name):
                c.add(
                    key,
                    f"sources.{printable(name)}",
                    "a source key is lowercase letters, digits and hyphens, e.g. ta-physio",
                )
                continue
            text = c.text(value, f"sources.{name}", max_len=500)
            if text is not None:
                self.sources[name] = text
        if not node.value:
            c.add(node, "sources", "expected at least one source")

    def cite(self, node: Any, field: str, required: str | None = None) -> tuple[str, ...]:
        """``source: key`` or ``source: [key, ...]``; ``required`` says what needs it."""
        import difflib

        import yaml

        c = self.c
        if node is None:
            return ()
        items = (
            [node]
            if isinstance(node, yaml.ScalarNode)
            else c.sequence(node, field, "a source key or a list of them")
        )
        keys: list[str] = []
        for i, item in enumerate(items or []):
            shown = field if item is node else f"{field}[{i}]"
            key = c.scalar(item, shown, "a source key")
            if key is None:
                continue
            key = key.strip()
            if key not in self.sources:
                close = difflib.get_close_matches(key, list(self.sources), n=1)
                tip = f"; did you mean {close[0]!r}?" if close else "; add it under sources"
                c.add(item, shown, f"unknown source {printable(key)!r}{tip}")
                continue
            self.cited.add(key)
            keys.append(key)
        if items == [] and required:
            c.add(node, field, f"name at least one source for {required}")
        return tuple(keys)

    def cited_where(self, fields: dict, root: Any, prefix: str, what: str) -> tuple[str, ...]:
        """The required ``source`` of a block holding numbers."""
        if "source" not in fields:
            self.c.add(
                root,
                f"{prefix}.source",
                f"missing required field: every number needs its source ({what})",
            )
            return ()
        return self.cite(fields["source"][1], f"{prefix}.source", what)

    # -- rules and cadence ----------------------------------------------------

    def rules(self, node: Any) -> Rules | None:
        c = self.c
        fields = c.mapping(node, "rules", RULE_FIELDS, "rules (progress, hold, step_back, stop)")
        if fields is None:
            return None
        sources: dict[str, tuple[str, ...]] = {}
        progress_max = step_back_min = missed = rising = None
        progress_node = self.required(fields, node, "progress", "rules")
        progress = c.mapping(progress_node, "rules.progress", PROGRESS_FIELDS)
        if progress is not None:
            value = self.required(progress, progress_node, "soreness_at_most", "rules.progress")
            progress_max = c.number(
                value, "rules.progress.soreness_at_most", 0, 9, what="soreness", integer=True
            )
            sources["progress"] = self.cited_where(
                progress, progress_node, "rules.progress", "the soreness threshold"
            )
        back_node = self.required(fields, node, "step_back", "rules")
        back = c.mapping(back_node, "rules.step_back", STEP_BACK_FIELDS)
        if back is not None:
            value = self.required(back, back_node, "soreness_at_least", "rules.step_back")
            step_back_min = c.number(
                value, "rules.step_back.soreness_at_least", 1, 10, what="soreness", integer=True
            )
            value = self.required(back, back_node, "missed_days", "rules.step_back")
            missed = c.number(
                value, "rules.step_back.missed_days", 7, 60, what="days", integer=True
            )
            sources["step_back"] = self.cited_where(
                back, back_node, "rules.step_back", "the soreness threshold and missed days"
            )
        hold_node = field_node(fields, "hold")
        hold = c.mapping(hold_node, "rules.hold", HOLD_FIELDS)
        if hold is not None:
            value = self.required(hold, hold_node, "soreness_rising", "rules.hold")
            rising = c.number(
                value, "rules.hold.soreness_rising", 2, 7, what="check-ins", integer=True
            )
            sources["hold"] = self.cited_where(
                hold, hold_node, "rules.hold", "the number of check-ins"
            )
        stop_node = field_node(fields, "stop")
        stop = c.mapping(stop_node, "rules.stop", STOP_FIELDS)
        if stop is not None and "source" in stop:
            sources["stop"] = self.cite(stop["source"][1], "rules.stop.source", "stopping")
        if progress_max is None or step_back_min is None or missed is None:
            return None
        if step_back_min <= progress_max:
            c.add(
                back_node,
                "rules.step_back.soreness_at_least",
                f"must be above rules.progress.soreness_at_most ({int(progress_max)}), "
                "or a week could move on and step back at once",
            )
            return None
        return Rules(
            progress_max=int(progress_max),
            step_back_min=int(step_back_min),
            missed_days=int(missed),
            rising=int(rising) if rising is not None else None,
            sources=sources,
        )

    def cadence(self, node: Any) -> CadenceRule | None:
        c = self.c
        fields = c.mapping(node, "cadence", CADENCE_FIELDS)
        if fields is None:
            return None
        values = {}
        for name, low, high, what in (
            ("from_week", 1, MAX_WEEKS, "a week number"),
            ("step_percent", 1, 20, "percent"),
            ("max_percent", 1, 30, "percent"),
        ):
            values[name] = c.number(
                self.required(fields, node, name, "cadence"),
                f"cadence.{name}",
                low,
                high,
                what=what,
                integer=True,
            )
        sources = self.cited_where(fields, node, "cadence", "the cadence steps")
        known = {name: int(v) for name, v in values.items() if v is not None}
        if len(known) < len(values):
            return None
        if known["max_percent"] < known["step_percent"]:
            c.add(fields["max_percent"][1], "cadence.max_percent", "must be at least step_percent")
            return None
        return CadenceRule(
            from_week=known["from_week"],
            step_percent=known["step_percent"],
            max_percent=known["max_percent"],
            sources=sources,
            where=c.location(node),
        )

    # -- weeks ----------------------------------------------------------------

    def run(self, node: Any, field: str) -> RunPrescription | None:
        c = self.c
        fields = c.mapping(node, field, RUN_FIELDS)
        if fields is None:
            return None
        before = len(c.problems)
        minutes = c.number(
            self.required(fields, node, "minutes", field),
            f"{field}.minutes",
            1,
            240,
            what="minutes",
            integer=True,
        )
        form = c.number(
            field_node(fields, "form_minutes"),
            f"{field}.form_minutes",
            0,
            240,
            what="minutes",
            integer=True,
        )
        piece_m = c.number(
            field_node(fields, "piece_max_m"),
            f"{field}.piece_max_m",
            20,
            10000,
            what="metres",
            integer=True,
        )
        piece_min = c.number(
            field_node(fields, "piece_max_minutes"),
            f"{field}.piece_max_minutes",
            1,
            240,
            what="minutes",
            integer=True,
        )
        sources = self.cited_where(fields, node, field, "the run's minutes and pieces")
        if len(c.problems) > before or minutes is None:
            return None
        if form and form > minutes:
            c.add(
                fields["form_minutes"][1],
                f"{field}.form_minutes",
                f"{int(form)} min in the form in a run of {int(minutes)} min",
            )
            return None
        if form and piece_m is None and piece_min is None:
            c.add(
                fields["form_minutes"][1],
                f"{field}.form_minutes",
                "running in the new form needs pieces: add piece_max_m or piece_max_minutes",
            )
            return None
        return RunPrescription(
            minutes=int(minutes),
            form_minutes=int(form or 0),
            piece_max_m=int(piece_m) if piece_m is not None else None,
            piece_max_minutes=int(piece_min) if piece_min is not None else None,
            sources=sources,
            where=c.location(node),
        )

    def session(self, node: Any, field: str) -> PlanSession | None:
        c = self.c
        fields = c.mapping(node, field, SESSION_FIELDS)
        if fields is None:
            return None
        refs = [k for k in ("routine", "drill") if k in fields]
        if len(refs) != 1:
            c.add(
                node,
                field,
                "each session needs one of 'routine' or 'drill'"
                + (" (found both)" if len(refs) > 1 else ""),
            )
            return None
        kind = refs[0]
        value_node = fields[kind][1]
        ref = c.scalar(value_node, f"{field}.{kind}", f"a {kind} id")
        if ref is not None and not ID_PATTERN.fullmatch(ref):
            c.add(value_node, f"{field}.{kind}", f"{ref!r} is not a valid id")
            ref = None
        run_node = field_node(fields, "run")
        run = self.run(run_node, f"{field}.run") if run_node is not None else None
        title = c.text(field_node(fields, "title"), f"{field}.title", max_len=80)
        note = c.text(field_node(fields, "note"), f"{field}.note", max_len=400)
        if ref is None or (run_node is not None and run is None):
            return None
        return PlanSession(
            kind=kind,
            ref=ref,
            run=run,
            title=title,
            note=note,
            where=c.location(value_node),
        )

    def weeks(self, node: Any) -> list[PlanWeek]:
        c = self.c
        items = c.sequence(node, "weeks", "a list of weeks")
        if items == []:
            c.add(node, "weeks", "expected at least one week")
        out: list[PlanWeek] = []
        for i, item in enumerate(items or []):
            field = f"weeks[{i}]"
            fields = c.mapping(item, field, WEEK_FIELDS)
            if fields is None:
                continue
            before = len(c.problems)
            title = c.text(
                self.required(fields, item, "title", field), f"{field}.title", max_len=80
            )
            note = c.text(field_node(fields, "note"), f"{field}.note", max_len=600, multiline=True)
            repeat = c.number(
                field_node(fields, "repeat"),
                f"{field}.repeat",
                1,
                MAX_REPEAT,
                what="weeks",
                integer=True,
            )
            sources = self.cite(field_node(fields, "source"), f"{field}.source", "the week")
            if repeat is not None and "source" not in fields:
                c.add(
                    fields["repeat"][1],
                    f"{field}.source",
                    "missing required field: every number needs its source (the repeat)",
                )
            sessions_node = self.required(fields, item, "sessions", field)
            sessions_list = c.sequence(sessions_node, f"{field}.sessions", "a list of sessions")
            if sessions_list == []:
                c.add(sessions_node, f"{field}.sessions", "expected at least one session")
            if sessions_list and len(sessions_list) > MAX_SESSIONS:
                c.add(
                    sessions_node,
                    f"{field}.sessions",
                    f"{len(sessions_list)} sessions; a week holds at most {MAX_SESSIONS}",
                )
                sessions_list = []
            sessions = [
                self.session(s, f"{field}.sessions[{j}]") for j, s in enumerate(sessions_list or [])
            ]
            if len(c.problems) > before or title is None or any(s is None for s in sessions):
                continue
            for _ in range(int(repeat or 1)):
                out.append(
                    PlanWeek(
                        number=len(out) + 1,
                        title=title,
                        sessions=tuple(s for s in sessions if s is not None),
                        note=note,
                        sources=sources,
                        where=c.location(item),
                    )
                )
        if len(out) > MAX_WEEKS:
            c.add(node, "weeks", f"{len(out)} weeks; a plan holds at most {MAX_WEEKS}")
            return []
        return out
