"""The queue model pages: the first 500 rows, then a page more each time the user scrolls
to the bottom (keyset paging in SQL), while live changes keep updating the loaded rows in
place -- on page 2 as on page 1, with no model reset and the selection kept."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

pytest.importorskip("PySide6", reason="PySide6 is not installed (the 'gui' extra)")

from PySide6.QtCore import QModelIndex, QPoint, Qt
from sqlalchemy import select

from commandcenter.domain.case import Command, new_id
from commandcenter.domain.enums import CommandType as C
from commandcenter.gui.app import make_main_window
from commandcenter.gui.models.queue_model import (
    BACKGROUND_ROLE,
    COL_CODE,
    COL_STATUS,
    COL_TITLE,
    COLUMN_COUNT,
    SLA_ROLE,
    QueueModel,
)
from commandcenter.gui.views.main_window import MainWindow
from commandcenter.services import queries
from commandcenter.services.queries import QueueFilter
from commandcenter.services.workspace import Workspace
from commandcenter.store import repo
from commandcenter.store import schema as t
from commandcenter.store.engine import write_tx
from tests.conftest import GRID1, GRIDDER, OPERATOR, SUPERVISOR, T1, make_workspace

N_CASES = 1200
PAGE = 500
MIDDLE = 600  # the clones' deadlines are spread around the first case's: it sorts about here
_DEPTS = ("D-330122001-enforcement", "D-330122001-governance", "D-330122-police")


def _clone_cases(ws: Workspace, n: int) -> None:
    """n more reported cases of T1, bulk-inserted as copies of the one case in the store.

    Clone i's stage deadline is the original's + (i - MIDDLE) minutes + 30 s (no ties with
    it); a third of them have a department and every fifth no category, so the nullable
    sort keys have NULLs and values."""
    with write_tx(ws.engine) as conn:
        base = dict(conn.execute(select(t.cases)).mappings().one())
        deadline = base["stage_deadline"]
        rows = []
        for i in range(n):
            d = deadline + (i - MIDDLE) * 60 + 30
            rows.append({
                **base,
                "id": new_id(),
                "code": f"{base['code']}-{i:04d}",
                "title": f"批量事件{i:04d}",
                "address": f"白云路{i}号",
                "stage_deadline": d,
                "due_soon_at": d - 600,
                "department_code": _DEPTS[i % 3] if i % 3 == 0 else None,
                "category_code": None if i % 5 == 0 else base["category_code"],
            })
        repo.bulk_insert_cases(conn, rows)


@pytest.fixture
def big(tmp_path, clock) -> Iterator[Workspace]:  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path / "cc.db", clock, n_cases=1)
    _clone_cases(ws, N_CASES - 1)
    yield ws
    ws.close()


@pytest.fixture
def window(qtbot, big: Workspace) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = make_main_window(big, OPERATOR)
    qtbot.addWidget(w)
    w.resize(1600, 900)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


class _Recorder:
    """A slot that records every emission (for signals that must not fire)."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, *args: Any) -> None:
        self.calls.append(args)


def _in_thread(fn: Callable[[], Any]) -> Any:
    """Run fn on a plain thread, as the simulator and the sync worker do."""
    out: list[Any] = []
    th = threading.Thread(target=lambda: out.append(fn()), name="test-writer")
    th.start()
    th.join()
    return out[0]


def _expected_ids(ws: Workspace, f: QueueFilter) -> list[str]:
    with ws.read() as conn:
        return [r["id"] for r in queries.queue_page(conn, f, ws.now(), limit=10 * N_CASES)]


def _scroll_to_bottom(qtbot, w: MainWindow, rows: int) -> None:  # type: ignore[no-untyped-def]
    """Scroll to the end (Ctrl+End or the scroll bar dragged down); wait for the next page."""
    view = w.ui.queueView
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0)
    view.scrollToBottom()  # lays out pending rows first, then sets the scroll bar to its maximum
    qtbot.waitUntil(lambda: w.model.rowCount() == rows, timeout=5000)


def _selected_ids(w: MainWindow) -> list[str]:
    return [w.model.case_id(ix.row()) or "" for ix in w.ui.queueView.selectionModel().selectedRows()]


def _top_case(w: MainWindow) -> str | None:
    index = w.ui.queueView.indexAt(QPoint(1, 1))
    return w.model.case_id(index.row()) if index.isValid() else None


def test_first_page_then_a_page_more_at_each_scroll_to_the_bottom(qtbot, window: MainWindow, big) -> None:  # type: ignore[no-untyped-def]
    model = window.model
    expected = _expected_ids(big, model.filter)
    assert len(expected) == N_CASES
    assert model.rowCount() == PAGE and model.limit == PAGE
    assert model.more and model.canFetchMore(QModelIndex())
    assert model.case_ids() == expected[:PAGE]
    qtbot.waitUntil(lambda: window.ui.queueInfoLabel.text() == f"显示前 {PAGE} 条，共 {N_CASES} 条")
    resets = _Recorder()
    model.modelAboutToBeReset.connect(resets)

    _scroll_to_bottom(qtbot, window, 2 * PAGE)
    assert model.case_ids() == expected[: 2 * PAGE]
    assert model.more
    qtbot.waitUntil(lambda: window.ui.queueInfoLabel.text() == f"显示前 {2 * PAGE} 条，共 {N_CASES} 条")

    _scroll_to_bottom(qtbot, window, N_CASES)
    assert model.case_ids() == expected  # in order, none twice, none missing
    assert not model.more and not model.canFetchMore(QModelIndex())
    qtbot.waitUntil(lambda: window.ui.queueInfoLabel.text() == f"共 {N_CASES} 条")
    assert resets.calls == []  # fetching appends rows; only a filter change resets
    model.fetchMore(QModelIndex())  # nothing more: a no-op
    assert model.rowCount() == N_CASES


def test_a_live_change_on_page_two_updates_the_row_in_place(qtbot, window: MainWindow, big) -> None:  # type: ignore[no-untyped-def]
    model = window.model
    _scroll_to_bottom(qtbot, window, 2 * PAGE)
    ids = model.case_ids()
    target = ids[700]
    assert window.select_case(target)
    bar = window.ui.queueView.verticalScrollBar()
    scroll, top = bar.value(), _top_case(window)
    assert scroll > 0 and top is not None

    resets, layouts = _Recorder(), _Recorder()
    removed, inserted, moved = _Recorder(), _Recorder(), _Recorder()
    model.modelAboutToBeReset.connect(resets)
    model.layoutAboutToBeChanged.connect(layouts)
    model.rowsRemoved.connect(removed)
    model.rowsInserted.connect(inserted)
    model.rowsMoved.connect(moved)
    changed_rows: list[int] = []
    model.dataChanged.connect(lambda tl, br, *_: changed_rows.extend(range(tl.row(), br.row() + 1)))

    with qtbot.waitSignal(model.sig_refreshed, timeout=5000):
        out = _in_thread(lambda: big.commands.apply(Command(C.SUPERVISE, target, SUPERVISOR, {"opinion": "请尽快受理"})))
    assert out.ok, out.reason
    qtbot.waitUntil(lambda: "督办" in model.data(model.index(700, COL_STATUS)), timeout=5000)

    assert model.data(model.index(700, COL_STATUS)) == "待受理 · 督办"
    assert model.case_ids() == ids and model.row_of(target) == 700  # in place, the window kept
    assert changed_rows == [700]  # that row only
    assert resets.calls == layouts.calls == removed.calls == inserted.calls == moved.calls == []
    assert _selected_ids(window) == [target]  # the selection survived
    assert bar.value() == scroll and _top_case(window) == top  # and the scroll position

    # a refresh with nothing changed (the countdown tick) emits nothing and keeps it all
    changed_rows.clear()
    window.refresh(reload_detail=True)
    assert changed_rows == [] and model.case_ids() == ids
    assert _selected_ids(window) == [target] and bar.value() == scroll


def test_arrivals_and_departures_on_page_two_keep_the_selection(qtbot, window: MainWindow, big) -> None:  # type: ignore[no-untyped-def]
    model = window.model
    _scroll_to_bottom(qtbot, window, 2 * PAGE)
    selected = model.case_ids()[800]
    assert window.select_case(selected)
    top = _top_case(window)
    resets = _Recorder()
    model.modelAboutToBeReset.connect(resets)

    # a new report: its deadline is the first case's, so it lands on page 2 (about row 600)
    cmd = Command(C.CREATE, new_id(), GRIDDER, {"title": "新上报：占道经营", "grid_code": GRID1,
                                                "category_code": "0101", "address": "白云路1号"})
    with qtbot.waitSignal(model.rowsInserted, timeout=5000) as inserted:
        out = _in_thread(lambda: big.commands.apply(cmd))
    assert out.ok, out.reason
    first, last = inserted.args[1], inserted.args[2]
    assert first == last == model.row_of(cmd.case_id)
    assert PAGE <= first < 2 * PAGE
    assert model.rowCount() == 2 * PAGE + 1
    assert model.case_ids() == _expected_ids(big, model.filter)[: 2 * PAGE + 1]
    assert _selected_ids(window) == [selected] and model.row_of(selected) == 801

    # a case on page 2 is accepted: it leaves the 待受理 tab
    gone = model.case_ids()[650]
    with qtbot.waitSignal(model.rowsRemoved, timeout=5000):
        out = _in_thread(lambda: big.commands.apply(Command(C.ACCEPT, gone, OPERATOR, {"opinion": "受理"})))
    assert out.ok, out.reason
    assert model.row_of(gone) == -1 and model.rowCount() == 2 * PAGE
    assert model.case_ids() == _expected_ids(big, model.filter)[: 2 * PAGE]
    assert _selected_ids(window) == [selected] and model.row_of(selected) == 800
    assert resets.calls == []
    assert _top_case(window) == top  # the rows under the reader's eyes did not jump


def test_a_refresh_keeps_to_the_loaded_window(qtbot, window: MainWindow, big) -> None:  # type: ignore[no-untyped-def]
    """A case that sorts after the loaded rows is not loaded by a refresh; the next page has it."""
    model = window.model
    assert model.rowCount() == PAGE
    first_page = model.case_ids()
    cmd = Command(C.CREATE, new_id(), GRIDDER, {"title": "排在第二页", "grid_code": GRID1,
                                                "category_code": "0101", "address": "白云路2号"})
    with qtbot.waitSignal(model.sig_refreshed, timeout=5000):
        assert _in_thread(lambda: big.commands.apply(cmd)).ok
    assert model.case_ids() == first_page and model.more
    qtbot.waitUntil(lambda: window.ui.queueInfoLabel.text() == f"显示前 {PAGE} 条，共 {N_CASES + 1} 条")

    _scroll_to_bottom(qtbot, window, 2 * PAGE)
    assert PAGE <= model.row_of(cmd.case_id) < 2 * PAGE
    assert model.case_ids() == _expected_ids(big, model.filter)[: 2 * PAGE]


def test_resorting_starts_again_from_the_first_page_in_the_new_order(qtbot, window: MainWindow, big) -> None:  # type: ignore[no-untyped-def]
    model = window.model
    _scroll_to_bottom(qtbot, window, 2 * PAGE)
    window.ui.queueView.horizontalHeader().setSortIndicator(COL_TITLE, Qt.SortOrder.DescendingOrder)
    assert model.filter.sort == "title" and model.filter.descending
    assert model.rowCount() == PAGE  # a new order is a new filter: back to one page
    expected = _expected_ids(big, model.filter)
    assert model.case_ids() == expected[:PAGE]
    titles = [model.data(model.index(r, COL_TITLE)) for r in range(PAGE)]
    assert titles == sorted(titles, reverse=True)
    _scroll_to_bottom(qtbot, window, 2 * PAGE)
    _scroll_to_bottom(qtbot, window, N_CASES)
    assert model.case_ids() == expected
    codes = [model.data(model.index(r, COL_CODE)) for r in range(N_CASES)]
    assert len(set(codes)) == N_CASES


def test_a_case_moving_far_down_is_one_row_move(qtbot, window: MainWindow, big) -> None:  # type: ignore[no-untyped-def]
    """Accepting a case gives it a new stage deadline: on 全部在办 (by deadline) its row moves
    down past hundreds of rows -- one rowsMoved, the selection goes with it."""
    model = window.model
    window.ui.setTabs.setCurrentIndex(8)  # 全部在办
    _scroll_to_bottom(qtbot, window, 2 * PAGE)
    target = model.case_ids()[10]
    assert window.select_case(target)
    moves, resets = _Recorder(), _Recorder()
    model.rowsMoved.connect(moves)
    model.modelAboutToBeReset.connect(resets)
    with qtbot.waitSignal(model.sig_refreshed, timeout=5000):
        assert _in_thread(lambda: big.commands.apply(Command(C.ACCEPT, target, OPERATOR, {"opinion": "受理", "category_code": "0101"}))).ok
    expected = _expected_ids(big, model.filter)[: 2 * PAGE]
    assert model.case_ids() == expected
    assert model.row_of(target) > 100  # it moved far
    assert len(moves.calls) == 1 and resets.calls == []
    assert _selected_ids(window) == [target]
    assert model.data(model.index(model.row_of(target), COL_STATUS)) == "待派遣"


def test_a_burst_of_live_changes_leaves_the_rows_a_full_refresh_would(qtbot, window: MainWindow, big) -> None:  # type: ignore[no-untyped-def]
    """The live path re-reads only the changed cases; a full re-query afterwards finds
    nothing left to change."""
    model = window.model
    window.ui.setTabs.setCurrentIndex(8)  # 全部在办
    _scroll_to_bottom(qtbot, window, 2 * PAGE)
    ids = model.case_ids()
    selected = ids[555]
    assert window.select_case(selected)
    rng = random.Random(3)
    cmds = []
    for cid in rng.sample([i for i in ids if i != selected], 80):
        kind = rng.choice((C.ACCEPT, C.REJECT, C.URGE, C.SUPERVISE, C.COMMENT))
        payload = {"opinion": "处理", "reason": "重复", "text": "备注", "category_code": "0101"}
        cmds.append(Command(kind, cid, SUPERVISOR if kind is C.SUPERVISE else OPERATOR, payload))
    for n in range(5):
        cmds.append(Command(C.CREATE, new_id(), GRIDDER, {"title": f"突发{n}", "grid_code": GRID1,
                                                          "category_code": "0101"}))
    resets, moved, inserted, removed = _Recorder(), _Recorder(), _Recorder(), _Recorder()
    model.modelAboutToBeReset.connect(resets)
    model.rowsMoved.connect(moved)
    model.rowsInserted.connect(inserted)
    model.rowsRemoved.connect(removed)
    with qtbot.waitSignal(model.sig_refreshed, timeout=5000):
        outcomes = _in_thread(lambda: big.commands.apply_many(cmds))
    assert sum(o.ok for o in outcomes) > 60
    assert resets.calls == [] and moved.calls and inserted.calls and removed.calls
    assert _selected_ids(window) == [selected]

    signals = _Recorder()
    for sig in (model.rowsInserted, model.rowsRemoved, model.rowsMoved, model.dataChanged, model.modelReset):
        sig.connect(signals)
    model.refresh()  # the full re-query of the loaded window
    assert signals.calls == []
    assert model.case_ids() == _expected_ids(big, model.filter)[: model.rowCount()]


def _cells(model: QueueModel) -> list[tuple[Any, ...]]:
    return [
        (
            *(model.data(model.index(r, col)) for col in range(COLUMN_COUNT)),
            model.data(model.index(r, 0), SLA_ROLE),
            model.data(model.index(r, 0), BACKGROUND_ROLE) is not None,
        )
        for r in range(model.rowCount())
    ]


def test_refreshed_rows_follow_the_clock_like_freshly_read_ones(qtbot, big, clock) -> None:  # type: ignore[no-untyped-def]
    """Rows kept across refreshes recompute their countdown and SLA state only when the clock
    reaches their next change; what they show is always what a fresh read shows."""
    model = QueueModel(big, limit=PAGE)
    model.set_filter(QueueFilter(centres=(T1,)))
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * PAGE
    changed: list[int] = []
    model.dataChanged.connect(lambda tl, br, *_: changed.extend(range(tl.row(), br.row() + 1)))
    for step in (1, 1, 28, 29, 1, 0.5, 59, 61, 600, 1800, 3 * 3600, 86400, 3 * 86400):
        clock.advance(seconds=step)
        before = _cells(model)
        changed.clear()
        model.refresh()
        after = _cells(model)
        fresh = QueueModel(big, limit=2 * PAGE)
        fresh.set_filter(model.filter)
        assert after == _cells(fresh), f"after +{step} s"
        # dataChanged for exactly the rows whose countdown or SLA state moved
        assert sorted(changed) == [r for r in range(2 * PAGE) if before[r] != after[r]], f"after +{step} s"
    model.refresh()
    changed.clear()
    model.refresh()  # the same instant: nothing moves
    assert changed == []


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", sorted(queries.SORT_KEYS))
def test_keyset_pages_cover_the_queue_once_in_order(big: Workspace, sort: str, descending: bool) -> None:
    """queue_page: pages chained by `after` give the whole ordered queue, NULL keys included,
    and `upto` gives back exactly the rows up to a position."""
    f = QueueFilter(centres=(T1,), sort=sort, descending=descending)
    now = big.now()
    with big.read() as conn:
        everything = queries.queue_page(conn, f, now, limit=10 * N_CASES)
        assert len(everything) == N_CASES
        pages: list[dict[str, Any]] = []
        after = None
        while True:
            page = queries.queue_page(conn, f, now, limit=97, after=after)
            if not page:
                break
            pages += page
            after = queries.queue_key(page[-1])
        assert [r["id"] for r in pages] == [r["id"] for r in everything]
        for end in (1, 96, 97, 450, N_CASES):
            upto = queries.queue_key(everything[end - 1])
            window = queries.queue_page(conn, f, now, limit=10 * N_CASES, upto=upto)
            assert [r["id"] for r in window] == [r["id"] for r in everything[:end]]
    keys = [queries.queue_key(r) for r in everything]
    assert len(set(keys)) == N_CASES  # a total order: no two rows at the same position
