"""Shared set-up for the pytest-qt widget tests: headless, and marked ``gui``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before anything creates a QApplication: render offscreen unless told otherwise
# (scripts/test sets the same default; an explicit QT_QPA_PLATFORM=xcb still wins).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees every collected item of the session, so only mark ours.
    for item in items:
        if Path(item.path).resolve().is_relative_to(_HERE):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session", autouse=True)
def _collect_garbage_on_the_gui_thread(qapp):  # type: ignore[no-untyped-def]
    """As the application does (gui/gc_guard.py): a cycle holding a Qt wrapper collected on
    a worker thread deadlocks against the GUI thread."""
    from commandcenter.gui import gc_guard

    gc_guard.install(qapp)
    yield
