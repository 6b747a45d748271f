"""pose-coach: a command-line running-form coach for the Pose Method."""

__version__ = "0.1.0"
