"""Where the shipped resources (data, translations, styles) live."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
DATA = RESOURCES / "data"


def data_path(*parts: str) -> Path:
    return DATA.joinpath(*parts)
