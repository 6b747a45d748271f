"""A side-view running clip → form feedback (``pose-coach form``).

decode → landmarks per frame (``FramePoses``) → tracks (the runner chosen, left/right
swaps undone, smoothed) → gait (landings, toe-offs at 120 frames/s and more) → measures
per stride → bands → faults → drills from the library's fault index → report.
``analysis.analyse_poses`` is the core of the analysis, on landmarks alone; model.py
holds the data that passes between the stages, and its units.
"""
