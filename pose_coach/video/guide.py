"""``pose-coach form --guide``: how to film a clip the form check can read."""

from __future__ import annotations

GUIDE = """\
How to film your running for `pose-coach form`

  Side-on       the camera at right angles to the line you run along, so the runner
                crosses the frame from one side to the other (not towards the camera)
  Height        the phone at hip height, held still (a tripod, a wall, a friend's
                steady hands); no zoom while filming
  Distance      3-5 m from the runner's line: the whole body in frame, head to feet,
                for the whole run past the camera
  Length        10 s or more of steady running, at your usual pace (4 strides at the
                very least); one runner in front, others behind are left out
  Frame rate    60 frames/s or more; 120-240 frames/s for contact (stance) times and
                the fall angle at toe-off, which are not shown below 120
  Slow motion   a slow-motion clip plays slower than it was filmed: give the rate the
                camera filmed at, e.g. --capture-fps 240, or its timing cannot be trusted
  Light         daylight or a bright room; clothes that stand out from the background

Then:  pose-coach form --check clip.mp4   (what can be measured from it)
       pose-coach form clip.mp4 -o form.html
"""
