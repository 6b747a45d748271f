"""Transition plans over weeks: plan files, the rules that move a runner on or back,
and what to do today. The plan meets the rest of pose-coach in the practice log."""
