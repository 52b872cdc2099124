"""The wall display (issue 6): a separate full-screen window that supervisors drive."""

from __future__ import annotations

from .window import WallWindow

__all__ = ["WallWindow"]
