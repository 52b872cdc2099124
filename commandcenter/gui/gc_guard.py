"""Python's cyclic garbage collector, run on the GUI thread only.

The collector runs in whichever thread happens to allocate past the threshold. When
that is a worker thread (the tab counts, the map's point loader, the sync worker) and
the garbage holds a Qt wrapper, the QObject is destroyed on that thread: its
destructor takes Qt's locks and then waits for the GIL, while the GUI thread holds
the GIL and waits for the same lock. The process hangs (seen in the test suite).

So automatic collection is switched off and a timer on the GUI thread collects, by
generation, when the allocation counts pass the usual thresholds. Reference counting
still frees everything that is not in a cycle at once, in any thread.

    install(app)        # once, right after the QApplication exists
"""

from __future__ import annotations

import gc
import logging

from PySide6.QtCore import QCoreApplication, QObject, QTimer

log = logging.getLogger(__name__)

INTERVAL_MS = 250


class MainThreadCollector(QObject):
    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect)
        self._timer.start()

    def collect(self) -> None:
        l0, l1, l2 = gc.get_count()
        t0, t1, t2 = self.threshold
        if l0 > t0:
            gen = 0
            if l1 > t1:
                gen = 1
                if l2 > t2:
                    gen = 2
            gc.collect(gen)


def install(app: QCoreApplication) -> MainThreadCollector:
    """Switch automatic collection off and collect on ``app``'s thread (idempotent)."""
    existing = app.findChild(MainThreadCollector)
    if isinstance(existing, MainThreadCollector):
        return existing
    collector = MainThreadCollector(app)
    collector.setObjectName("mainThreadCollector")
    log.debug("garbage collection moved to the GUI thread")
    return collector
