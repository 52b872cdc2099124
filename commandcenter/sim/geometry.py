"""The demo county's org geometry: 桐庐县 divided into townships, villages and grids.

Only the county outline is real (see resources/data/demo/SOURCE.md). Everything inside
it is synthetic but plausible, and deterministic for a seed:

1. The county is cut into a few thousand small "atoms": the Voronoi cells of random
   points whose density follows a made-up population density (high around the county
   seat, a little higher around each township seat). The Voronoi edges and the outline
   are noded together once, snap-rounded to the 1e-6° grid the project stores
   coordinates on, and polygonised. So every atom has its vertices on that grid and
   neighbouring atoms share their edges exactly.
2. Townships grow from their real seats over the atoms' adjacency graph (a multi-source
   Dijkstra with a per-township speed, so the four urban 街道 stay small); villages and
   then grids grow the same way inside their parent (seeds placed by a few rounds of
   k-means on the atoms, so dense areas get smaller villages and more grids). Growing
   over the graph keeps every unit connected.
3. Each unit's outline is the coverage union of its atoms: units tile their parent and
   the county exactly (no overlaps, no gaps), at every level.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import MultiPoint, Point
from shapely.geometry.base import BaseGeometry

from commandcenter.geo.geojson import (
    area_km2,
    read_feature_collection,
    round_geometry,
    to_shape,
)
from commandcenter.resources import data_path

COUNTY_CODE = "330122"
COUNTY_NAME = "桐庐县"
OUTLINE_PARTS = ("demo", "tonglu_330122_wgs84.geojson")

LEVEL_COUNTY = "county"
LEVEL_TOWNSHIP = "township"
LEVEL_VILLAGE = "village"
LEVEL_GRID = "grid"

GRID_SIZE_DEG = 1e-6  # the precision geometry is stored with

# A local equirectangular frame (km) around the county seat, for distances and shapes.
_LON0 = 119.69
_LAT0 = 29.80
_KX = 111.320 * math.cos(math.radians(_LAT0))  # km per degree of longitude
_KY = 110.860  # km per degree of latitude at ~30°N

_ATOM_COUNT = 6000
_TARGET_GRIDS = 380
_MAX_GRIDS_PER_VILLAGE = 12
_MIN_ATOMS_PER_GRID = 4
_KMEANS_ROUNDS = 3
_EDGE_NOISE = 0.35  # sigma of the log-normal noise on growth costs (ragged borders)


@dataclass(frozen=True)
class TownshipSpec:
    """How a demo township is drawn: where its seat is and how big it grows."""

    name: str
    lon: float  # its seat (WGS-84)
    lat: float
    speed: float  # relative growth speed: larger grows a larger township
    villages: tuple[int, int]  # inclusive range for its number of villages/communities
    density: float  # extra population density around its seat (relative to rural 1.0)

    @property
    def is_subdistrict(self) -> bool:
        """街道 (urban sub-district): its villages are mostly 社区."""
        return self.name.endswith("街道")


# The 14 township-level units of 桐庐县, in code order (330122001..330122014), with seats
# placed roughly where they really are.
TOWNSHIPS: tuple[TownshipSpec, ...] = (
    TownshipSpec("桐君街道", 119.682, 29.803, 0.35, (9, 12), 0.0),
    TownshipSpec("旧县街道", 119.728, 29.838, 0.55, (8, 11), 3.0),
    TownshipSpec("城南街道", 119.690, 29.772, 0.45, (8, 11), 3.0),
    TownshipSpec("凤川街道", 119.762, 29.800, 0.60, (8, 11), 3.0),
    TownshipSpec("富春江镇", 119.620, 29.680, 1.10, (10, 14), 3.0),
    TownshipSpec("横村镇", 119.700, 29.890, 1.30, (10, 13), 4.0),
    TownshipSpec("分水镇", 119.420, 29.930, 1.00, (12, 14), 5.0),
    TownshipSpec("百江镇", 119.530, 29.995, 1.80, (9, 12), 3.0),
    TownshipSpec("江南镇", 119.790, 29.730, 0.70, (10, 14), 3.0),
    TownshipSpec("瑶琳镇", 119.600, 29.920, 1.20, (9, 12), 3.0),
    TownshipSpec("合村乡", 119.445, 30.045, 1.40, (6, 8), 2.0),
    TownshipSpec("莪山畲族乡", 119.800, 29.895, 0.60, (6, 7), 2.0),
    TownshipSpec("新合乡", 119.270, 29.890, 0.65, (6, 9), 2.0),
    TownshipSpec("钟山乡", 119.500, 29.780, 0.70, (7, 9), 2.0),
)

# The urban core around the county seat: (lon, lat, peak density, sigma km).
_URBAN_CORE = (119.690, 29.800, 28.0, 2.6)

_VILLAGE_FIRST = (
    "青石上下大小东西南北新前后高龙凤白黄金桃梅竹柳杨松枫茶溪岭云安和丰荷芦双三里外横长深古马鹤雅儒"
)
_VILLAGE_SECOND = "山溪岭坞坑塘湾源口桥头田畈洲庄埠岙垄岩林园家阳峰滩亭川湖潭冈"
_COMMUNITY_NAMES = (
    "迎春", "春江", "白云", "学圣", "梅蓉", "滨江", "金东", "阳山", "富春", "桐江",
    "横山", "南门", "北门", "东门", "西门", "城中", "城东", "城西", "新城", "江北",
    "华阳", "文昌", "迎宾", "健康", "桐洲", "滨湖", "凤鸣", "紫荆", "翠苑", "金桥",
    "锦绣", "和平", "民主", "胜利", "光明", "学府", "春华", "柳岸", "安居", "梧桐",
    "红星", "江滨", "望江", "君山", "潇洒", "儒林", "开元", "瑞丰",
)  # fmt: skip


class RandomLike(Protocol):
    """``random.Random`` or ``numpy.random.Generator``: anything with ``random()``."""

    def random(self) -> float: ...


@dataclass(frozen=True)
class DemoUnit:
    """One org unit of the demo county with its outline (WGS-84)."""

    code: str
    name: str
    level: str  # "county" | "township" | "village" | "grid"
    parent_code: str | None
    geometry: dict[str, Any]  # GeoJSON Polygon/MultiPolygon, coordinates rounded to 6 decimals
    centroid: tuple[float, float]  # (lon, lat)
    area_km2: float
    shape: BaseGeometry = field(compare=False, repr=False)  # the geometry as a prepared shapely object


@dataclass
class DemoGeometry:
    """The demo county and its townships, villages and grids."""

    seed: int
    county: DemoUnit
    townships: list[DemoUnit]
    villages: list[DemoUnit]
    grids: list[DemoUnit]
    _by_code: dict[str, DemoUnit] = field(init=False, repr=False, compare=False)
    _grid_tree: shapely.STRtree = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_code = {u.code: u for u in self.units()}
        self._grid_tree = shapely.STRtree([g.shape for g in self.grids])

    def units(self) -> Iterator[DemoUnit]:
        """All units, parents before children: county, townships, villages, grids."""
        yield self.county
        yield from self.townships
        yield from self.villages
        yield from self.grids

    def unit(self, code: str) -> DemoUnit:
        return self._by_code[code]

    def children(self, code: str) -> list[DemoUnit]:
        return [u for u in self.units() if u.parent_code == code]

    def locate_grid(self, lon: float, lat: float) -> str | None:
        """The code of the grid containing the point (WGS-84), None outside the county.

        A point on a border between grids goes to the grid with the lowest code.
        """
        hits = self._grid_tree.query(Point(lon, lat), predicate="intersects")
        if len(hits) == 0:
            return None
        return self.grids[int(np.min(hits))].code

    def locate_grids(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> list[str | None]:
        """Vectorised :meth:`locate_grid` for arrays of points."""
        points = shapely.points(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))
        flat = np.atleast_1d(points)
        found: list[int | None] = [None] * len(flat)
        pairs = self._grid_tree.query(flat, predicate="intersects")
        for p, g in zip(pairs[0].tolist(), pairs[1].tolist(), strict=True):
            cur = found[p]
            if cur is None or g < cur:
                found[p] = g
        return [None if g is None else self.grids[g].code for g in found]

    def random_point_in(self, unit: DemoUnit | str, rng: RandomLike) -> tuple[float, float]:
        """A uniformly random point (lon, lat) inside a unit (or a unit code)."""
        if isinstance(unit, str):
            unit = self.unit(unit)
        return random_point_in(unit, rng)


def random_point_in(unit: DemoUnit, rng: RandomLike) -> tuple[float, float]:
    """A uniformly random point (lon, lat) inside the unit's polygon (rejection sampling).

    ``rng`` is a ``random.Random`` or a ``numpy.random.Generator``. The point is rounded to
    6 decimals (like stored coordinates) and is guaranteed to lie inside the polygon.
    """
    shp = unit.shape
    minx, miny, maxx, maxy = shp.bounds
    for _ in range(10_000):
        lon = round(minx + (maxx - minx) * float(rng.random()), 6)
        lat = round(miny + (maxy - miny) * float(rng.random()), 6)
        if shapely.contains_xy(shp, lon, lat):
            return lon, lat
    p = shp.representative_point()  # pragma: no cover - only for degenerate slivers
    return float(p.x), float(p.y)


def load_demo_outline() -> BaseGeometry:
    """The shipped WGS-84 outline of 桐庐县 as a shapely (Multi)Polygon."""
    features = read_feature_collection(data_path(*OUTLINE_PARTS))
    for f in features:
        if str(f["properties"].get("adcode")) == COUNTY_CODE:
            return to_shape(f["geometry"])
    raise ValueError(f"{data_path(*OUTLINE_PARTS)}: no feature with adcode {COUNTY_CODE}")


# --- the builder ------------------------------------------------------------------------


def build_demo_geometry(seed: int = 330122) -> DemoGeometry:
    """Divide 桐庐县 into 14 townships, their villages/communities and grids.

    Deterministic for a seed; takes well under a second or two.
    """
    rng = np.random.default_rng(seed)
    outline = load_demo_outline()
    atoms = _Atoms.build(outline, rng)

    # townships: grow from their seats with their own speeds
    seeds = [atoms.nearest(spec.lon, spec.lat) for spec in TOWNSHIPS]
    town_of = atoms.grow(np.arange(atoms.n), seeds, [spec.speed for spec in TOWNSHIPS])

    names = _NamePool(rng)
    county_unit = _make_unit(COUNTY_CODE, COUNTY_NAME, LEVEL_COUNTY, None, atoms.union(np.arange(atoms.n)))
    townships: list[DemoUnit] = []
    villages: list[DemoUnit] = []
    grids: list[DemoUnit] = []
    village_groups: list[tuple[str, str, npt.NDArray[np.intp]]] = []  # (code, name, atom ids)

    for t_index, spec in enumerate(TOWNSHIPS):
        t_code = f"{COUNTY_CODE}{t_index + 1:03d}"
        t_ids = np.flatnonzero(town_of == t_index)
        townships.append(_make_unit(t_code, spec.name, LEVEL_TOWNSHIP, COUNTY_CODE, atoms.union(t_ids)))

        lo, hi = spec.villages
        k = int(rng.integers(lo, hi + 1))
        k = min(k, max(1, len(t_ids) // _MIN_ATOMS_PER_GRID))
        seat_atom = seeds[t_index]
        v_of = atoms.kmeans_partition(t_ids, k, rng, first=seat_atom)
        # number villages outwards from the township seat
        groups = [t_ids[v_of == j] for j in range(k)]
        sx, sy = atoms.cx[seat_atom], atoms.cy[seat_atom]
        groups.sort(key=lambda g: float(np.hypot(atoms.cx[g].mean() - sx, atoms.cy[g].mean() - sy)))
        n_communities = math.ceil(0.6 * k) if spec.is_subdistrict else 0
        for v_index, g in enumerate(groups):
            v_code = f"{t_code}{v_index + 1:03d}"
            v_name = names.community() if v_index < n_communities else names.village()
            villages.append(_make_unit(v_code, v_name, LEVEL_VILLAGE, t_code, atoms.union(g)))
            village_groups.append((v_code, v_name, g))

    atoms_per_grid = atoms.n / _TARGET_GRIDS
    for v_code, v_name, g in village_groups:
        n = round(len(g) / atoms_per_grid)
        n = max(1, min(n, _MAX_GRIDS_PER_VILLAGE, len(g) // _MIN_ATOMS_PER_GRID))
        g_of = atoms.kmeans_partition(g, n, rng)
        parts = [g[g_of == j] for j in range(n)]
        # number grids north to south, west to east (in ~500 m bands)
        parts.sort(key=lambda p: (-round(float(atoms.cy[p].mean()) / 0.5), float(atoms.cx[p].mean())))
        for i, p in enumerate(parts):
            code = f"{v_code}{i + 1:03d}"
            grids.append(_make_unit(code, f"{v_name}第{i + 1}网格", LEVEL_GRID, v_code, atoms.union(p)))

    return DemoGeometry(seed=seed, county=county_unit, townships=townships, villages=villages, grids=grids)


def _make_unit(code: str, name: str, level: str, parent: str | None, geom: BaseGeometry) -> DemoUnit:
    gj = round_geometry(geom)
    shp = to_shape(gj)
    shapely.prepare(shp)
    c = shp.centroid
    return DemoUnit(
        code=code,
        name=name,
        level=level,
        parent_code=parent,
        geometry=gj,
        centroid=(round(float(c.x), 6), round(float(c.y), 6)),
        area_km2=area_km2(shp),
        shape=shp,
    )


def _to_km(lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.column_stack([(lon - _LON0) * _KX, (lat - _LAT0) * _KY])


def _to_deg(coords: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.column_stack([coords[:, 0] / _KX + _LON0, coords[:, 1] / _KY + _LAT0])


def _density(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Relative population density at km coordinates (rural level = 1)."""
    d = np.ones_like(x)
    bumps = [_URBAN_CORE, *((s.lon, s.lat, s.density, 1.3) for s in TOWNSHIPS if s.density > 0)]
    for lon, lat, peak, sigma in bumps:
        bx, by = (lon - _LON0) * _KX, (lat - _LAT0) * _KY
        d += peak * np.exp(-((x - bx) ** 2 + (y - by) ** 2) / (2.0 * sigma * sigma))
    return d


class _NamePool:
    """Unique, plausible village and community names, drawn deterministically."""

    def __init__(self, rng: np.random.Generator) -> None:
        reserved = {s.name[:2] for s in TOWNSHIPS}
        combos = [a + b for a in _VILLAGE_FIRST for b in _VILLAGE_SECOND if a != b and a + b not in reserved]
        order = rng.permutation(len(combos))
        self._villages = [combos[i] + "村" for i in order.tolist()]
        c_order = rng.permutation(len(_COMMUNITY_NAMES))
        self._communities = [_COMMUNITY_NAMES[i] + "社区" for i in c_order.tolist()]
        self._used: set[str] = set()

    def village(self) -> str:
        return self._take(self._villages)

    def community(self) -> str:
        return self._take(self._communities) if self._communities else self.village()

    def _take(self, pool: list[str]) -> str:
        while pool:
            name = pool.pop()
            if name[:2] not in self._used:
                self._used.add(name[:2])
                return name
        raise RuntimeError("ran out of demo names")


@dataclass
class _Atoms:
    """The small cells everything is built from, with their adjacency graph."""

    polys: npt.NDArray[np.object_]  # shapely Polygons (lon/lat, on the 1e-6 grid)
    cx: npt.NDArray[np.float64]  # centroids in the local km frame
    cy: npt.NDArray[np.float64]
    nbrs: list[list[tuple[int, float]]]  # (neighbour, cost) per atom: km to it x its noise factor
    tree: shapely.STRtree

    @property
    def n(self) -> int:
        return len(self.polys)

    @classmethod
    def build(cls, outline: BaseGeometry, rng: np.random.Generator) -> _Atoms:
        outline_km = shapely.transform(outline, lambda c: _to_km(c[:, 0], c[:, 1]))
        shapely.prepare(outline_km)
        pts = _sample_points(outline_km, _ATOM_COUNT, rng)
        pts = _lloyd(pts, outline_km)
        envelope = shapely.buffer(shapely.envelope(outline_km), 5.0)
        edges_km = shapely.voronoi_polygons(MultiPoint(pts), extend_to=envelope, only_edges=True)
        edges = shapely.transform(edges_km, _to_deg)
        lines = shapely.union_all([edges, shapely.boundary(outline)], grid_size=GRID_SIZE_DEG)
        faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
        inner = shapely.point_on_surface(faces)
        keep = shapely.contains_xy(outline, shapely.get_x(inner), shapely.get_y(inner))
        polys = faces[keep & (shapely.area(faces) > 0)]
        cent = shapely.centroid(polys)
        cxy = _to_km(shapely.get_x(cent), shapely.get_y(cent))
        noise = np.exp(rng.normal(0.0, _EDGE_NOISE, len(polys)))
        nbrs = _adjacency(polys, cxy, noise)
        return cls(polys=polys, cx=cxy[:, 0], cy=cxy[:, 1], nbrs=nbrs, tree=shapely.STRtree(polys))

    def nearest(self, lon: float, lat: float) -> int:
        """The atom containing (or else nearest to) a point."""
        return int(self.tree.nearest(Point(lon, lat)))

    def union(self, ids: Sequence[int] | npt.NDArray[np.intp]) -> BaseGeometry:
        return shapely.coverage_union_all(self.polys[np.asarray(ids, dtype=np.intp)])

    def grow(
        self, ids: npt.NDArray[np.intp], seeds: Sequence[int], speeds: Sequence[float]
    ) -> npt.NDArray[np.intp]:
        """Multi-source Dijkstra over the atoms ``ids``: the region index of each of them.

        Region k spreads from atom ``seeds[k]`` at ``speeds[k]``; as the step costs carry
        each atom's noise factor, borders meander instead of following bisectors.
        """
        owner = [-2] * self.n  # -2: not ours to claim, -1: unclaimed, k: region k
        for i in ids.tolist():
            owner[i] = -1
        heap: list[tuple[float, int, int]] = [(0.0, k, int(s)) for k, s in enumerate(seeds)]
        heapq.heapify(heap)
        nbrs = self.nbrs
        while heap:
            t, k, a = heapq.heappop(heap)
            if owner[a] != -1:
                continue
            owner[a] = k
            speed = speeds[k]
            for b, cost in nbrs[a]:
                if owner[b] == -1:
                    heapq.heappush(heap, (t + cost / speed, k, b))
        region = np.asarray(owner, dtype=np.intp)[ids]
        if np.any(region < 0):  # pragma: no cover - the atom graph is connected
            raise RuntimeError("demo geometry: an atom was not reached while growing regions")
        return region

    def kmeans_partition(
        self, ids: npt.NDArray[np.intp], k: int, rng: np.random.Generator, first: int | None = None
    ) -> npt.NDArray[np.intp]:
        """Split the (connected) atoms ``ids`` into k connected regions of similar atom count.

        Returns the region index (0..k-1) of each atom in ``ids``.
        """
        if k <= 1:
            return np.zeros(len(ids), dtype=np.intp)
        xs, ys = self.cx[ids], self.cy[ids]
        # k-means++ seeding, the first seed optionally fixed (a township seat)
        chosen = [int(np.flatnonzero(ids == first)[0]) if first is not None else int(rng.integers(len(ids)))]
        d2 = (xs - xs[chosen[0]]) ** 2 + (ys - ys[chosen[0]]) ** 2
        for _ in range(k - 1):
            total = float(d2.sum())
            j = int(rng.choice(len(ids), p=d2 / total)) if total > 0 else int(rng.integers(len(ids)))
            chosen.append(j)
            d2 = np.minimum(d2, (xs - xs[j]) ** 2 + (ys - ys[j]) ** 2)
        region = np.zeros(len(ids), dtype=np.intp)
        for round_no in range(_KMEANS_ROUNDS + 1):
            region = self.grow(ids, [int(ids[j]) for j in chosen], [1.0] * k)
            if round_no == _KMEANS_ROUNDS:
                break
            new_chosen: list[int] = []
            for r, old in enumerate(chosen):
                members = np.flatnonzero(region == r)
                if len(members) == 0:
                    new_chosen.append(old)
                    continue
                mx, my = xs[members].mean(), ys[members].mean()
                best = members[int(np.argmin((xs[members] - mx) ** 2 + (ys[members] - my) ** 2))]
                keep_first = first is not None and r == 0
                new_chosen.append(old if keep_first else int(best))
            chosen = new_chosen
        return region


def _sample_points(outline_km: BaseGeometry, count: int, rng: np.random.Generator) -> npt.NDArray[np.float64]:
    """``count`` random points inside the outline, with density following :func:`_density`."""
    minx, miny, maxx, maxy = outline_km.bounds
    probe_x = rng.uniform(minx, maxx, 20_000)
    probe_y = rng.uniform(miny, maxy, 20_000)
    peak = float(_density(probe_x, probe_y).max())
    out: list[npt.NDArray[np.float64]] = []
    have = 0
    while have < count:
        x = rng.uniform(minx, maxx, count * 4)
        y = rng.uniform(miny, maxy, count * 4)
        ok = shapely.contains_xy(outline_km, x, y) & (rng.random(len(x)) * peak < _density(x, y))
        batch = np.column_stack([x[ok], y[ok]])
        out.append(batch)
        have += len(batch)
    return np.concatenate(out)[:count]


def _lloyd(pts: npt.NDArray[np.float64], outline_km: BaseGeometry) -> npt.NDArray[np.float64]:
    """One Lloyd step: move each point to the centroid of its clipped Voronoi cell.

    Evens out the random clumps (no slivers) while keeping the density gradient.
    """
    cells = shapely.get_parts(shapely.voronoi_polygons(MultiPoint(pts), ordered=True))
    inside = shapely.contains_properly(outline_km, cells)  # the outline is prepared
    cells[~inside] = shapely.intersection(cells[~inside], outline_km)
    cent = shapely.centroid(cells)
    moved = np.column_stack([shapely.get_x(cent), shapely.get_y(cent)])
    bad = ~np.isfinite(moved).all(axis=1) | ~shapely.contains_xy(outline_km, moved[:, 0], moved[:, 1])
    moved[bad] = pts[bad]
    return moved


def _adjacency(
    polys: npt.NDArray[np.object_], cxy: npt.NDArray[np.float64], noise: npt.NDArray[np.float64]
) -> list[list[tuple[int, float]]]:
    """Atoms that share an edge (exactly, as they come from one noded arrangement), with
    the cost of stepping onto each: the distance between centroids x the target's noise."""
    rings, ring_owner = shapely.get_rings(polys, return_index=True)
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    q = np.rint(coords / GRID_SIZE_DEG).astype(np.int64)
    same_ring = coord_ring[:-1] == coord_ring[1:]
    a, b = q[:-1][same_ring], q[1:][same_ring]
    seg_owner = ring_owner[coord_ring[:-1][same_ring]]
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    lo = np.where(swap[:, None], b, a)
    hi = np.where(swap[:, None], a, b)
    keys = np.column_stack([lo, hi])
    order = np.lexsort(keys.T[::-1])
    keys, seg_owner = keys[order], seg_owner[order]
    same = np.all(keys[1:] == keys[:-1], axis=1)
    first = seg_owner[:-1][same]
    second = seg_owner[1:][same]
    pairs = np.unique(np.column_stack([np.minimum(first, second), np.maximum(first, second)]), axis=0)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    nbrs: list[list[tuple[int, float]]] = [[] for _ in range(len(polys))]
    dist = np.hypot(cxy[pairs[:, 0], 0] - cxy[pairs[:, 1], 0], cxy[pairs[:, 0], 1] - cxy[pairs[:, 1], 1])
    factor = noise.tolist()
    for (i, j), d in zip(pairs.tolist(), dist.tolist(), strict=True):
        nbrs[i].append((j, d * factor[j]))
        nbrs[j].append((i, d * factor[i]))
    return nbrs
