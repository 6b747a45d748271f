"""Stick figures from one parametric body: ``body`` (proportions, joints), ``scenes`` (the
named figures), ``draw`` (SVG, PDF, PNG from the same shapes)."""
