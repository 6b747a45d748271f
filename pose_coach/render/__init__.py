"""Renderers: take a whole timeline and write a file (cue sheets, audio, exports)."""
