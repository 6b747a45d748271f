"""Feedback on a real run from its watch file: decode → clean → measure → bands → faults →
drills → report. ``analysis.analyse_run`` is the one core function; ``commands/run.py``
builds its request and renders what it returns."""
