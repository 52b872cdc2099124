"""An online XYZ tile source with a disk cache that keeps serving when the network is gone.

``url_template`` has ``{z}``, ``{x}``, ``{y}`` (and optionally ``{s}`` for a subdomain
from ``subdomains``).  Every tile fetched is written to ``cache_dir/z/x/y.tile``; a tile in
the cache is served from there without touching the network.  After a failed download
the source stays offline for ``retry_after_s`` (cached tiles still come back), so a room
without internet does not wait on timeouts tile after tile.  No Qt.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

log = logging.getLogger(__name__)

USER_AGENT = "CommandCenter/1.0 (tile cache)"


class CachedTileSource:
    def __init__(
        self,
        url_template: str,
        cache_dir: str | Path,
        *,
        subdomains: str = "",
        gcj02: bool = False,
        timeout_s: float = 5.0,
        retry_after_s: float = 60.0,
        max_zoom: int = 18,
    ) -> None:
        for key in ("{z}", "{x}", "{y}"):
            if key not in url_template:
                raise ValueError(f"the tile URL template lacks {key}: {url_template!r}")
        self.url_template = url_template
        digest = hashlib.sha1(url_template.encode()).hexdigest()[:12]
        self.cache_dir = Path(cache_dir) / digest  # one directory per source
        self.subdomains = subdomains
        self.datum = "GCJ-02" if gcj02 else "WGS-84"
        self.timeout_s = timeout_s
        self.retry_after_s = retry_after_s
        self.minzoom, self.maxzoom = 0, max_zoom
        self._offline_until = 0.0
        self._lock = threading.Lock()

    def url(self, z: int, x: int, y: int) -> str:
        s = self.subdomains[(x + y) % len(self.subdomains)] if self.subdomains else ""
        return self.url_template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y)).replace("{s}", s)

    def _file(self, z: int, x: int, y: int) -> Path:
        return self.cache_dir / str(z) / str(x) / f"{y}.tile"

    @property
    def offline(self) -> bool:
        return time.monotonic() < self._offline_until

    def cached(self, z: int, x: int, y: int) -> bytes | None:
        f = self._file(z, x, y)
        try:
            return f.read_bytes()
        except OSError:
            return None

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile from the cache, else downloaded (and cached); None if neither works.

        Blocking: call it off the GUI thread."""
        data = self.cached(z, x, y)
        if data is not None or self.offline:
            return data
        try:
            req = urllib.request.Request(self.url(z, x, y), headers={"User-Agent": USER_AGENT})
            with urllib.request.urlopen(req, timeout=self.timeout_s) as resp:
                data = resp.read()
        except urllib.error.HTTPError as exc:  # the server answered: this tile only is missing
            log.info("tile %s/%s/%s: HTTP %s", z, x, y, exc.code)
            return None
        except Exception as exc:  # no network, DNS, timeout: serve the cache only for a while
            with self._lock:
                self._offline_until = time.monotonic() + self.retry_after_s
            log.info("tile download failed (%s); offline for %.0f s", exc, self.retry_after_s)
            return None
        if not data:
            return None
        f = self._file(z, x, y)
        try:
            f.parent.mkdir(parents=True, exist_ok=True)
            tmp = f.with_suffix(".part")
            tmp.write_bytes(data)
            tmp.replace(f)
        except OSError:
            log.warning("could not cache tile %s/%s/%s", z, x, y, exc_info=True)
        return data
