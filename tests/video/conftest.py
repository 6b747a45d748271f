"""Fixtures for the form check's tests: clips made with FFmpeg (clip_files.py)."""

from clip_files import clips  # noqa: F401 - the session's test clips, a fixture
