"""Logging to a rotating file in the user's log directory, with personal data masked."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from platformdirs import user_log_dir

from .domain.masking import mask_text

APP = "CommandCenter"


class MaskingFormatter(logging.Formatter):
    """Masks phone and ID numbers in the whole formatted record, tracebacks included."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_text(super().format(record))


def log_dir() -> Path:
    return Path(user_log_dir(APP, appauthor=False))


def setup_logging(level: int = logging.INFO, directory: Path | None = None, console: bool = False) -> Path:
    """Send logs to <log dir>/commandcenter.log (5 MB x 5). Returns the file path."""
    d = directory or log_dir()
    d.mkdir(parents=True, exist_ok=True)
    path = d / "commandcenter.log"
    root = logging.getLogger()
    root.setLevel(level)
    for h in list(root.handlers):
        if getattr(h, "_commandcenter", False):
            root.removeHandler(h)
    fh = logging.handlers.RotatingFileHandler(path, maxBytes=5_000_000, backupCount=5, encoding="utf-8")
    handlers: list[logging.Handler] = [fh]
    if console:
        handlers.append(logging.StreamHandler())
    for h in handlers:
        h.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
        h._commandcenter = True  # type: ignore[attr-defined]
        root.addHandler(h)
    return path
