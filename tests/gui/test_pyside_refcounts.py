"""Guard against the PySide6 6.12.0 regression on Python 3.11.

PySide6 6.12.0 mis-counts references to ``None`` and ``True`` on some call paths
(signal emission into Python slots, methods returning ``None``, void model
methods): each call drops a reference it never took.  On Python 3.11 ``None`` and
``True`` are ordinary refcounted objects, so after enough calls the interpreter
aborts with ``Fatal Python error: none_dealloc`` — long after the guilty call.
That is why pyproject pins ``PySide6-Essentials>=6.11.3,<6.12`` (DESIGN.md section 5).

These tests (a) check the installed version is inside the pin and (b) run each
suspicious call path many times and check that the reference counts of ``None``
and ``True`` did not drop.  On Python 3.12+ ``None``/``True`` are immortal, their
counts cannot drop and ``sys.getrefcount`` reports a constant, so there (b) only
proves the calls work and the process survives; on 3.11 it is the real check.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from typing import Any

import pytest

pytest.importorskip("PySide6", reason="PySide6 is not installed (the 'gui' extra)")

import PySide6
import shiboken6
from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QWidget

MIN_VERSION = (6, 11, 3)
MAX_VERSION_EXCLUSIVE = (6, 12)
ITERATIONS = 20_000
# Unrelated allocations may shift the counts a little; the bug shifts them by
# about one per call, i.e. by thousands here.
SLACK = 100
IMMORTAL_SINGLETONS = sys.version_info >= (3, 12)


def _version(info: tuple[Any, ...]) -> tuple[int, ...]:
    return tuple(int(part) for part in info[:3])


def test_pyside6_version_is_inside_the_pin() -> None:
    pinned = "PySide6-Essentials>=6.11.3,<6.12"
    why = (
        "PySide6 6.12.0 on Python 3.11 miscounts references to None/True and later aborts "
        "with 'Fatal Python error: none_dealloc'. Reinstall with scripts/start or "
        "`.venv/bin/pip install -e '.[gui,test,dev]'`."
    )
    for name, module in (("PySide6", PySide6), ("shiboken6", shiboken6)):
        version = _version(module.__version_info__)
        assert MIN_VERSION <= version < MAX_VERSION_EXCLUSIVE, (
            f"{name} {module.__version__} is installed but CommandCenter pins {pinned}. {why}"
        )


# --- the call paths --------------------------------------------------------------


class _Emitter(QObject):
    bare = Signal()
    obj = Signal(object)
    flag = Signal(bool)


class _Receiver(QObject):
    """Counts calls without keeping references to the values it receives."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self.wrong = 0

    @Slot()
    def on_bare(self) -> None:
        self.calls += 1

    @Slot(object)
    def on_obj(self, value: object) -> None:
        self.calls += 1
        if value is not None:
            self.wrong += 1

    @Slot(bool)
    def on_flag(self, value: bool) -> None:
        self.calls += 1
        if value is not True:
            self.wrong += 1


class _PlainCounter:
    """A plain Python callable slot (not a QObject, no @Slot)."""

    def __init__(self) -> None:
        self.calls = 0
        self.wrong = 0

    def bare(self) -> None:
        self.calls += 1

    def obj(self, value: object) -> None:
        self.calls += 1
        if value is not None:
            self.wrong += 1

    def flag(self, value: bool) -> None:
        self.calls += 1
        if value is not True:
            self.wrong += 1


class _ListModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows = 0

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else self.rows

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if role == int(Qt.ItemDataRole.DisplayRole) and index.isValid():
            return index.row()
        return None


# Each case sets up its objects and returns (run, verify): ``run(n)`` performs the
# call path n times; ``verify(n)`` checks that it really did what it should.
Case = Callable[[], tuple[Callable[[int], None], Callable[[int], None]]]


def _signal_case(signal_name: str, value: tuple[object, ...]) -> Case:
    def setup() -> tuple[Callable[[int], None], Callable[[int], None]]:
        emitter, receiver, plain = _Emitter(), _Receiver(), _PlainCounter()
        signal = getattr(emitter, signal_name)
        signal.connect(getattr(receiver, f"on_{signal_name}"))
        signal.connect(getattr(plain, signal_name))

        def run(n: int) -> None:
            emit = signal.emit
            for _ in range(n):
                emit(*value)

        def verify(n: int) -> None:
            # keep the emitter alive until here
            assert emitter.signalsBlocked() is False
            assert receiver.calls == n and receiver.wrong == 0
            assert plain.calls == n and plain.wrong == 0

        return run, verify

    return setup


def _widget_parent_case() -> tuple[Callable[[int], None], Callable[[int], None]]:
    widget = QWidget()
    wrong = 0

    def run(n: int) -> None:
        nonlocal wrong
        parent = widget.parent
        for _ in range(n):
            if parent() is not None:
                wrong += 1

    def verify(n: int) -> None:
        assert wrong == 0
        assert widget.parent() is None

    return run, verify


def _model_insert_rows_case() -> tuple[Callable[[int], None], Callable[[int], None]]:
    model = _ListModel()
    root = QModelIndex()
    inserted = 0
    model.rowsInserted.connect(lambda *_: None)

    def run(n: int) -> None:
        nonlocal inserted
        for _ in range(n):
            model.beginInsertRows(root, 0, 0)
            model.rows += 1
            model.endInsertRows()
            inserted += 1

    def verify(n: int) -> None:
        assert inserted == n
        assert model.rowCount() == n

    return run, verify


CASES: dict[str, Case] = {
    "Signal()-emit": _signal_case("bare", ()),
    "Signal(object)-emit-None": _signal_case("obj", (None,)),
    "Signal(bool)-emit-True": _signal_case("flag", (True,)),
    "QWidget.parent()-is-None": _widget_parent_case,
    "beginInsertRows/endInsertRows": _model_insert_rows_case,
}


def _counts() -> tuple[int, int]:
    return sys.getrefcount(None), sys.getrefcount(True)


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_refcounts_of_none_and_true_do_not_drop(qapp: object, case: Case) -> None:
    run, verify = case()
    run(100)  # warm up: first calls may cache signatures, create wrappers, ...
    gc.collect()
    none_before, true_before = _counts()

    run(ITERATIONS)

    gc.collect()
    none_after, true_after = _counts()
    verify(ITERATIONS + 100)

    if IMMORTAL_SINGLETONS:
        # Immortal objects: the count cannot drop (and is reported as a constant).
        assert none_after >= none_before and true_after >= true_before
        return
    assert none_after >= none_before - SLACK, (
        f"refcount of None dropped by {none_before - none_after} over {ITERATIONS} calls "
        f"(PySide6 {PySide6.__version__}, Python {sys.version.split()[0]}): this PySide6 "
        "mis-counts None and will abort with none_dealloc; keep PySide6-Essentials<6.12"
    )
    assert true_after >= true_before - SLACK, (
        f"refcount of True dropped by {true_before - true_after} over {ITERATIONS} calls "
        f"(PySide6 {PySide6.__version__}, Python {sys.version.split()[0]}): this PySide6 "
        "mis-counts True; keep PySide6-Essentials<6.12"
    )
