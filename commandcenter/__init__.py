"""CommandCenter: desktop client for social-governance command centres."""

__version__ = "0.1.0"
