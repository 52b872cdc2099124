"""Python's cyclic GC runs on the GUI thread only (gui/gc_guard.py): a cycle holding a Qt
wrapper collected on a worker thread once hung the suite (QObject destructor on the
worker waiting for the GIL, the GUI thread waiting for the destructor's lock)."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject

from commandcenter.gui import gc_guard
from commandcenter.gui.app import configure_application


class Holder:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it
        self.obj = QObject()


def test_configured_application_collects_cycles_on_the_gui_thread(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    configure_application(qapp)
    assert not gc.isenabled()
    collector = qapp.findChild(gc_guard.MainThreadCollector)
    assert collector is not None and gc_guard.install(qapp) is collector  # idempotent
    refs: list[weakref.ref[Holder]] = []
    collected_on: list[str] = []
    junk: list[list[int]] = []

    def make_garbage() -> None:  # on a worker thread, as the background readers do
        for _ in range(50):
            h = Holder()
            weakref.finalize(h, lambda: collected_on.append(threading.current_thread().name))
            refs.append(weakref.ref(h))
            del h
        junk.extend([i] for i in range(5000))  # allocations past the collector's threshold (kept:
        # a freed allocation counts back down)

    worker = threading.Thread(target=make_garbage, name="bg-reader")
    worker.start()
    worker.join()
    assert any(r() is not None for r in refs)  # nothing collected on the worker
    qtbot.waitUntil(lambda: all(r() is None for r in refs), timeout=5000)
    assert set(collected_on) == {threading.main_thread().name}
    junk.clear()
