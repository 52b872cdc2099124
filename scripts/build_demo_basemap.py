#!/usr/bin/env python3
"""Rebuild the demo county's offline basemap: resources/maps/tonglu_demo.mbtiles.

    .venv/bin/python scripts/build_demo_basemap.py [--out PATH] [--minzoom 9] [--maxzoom 14]

Renders 256-px PNG tiles with QPainter (offscreen) from the demo county's vector data
(commandcenter.gui.map.basemap_render); deterministic for the same library versions.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(ROOT / "resources" / "maps" / "tonglu_demo.mbtiles"))
    ap.add_argument("--minzoom", type=int, default=9)
    ap.add_argument("--maxzoom", type=int, default=14)
    args = ap.parse_args()

    from PySide6.QtGui import QGuiApplication

    from commandcenter.gui.map.basemap_render import build_demo_basemap

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    t0 = time.perf_counter()

    def progress(i: int, n: int) -> None:
        if i % 200 == 0 or i == n:
            print(f"  {i}/{n} tiles", file=sys.stderr, flush=True)

    n = build_demo_basemap(args.out, range(args.minzoom, args.maxzoom + 1), progress=progress)
    size = Path(args.out).stat().st_size
    print(f"wrote {args.out}: {n} tiles, {size / 1e6:.1f} MB, {time.perf_counter() - t0:.1f} s")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
