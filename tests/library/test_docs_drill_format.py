"""docs/drill-format.md: its example files are valid, and its tables match the loader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pose_coach.library.catalog import load_catalog
from pose_coach.library.loader import DRILL_FIELDS, ITEM_FIELDS, ROUTINE_FIELDS, STEP_FIELDS
from pose_coach.library.validation import validate_paths

DOC = (Path(__file__).resolve().parents[2] / "docs" / "drill-format.md").read_text()
EXAMPLES = re.findall(r"```yaml\n# (drills/\S+?\.yaml)[^\n]*\n(.*?)```", DOC, re.DOTALL)


def test_the_doc_has_a_drill_and_a_routine_example():
    assert [name for name, _ in EXAMPLES] == [
        "drills/wall-fall.yaml",
        "drills/routines/my-warmup.yaml",
    ]


def test_the_examples_are_valid_files(tmp_path: Path):
    for name, text in EXAMPLES:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    reports = validate_paths([tmp_path / "drills"], load_catalog())
    assert [(r.path.rsplit("/", 2)[-1], r.ok) for r in reports] == [
        ("wall-fall.yaml", True),
        ("my-warmup.yaml", True),
    ]
    drill = reports[0].entry
    assert [s.legs for s in drill.steps] == [1, 1, 2, 1]
    assert drill.rest == 20 and drill.steps[3].until_key


def _table_fields(heading: str) -> list[str]:
    """The first column of the first table under ``heading``."""
    after = DOC.split(heading + "\n", 1)[1]
    table = re.search(r"^\|.*?(?=\n\n)", after, re.MULTILINE | re.DOTALL)
    return re.findall(r"^\| `([a-z_]+)`", table.group(), re.MULTILINE)


@pytest.mark.parametrize(
    ("heading", "fields"),
    [
        ("### Drill fields", DRILL_FIELDS),
        ("### Step fields", STEP_FIELDS),
        ("## A routine", ROUTINE_FIELDS),
    ],
)
def test_every_field_is_documented(heading: str, fields: tuple[str, ...]):
    assert _table_fields(heading) == list(fields)


def test_every_routine_item_field_is_documented():
    section = DOC.split("Each item is exactly one of:", 1)[1].split("\n\n", 2)[1]
    assert set(re.findall(r"`([a-z_]+)[`:]", section)) == set(ITEM_FIELDS)
