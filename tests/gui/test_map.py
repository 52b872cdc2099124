"""The map dock in the main window: selection linking both ways, the hover tooltip, the
rectangle filter, "locate", and screenshots of the map at county and street zoom.

The workspace is the small test world with the demo county's real outlines written
into its org units (and the other demo townships and grids added), and cases placed
around the county seat.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("PySide6", reason="PySide6 is not installed (the 'gui' extra)")

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QImage
from sqlalchemy import insert, select, update

from commandcenter.domain.case import Command, new_id
from commandcenter.domain.enums import CommandType as C
from commandcenter.domain.enums import Priority, Severity
from commandcenter.gui.app import make_main_window
from commandcenter.gui.map.link import MapLink
from commandcenter.gui.views.main_window import MainWindow
from commandcenter.services.workspace import Workspace
from commandcenter.sim.geometry import DemoGeometry, build_demo_geometry
from commandcenter.store import schema as t
from commandcenter.store.engine import write_tx
from tests.conftest import GRIDDER, OPERATOR, T1, make_workspace

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

SEAT = (119.6912, 29.7975)  # the county seat (桐君街道)


@pytest.fixture(scope="module")
def demo_geo() -> DemoGeometry:
    return build_demo_geometry()


def _write_demo_outlines(ws: Workspace, geo: DemoGeometry) -> None:
    o = t.org_units.c
    with write_tx(ws.engine) as conn:
        have = {r[0] for r in conn.execute(select(o.code))}
        for u in geo.units():
            values = {
                "geometry": json.dumps(u.geometry, separators=(",", ":")),
                "centroid_lon": u.centroid[0], "centroid_lat": u.centroid[1], "area_km2": u.area_km2,
            }
            if u.code in have:
                conn.execute(update(t.org_units).where(o.code == u.code).values(**values))
            else:
                conn.execute(insert(t.org_units).values(code=u.code, name=u.name, level=u.level,
                                                        parent_code=u.parent_code, **values))


@pytest.fixture
def map_ws(tmp_path: Path, clock, demo_geo: DemoGeometry) -> Iterator[Workspace]:  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path / "map.db", clock, n_cases=0)
    _write_demo_outlines(ws, demo_geo)
    ws.reload_reference()
    rng = np.random.default_rng(5)
    for i in range(30):
        grid = None
        while grid is None or not grid.startswith(T1):  # in the operator's township
            lon = SEAT[0] + float(rng.uniform(-0.012, 0.012))
            lat = SEAT[1] + float(rng.uniform(-0.01, 0.01))
            grid = demo_geo.locate_grid(lon, lat)
        payload = {
            "title": f"地图测试事件{i + 1}", "grid_code": grid, "category_code": "0101",
            "address": f"迎春南路{i + 1}号", "lon": lon, "lat": lat,
            "priority": (Priority.NORMAL, Priority.URGENT, Priority.CRITICAL)[i % 3].value,
            "severity": (Severity.ORDINARY, Severity.MAJOR)[i % 2].value,
            "reporter_name": "李四", "reporter_phone": "13912345678",
        }
        assert ws.commands.apply(Command(C.CREATE, new_id(), GRIDDER, payload)).ok
    yield ws
    ws.close()


@pytest.fixture
def window(qtbot, map_ws: Workspace) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = make_main_window(map_ws, OPERATOR, theme="light")
    qtbot.addWidget(w)
    w.resize(1920, 1080)
    w.show()
    qtbot.waitExposed(w)
    w.ui.setTabs.setCurrentIndex(0)  # 待受理: the new cases
    link = _link(w)
    qtbot.waitUntil(lambda: len(link.map.incidents.points) == 30, timeout=5000)
    yield w
    w.close()


def _link(w: MainWindow) -> MapLink:
    link = w.map_link
    assert isinstance(link, MapLink)
    return link


def _view_pos(link: MapLink, lon: float, lat: float) -> QPoint:
    x, y = link.map.project_one(lon, lat)
    return link.map.view.mapFromScene(link.map.vb.mapViewToScene(QPointF(x, y)))


def test_queue_selection_centres_and_highlights(qtbot, window: MainWindow, map_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    link = _link(window)
    ids = window.model.case_ids()
    assert len(ids) == 30
    case = map_ws.case(ids[7])
    assert case is not None and case.lon is not None and case.lat is not None
    assert window.select_case(case.id)
    assert link.map.selected_case_id == case.id
    x, y = link.map.project_one(case.lon, case.lat)
    centre = link.map.vb.viewRect().center()
    assert abs(centre.x() - x) < 1.0 and abs(centre.y() - y) < 1.0
    assert link.map.incidents.selected_xy == pytest.approx((x, y))


def test_click_on_a_point_selects_the_case(qtbot, window: MainWindow, map_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    link = _link(window)
    ids = window.model.case_ids()
    target = map_ws.case(ids[3])
    assert target is not None and target.lon is not None and target.lat is not None
    x, y = link.map.project_one(target.lon, target.lat)
    link.map.center_on(x, y, 2.0)  # street zoom: every symbol apart
    link.map.view.repaint()
    pos = _view_pos(link, target.lon, target.lat)
    with qtbot.waitSignal(link.map.sig_case_clicked, timeout=3000) as sig:
        qtbot.mouseClick(link.map.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert sig.args == [target.id]
    assert window.selected_case_id == target.id
    assert target.code in window.ui.caseDetail.toPlainText()
    # and the hover tooltip of that point
    text = link.tooltip_text(target.id)
    assert text is not None and target.code in text and "待受理" in text


def test_rectangle_filters_the_queue(qtbot, window: MainWindow, map_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    link = _link(window)
    cases = [map_ws.case(cid) for cid in window.model.case_ids()]
    west, south, east, north = SEAT[0] - 0.02, SEAT[1] - 0.02, SEAT[0] + 0.001, SEAT[1] + 0.02
    expected = {c.id for c in cases if c is not None and west <= c.lon <= east and south <= c.lat <= north}  # type: ignore[operator]
    assert 0 < len(expected) < 30
    x0, y0 = link.map.project_one(west, south)
    x1, y1 = link.map.project_one(east, north)
    with qtbot.waitSignal(window.model.sig_refreshed, timeout=3000):
        link.map.vb.sig_rect.emit(QRectF(x0, y0, x1 - x0, y1 - y0))  # what Shift+drag announces
    assert window.map_bbox is not None
    assert set(window.model.case_ids()) == expected
    qtbot.waitUntil(lambda: len(link.map.incidents.points) == len(expected), timeout=5000)
    with qtbot.waitSignal(window.model.sig_refreshed, timeout=3000):
        link.map.clearRectButton.click()
    assert window.map_bbox is None
    assert len(window.model.case_ids()) == 30


def test_locate_action_shows_and_centres(qtbot, window: MainWindow, map_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    link = _link(window)
    link.dock.hide()
    cid = window.model.case_ids()[5]
    assert window.select_case(cid)
    link.actionLocate.trigger()
    assert link.dock.isVisible()
    case = map_ws.case(cid)
    assert case is not None and case.lon is not None and case.lat is not None
    x, y = link.map.project_one(case.lon, case.lat)
    centre = link.map.vb.viewRect().center()
    assert abs(centre.x() - x) < 1.0 and abs(centre.y() - y) < 1.0
    assert link.map.m_per_px() <= 40


def _render(link: MapLink, qtbot, path: Path) -> QImage:  # type: ignore[no-untyped-def]
    link.map.set_force_complete(True)
    try:
        img = link.map.grab()
    finally:
        link.map.set_force_complete(False)
    assert img.save(str(path))
    out = QImage(str(path))
    assert out.width() > 800 and out.height() > 300
    small = out.scaled(160, 60)
    colours = {small.pixel(x, y) for x in range(small.width()) for y in range(small.height())}
    assert len(colours) > 30, "the map is blank"
    return out


def test_screenshots_county_and_street_zoom(qtbot, window: MainWindow, map_ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    link = _link(window)
    link.map.fit_county()
    county = _render(link, qtbot, tmp_path / "map_county.png")
    x, y = link.map.project_one(*SEAT)
    link.map.center_on(x, y, 3.0)
    assert link.map.m_per_px() == pytest.approx(3.0, rel=0.05)
    street = _render(link, qtbot, tmp_path / "map_street.png")
    assert county != street
    assert window.grab().save(str(tmp_path / "main_window_with_map.png"))


# --- the widget alone -------------------------------------------------------------------------


class _Source:
    """A tile source stub: no tiles, a datum and bounds."""

    minzoom, maxzoom = 9, 14

    def __init__(self, datum: str) -> None:
        self.datum = datum
        self.bounds = (119.1, 29.5, 120.0, 30.2)

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        return None


def test_gcj02_basemap_shifts_the_data_and_the_cursor_reads_wgs84(qtbot, demo_geo: DemoGeometry) -> None:  # type: ignore[no-untyped-def]
    from commandcenter.geo.transform import haversine_m, lonlat_to_mercator, wgs84_to_gcj02
    from commandcenter.gui.map.widget import MapWidget
    from commandcenter.services.mapdata import OrgShape

    m = MapWidget()
    qtbot.addWidget(m)
    m.resize(900, 600)
    m.show()
    qtbot.waitExposed(m)
    m.set_org([OrgShape(u.code, u.name, u.level, u.parent_code, u.geometry) for u in demo_geo.units()
               if u.level in ("county", "township", "grid")])
    assert m.project_one(*SEAT) == pytest.approx(lonlat_to_mercator(*SEAT))
    m.set_basemap(_Source("GCJ-02"))
    assert m.datum == "GCJ-02"
    assert m.project_one(*SEAT) == pytest.approx(lonlat_to_mercator(*wgs84_to_gcj02(*SEAT)))
    assert haversine_m(*SEAT, *m.unproject_one(*m.project_one(*SEAT))) < 0.01
    # the outlines moved with it (~500 m east here)
    grids = m.vector.polygons("grids")
    assert grids is not None
    x0 = grids.extent[0]
    m.set_basemap(_Source("WGS-84"))
    grids_wgs = m.vector.polygons("grids")
    assert grids_wgs is not None and 300 < x0 - grids_wgs.extent[0] < 700
    # the cursor read-out is WGS-84 lon/lat
    x, y = m.project_one(*SEAT)
    m.center_on(x, y, 20.0)
    pos = m.view.mapFromScene(m.vb.mapViewToScene(QPointF(x, y)))
    m._on_mouse_moved(m.view.mapToScene(pos))
    assert "119.691" in m.coordLabel.text() and "29.79" in m.coordLabel.text() and "WGS-84" in m.coordLabel.text()


def test_zoom_limits_and_fit(qtbot, demo_geo: DemoGeometry) -> None:  # type: ignore[no-untyped-def]
    from commandcenter.gui.map.widget import MIN_RANGE_M, MapWidget
    from commandcenter.services.mapdata import OrgShape

    m = MapWidget()
    qtbot.addWidget(m)
    m.resize(900, 600)
    m.show()
    qtbot.waitExposed(m)
    m.set_org([OrgShape(u.code, u.name, u.level, u.parent_code, u.geometry) for u in demo_geo.units()
               if u.level in ("county", "township")])
    county = m.data_rect()
    m.fit_county()
    view = m.vb.viewRect()
    assert view.contains(county) and view.width() < county.width() * 1.6 + 1
    m.vb.scaleBy((100.0, 100.0))  # far out: held at three times the county
    side = max(county.width(), county.height())
    assert m.vb.viewRect().width() <= side * 3.01 and m.vb.viewRect().height() <= side * 3.01
    m.vb.scaleBy((1e-6, 1e-6))  # far in: held at MIN_RANGE_M
    assert min(m.vb.viewRect().width(), m.vb.viewRect().height()) >= MIN_RANGE_M * 0.99
    length, label = m.overlay.scale_bar()
    assert 40 < length <= 125 and label.endswith("m")


def test_demo_basemap_renderer_writes_valid_tiles(qtbot, demo_geo: DemoGeometry, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from commandcenter.geo.mbtiles import MBTiles, check_mbtiles
    from commandcenter.geo.tiles import tile_of_m
    from commandcenter.geo.transform import lonlat_to_mercator
    from commandcenter.gui.map.basemap_render import build_demo_basemap

    out = tmp_path / "demo.mbtiles"
    n = build_demo_basemap(out, zooms=(9, 10), geo=demo_geo)
    assert n > 4 and check_mbtiles(out) == []
    with MBTiles(out) as mb:
        assert (mb.minzoom, mb.maxzoom, mb.datum) == (9, 10, "WGS-84")
        data = mb.tile(10, *tile_of_m(10, *lonlat_to_mercator(*SEAT)))
    assert data is not None
    img = QImage.fromData(data)
    assert (img.width(), img.height()) == (256, 256)
    small = img.scaled(32, 32)
    assert len({small.pixel(x, y) for x in range(32) for y in range(32)}) > 5  # land, water, roads


def test_online_xyz_basemap_is_fetched_cached_and_drawn(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from commandcenter.geo.tilecache import CachedTileSource
    from commandcenter.geo.tiles import tile_of_m

    link = _link(window)
    x, y = link.map.project_one(*SEAT)
    z = 12
    tx, ty = tile_of_m(z, x, y)
    server = tmp_path / "server"
    red = QImage(256, 256, QImage.Format.Format_RGB32)
    red.fill(0xFFFF0000)
    for dx in range(-12, 13):  # every tile the view asks for: a miss would mean "offline"
        for dy in range(-8, 9):
            (server / str(z) / str(tx + dx)).mkdir(parents=True, exist_ok=True)
            assert red.save(str(server / str(z) / str(tx + dx) / f"{ty + dy}.png"))
    src = CachedTileSource(server.as_uri() + "/{z}/{x}/{y}.png", tmp_path / "cache", max_zoom=z)
    link.set_basemap(src)
    assert link.fetcher is not None and link.map.basemap is not None
    link.map.center_on(x, y, 40.0)  # tile zoom 12
    link.map.view.viewport().repaint()  # asks for the tiles it lacks
    qtbot.waitUntil(lambda: src.cached(z, tx, ty) is not None, timeout=5000)
    layer = link.map.basemap
    vp = link.map.view.viewport()

    def drawn() -> bool:  # the arrival invalidated the layer and the tile was drawn from the cache
        vp.repaint()
        return layer._cache.get((z, tx, ty)) is not None

    qtbot.waitUntil(drawn, timeout=5000)
    link.map.set_force_complete(True)
    img = link.map.view.grab().toImage()
    link.map.set_force_complete(False)
    img.save(str(tmp_path / "online_basemap.png"))
    c = img.pixelColor(img.width() // 2, img.height() // 2 + 40)
    assert c.red() > c.green() + 60  # the red tiles are under the data
