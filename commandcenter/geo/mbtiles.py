"""MBTiles files (https://github.com/mapbox/mbtiles-spec): read, check and write. No Qt.

An MBTiles file is SQLite with

* ``metadata(name TEXT, value TEXT)``: at least ``name`` and ``format`` (png, jpg, webp);
  optionally ``bounds`` ("west,south,east,north" in WGS-84 degrees), ``minzoom``,
  ``maxzoom``, ``center``...
* ``tiles(zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)``:
  a table, or a view (the de-duplicated layout: ``map`` + ``images``).  Rows are in
  **TMS order**: row 0 is the southernmost, so XYZ row ``y`` is stored as
  ``2**z - 1 - y``.

The reader takes XYZ coordinates everywhere and flips rows itself.  The project adds one
metadata key of its own, ``datum`` (``WGS-84`` or ``GCJ-02``): the datum the tiles were
drawn in (Chinese commercial maps are GCJ-02; then the map shifts WGS-84 data to match).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType

from .tiles import xyz_to_tms_row

FORMATS = ("png", "jpg", "jpeg", "webp")
DATUMS = ("WGS-84", "GCJ-02")
_MAGIC = {
    "png": b"\x89PNG\r\n\x1a\n",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
    "webp": b"RIFF",
}


class MBTilesError(ValueError):
    """The file is not a usable MBTiles file; the message says why."""


def _columns(conn: sqlite3.Connection, name: str) -> set[str] | None:
    row = conn.execute("SELECT type FROM sqlite_master WHERE name = ? AND type IN ('table', 'view')", (name,)).fetchone()
    if row is None:
        return None
    return {str(r[1]).lower() for r in conn.execute(f"PRAGMA table_info({name})")}


class MBTiles:
    """A read-only MBTiles file.  Thread-safe (one connection behind a lock)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise MBTilesError(f"{self.path}: no such file")
        try:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise MBTilesError(f"{self.path}: not an SQLite database ({exc})") from exc
        self._conn = conn
        self._lock = threading.Lock()
        try:
            self.metadata = self._check_schema()
            self.format = self.metadata.get("format", "png").lower()
            if self.format not in FORMATS:
                raise MBTilesError(f"{self.path}: unsupported tile format {self.format!r} (png, jpg or webp)")
            self.minzoom, self.maxzoom = self._zoom_range()
            self.bounds = self._bounds()
            datum = self.metadata.get("datum", "WGS-84").upper().replace("WGS84", "WGS-84").replace("GCJ02", "GCJ-02")
            if datum not in DATUMS:
                raise MBTilesError(f"{self.path}: unknown datum {datum!r} in metadata (WGS-84 or GCJ-02)")
            self.datum = datum
        except Exception:
            conn.close()
            raise

    # --- checks -----------------------------------------------------------------------

    def _check_schema(self) -> dict[str, str]:
        meta_cols = _columns(self._conn, "metadata")
        if meta_cols is None:
            raise MBTilesError(f"{self.path}: no 'metadata' table: not an MBTiles file")
        if not {"name", "value"} <= meta_cols:
            raise MBTilesError(f"{self.path}: the 'metadata' table needs columns name and value")
        tile_cols = _columns(self._conn, "tiles")
        if tile_cols is None:
            raise MBTilesError(f"{self.path}: no 'tiles' table or view: not an MBTiles file")
        missing = {"zoom_level", "tile_column", "tile_row", "tile_data"} - tile_cols
        if missing:
            raise MBTilesError(f"{self.path}: the 'tiles' table lacks column(s) {', '.join(sorted(missing))}")
        return {str(k): str(v) for k, v in self._conn.execute("SELECT name, value FROM metadata")}

    def _zoom_range(self) -> tuple[int, int]:
        lo, hi = self._conn.execute("SELECT min(zoom_level), max(zoom_level) FROM tiles").fetchone()
        if lo is None:
            raise MBTilesError(f"{self.path}: the file holds no tiles")
        try:
            minz = int(self.metadata.get("minzoom", lo))
            maxz = int(self.metadata.get("maxzoom", hi))
        except ValueError as exc:
            raise MBTilesError(f"{self.path}: minzoom/maxzoom are not integers") from exc
        if not 0 <= minz <= maxz <= 30:
            raise MBTilesError(f"{self.path}: bad zoom range {minz}..{maxz}")
        return minz, maxz

    def _bounds(self) -> tuple[float, float, float, float] | None:
        text = self.metadata.get("bounds")
        if not text:
            return None
        try:
            w, s, e, n = (float(v) for v in text.split(","))
        except ValueError as exc:
            raise MBTilesError(f"{self.path}: metadata bounds {text!r} is not 'west,south,east,north'") from exc
        if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
            raise MBTilesError(f"{self.path}: metadata bounds {text!r} out of range")
        return w, s, e, n

    def check_tiles(self, sample: int = 20) -> list[str]:
        """Problems with the tile images (a sample): wrong format or empty data."""
        problems: list[str] = []
        magic = _MAGIC[self.format]
        with self._lock:
            rows = self._conn.execute(
                "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles LIMIT ?", (sample,)
            ).fetchall()
        for z, x, row, data in rows:
            if not data:
                problems.append(f"tile {z}/{x}/{row}: empty")
            elif bytes(data[:len(magic)]) != magic:
                problems.append(f"tile {z}/{x}/{row}: not {self.format} data")
        return problems

    # --- tiles ------------------------------------------------------------------------

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The image bytes of XYZ tile (z, x, y), or None if the file does not have it."""
        with self._lock:
            row = self._conn.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                (z, x, xyz_to_tms_row(z, y)),
            ).fetchone()
        return None if row is None else bytes(row[0])

    def tile_count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM tiles").fetchone()[0])

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> MBTiles:
        return self

    def __exit__(self, *exc: object | TracebackType) -> None:
        self.close()


def check_mbtiles(path: str | Path) -> list[str]:
    """Every problem found with the file (empty: usable)."""
    try:
        with MBTiles(path) as mb:
            return mb.check_tiles()
    except MBTilesError as exc:
        return [str(exc)]


def write_mbtiles(
    path: str | Path,
    tiles: Iterable[tuple[int, int, int, bytes]],
    metadata: Mapping[str, str],
    *,
    dedupe: bool = True,
) -> int:
    """Write XYZ tiles ``(z, x, y, data)`` to a new MBTiles file (rows flipped to TMS).

    With ``dedupe`` identical images are stored once (the ``map`` + ``images`` layout with
    a ``tiles`` view, which every MBTiles reader understands).  Returns the tile count.
    """
    final = Path(path)
    p = final.with_name(final.name + ".part")  # the old file stays until the new one is whole
    if p.exists():
        p.unlink()
    conn = sqlite3.connect(p)
    try:
        conn.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        if dedupe:
            conn.executescript(
                """
                CREATE TABLE map (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_id TEXT);
                CREATE TABLE images (tile_id TEXT PRIMARY KEY, tile_data BLOB);
                CREATE UNIQUE INDEX map_index ON map (zoom_level, tile_column, tile_row);
                CREATE VIEW tiles AS SELECT map.zoom_level AS zoom_level, map.tile_column AS tile_column,
                    map.tile_row AS tile_row, images.tile_data AS tile_data
                    FROM map JOIN images ON images.tile_id = map.tile_id;
                """
            )
        else:
            conn.execute(
                "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)"
            )
            conn.execute("CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)")
        conn.executemany("INSERT INTO metadata VALUES (?, ?)", sorted(metadata.items()))
        n = 0
        for z, x, y, data in tiles:
            row = xyz_to_tms_row(z, y)
            if dedupe:
                tid = hashlib.sha1(data).hexdigest()
                conn.execute("INSERT OR IGNORE INTO images VALUES (?, ?)", (tid, data))
                conn.execute("INSERT INTO map VALUES (?, ?, ?, ?)", (z, x, row, tid))
            else:
                conn.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, row, data))
            n += 1
        conn.commit()
        conn.execute("VACUUM")
    except BaseException:
        conn.close()
        p.unlink(missing_ok=True)
        raise
    conn.close()
    p.replace(final)
    return n
