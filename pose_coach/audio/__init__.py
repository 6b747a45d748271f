"""Sound: speech engines, generated tones, the audio plan, the mixer, players, encoders.

Everything here works on 22,050 Hz mono 16-bit samples held in ``array('h')``: the rate
espeak-ng writes natively, so speech clips need no resampling. The one plan function
(``plan.plan_audio``) decides what sounds when; the live sink and the file renderer both
mix from it, so what a runner hears live and in a rendered file is the same.
"""

SAMPLE_RATE = 22050
