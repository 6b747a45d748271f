"""Fixtures for sound tests (helpers live in sound_helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sound_helpers import FakeBin


@pytest.fixture
def fake_bin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeBin:
    """Fake programs in a folder that is the whole PATH."""
    return FakeBin(tmp_path / "bin", monkeypatch)
