"""导入地图数据: check with progress, a clear error per bad input, import in one go."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("PySide6", reason="PySide6 is not installed (the 'gui' extra)")

from commandcenter.geo.mbtiles import write_mbtiles
from commandcenter.gui.map.import_dialog import MapImportDialog
from commandcenter.services.workspace import Workspace
from tests.unit.test_map_import import GOOD, VILLAGE, fc, square

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")


def _dialog(qtbot, ws: Workspace) -> MapImportDialog:  # type: ignore[no-untyped-def]
    d = MapImportDialog(ws)
    qtbot.addWidget(d)
    d.show()
    return d


def _check(qtbot, d: MapImportDialog) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(d.sig_checked, timeout=10_000):
        d.checkButton.click()
    qtbot.waitUntil(lambda: d.checkButton.isEnabled(), timeout=5000)


def test_good_grids_are_checked_then_imported(qtbot, workspace: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "grids.geojson"
    path.write_text(json.dumps(GOOD, ensure_ascii=False), encoding="utf-8")
    d = _dialog(qtbot, workspace)
    d.set_input(path, "grids", "WGS-84")
    assert not d.importButton.isEnabled()
    _check(qtbot, d)
    assert "检查通过" in d.report.toPlainText()
    assert d.progress.value() == d.progress.maximum()
    assert d.importButton.isEnabled()
    with qtbot.waitSignal(d.sig_units_imported, timeout=5000) as sig:
        d.importButton.click()
    assert sig.args == [3]
    assert workspace.ref.org_units[VILLAGE + "002"].name == "白云社区第2网格"


def test_a_broken_file_lists_every_problem_and_imports_nothing(qtbot, workspace: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = fc(({"code": "330122009009001", "name": "x"}, square(0)), ({"name": "y"}, square(1)))
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    d = _dialog(qtbot, workspace)
    d.set_input(path, "grids", "GCJ-02")
    _check(qtbot, d)
    text = d.report.toPlainText()
    assert "发现 2 处问题" in text and "未知编码" in text and "缺少编码" in text
    assert not d.importButton.isEnabled()
    assert not d.apply()


def test_mbtiles_are_checked(qtbot, workspace: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "junk.mbtiles"
    junk.write_bytes(b"not a database" * 50)
    d = _dialog(qtbot, workspace)
    d.set_input(junk, "mbtiles")
    _check(qtbot, d)
    assert "不可用" in d.report.toPlainText() and not d.importButton.isEnabled()
    good = tmp_path / "good.mbtiles"
    write_mbtiles(good, [(1, 0, 0, b"\x89PNG\r\n\x1a\n....")], {"name": "g", "format": "png"})
    d.set_input(good, "mbtiles", "GCJ-02")
    _check(qtbot, d)
    assert d.importButton.isEnabled()
    with qtbot.waitSignal(d.sig_basemap_chosen, timeout=3000) as sig:
        d.importButton.click()
    assert sig.args == [str(good), "GCJ-02"]
