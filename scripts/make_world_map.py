"""Make ``toolkit/data/world_110m.geojson``, the boundaries behind ``charts.status_map``.

Source: Natural Earth 1:110m Admin 0 countries (public domain,
https://www.naturalearthdata.com/about/terms-of-use/), as shipped in the
``naturalearth_lowres`` dataset of the geopandas 0.14.4 wheel on PyPI (with
geopandas' fix of ISO codes marked -99). Run once, by hand, at development time:

    pip download --no-deps geopandas==0.14.4 -d /tmp/geo
    cd /tmp/geo && unzip -o geopandas-0.14.4-py3-none-any.whl 'geopandas/datasets/*'
    python scripts/make_world_map.py /tmp/geo/geopandas/datasets/naturalearth_lowres

The script reads the shapefile with a small reader written here (polygon
records and the dBASE table only), keeps each country's ISO3 code and name,
rounds coordinates to 0.01 degree, and writes features sorted by ISO3, so a
re-run gives the same bytes. Nothing downloads at run time.
"""

from __future__ import annotations

import itertools
import json
import struct
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "toolkit" / "data" / "world_110m.geojson"
POLYGON = 5
# Natural Earth marks Kosovo "-99" (it has no ISO 3166-1 code); the registry uses
# the user-assigned XKX. Other "-99" rows, if any, have no state to join and are left out.
NAME_FIXES = {"Kosovo": "XKX"}


def read_dbf(path: Path) -> list[dict[str, str]]:
    encoding = path.with_suffix(".cpg").read_text(encoding="ascii").strip()
    data = path.read_bytes()
    n_records, header_size, record_size = struct.unpack("<xxxxIHH", data[:12])
    fields = []
    offset = 32
    while data[offset] != 0x0D:
        name = data[offset : offset + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[offset + 16]))
        offset += 32
    records = []
    for index in range(n_records):
        start = header_size + index * record_size + 1  # skip the deletion flag
        row, position = {}, start
        for name, length in fields:
            row[name] = data[position : position + length].decode(encoding).strip()
            position += length
        records.append(row)
    return records


def read_polygons(path: Path) -> list[list[list[tuple[float, float]]]]:
    data = path.read_bytes()
    offset, shapes = 100, []
    while offset < len(data):
        (content_words,) = struct.unpack(">I", data[offset + 4 : offset + 8])
        content = data[offset + 8 : offset + 8 + 2 * content_words]
        (shape_type,) = struct.unpack("<i", content[:4])
        if shape_type != POLYGON:
            raise ValueError(f"{path}: record at byte {offset} is shape type {shape_type}")
        n_parts, n_points = struct.unpack("<ii", content[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", content[44 : 44 + 4 * n_parts]))
        points_at = 44 + 4 * n_parts
        coords = struct.unpack(f"<{2 * n_points}d", content[points_at : points_at + 16 * n_points])
        points = [(coords[2 * i], coords[2 * i + 1]) for i in range(n_points)]
        rings = [points[a:b] for a, b in zip(parts, [*parts[1:], n_points], strict=True)]
        shapes.append(rings)
        offset += 8 + 2 * content_words
    return shapes


def ring_area(ring: list[tuple[float, float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


def to_geometry(rings: list[list[tuple[float, float]]]) -> dict:
    # Shapefile outer rings run clockwise (negative signed area), holes counter-clockwise.
    # That is the orientation d3-geo (and so Vega) needs: it reads a ring as enclosing the
    # area on its right, so a counter-clockwise outer ring (RFC 7946) would fill the globe.
    polygons: list[list[list[list[float]]]] = []
    for ring in rings:
        rounded = [[round(x, 2), round(y, 2)] for x, y in ring]
        if ring_area(ring) < 0 or not polygons:
            polygons.append([rounded])
        else:
            polygons[-1].append(rounded)
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def main(folder: str) -> None:
    base = Path(folder) / "naturalearth_lowres"
    records = read_dbf(base.with_suffix(".dbf"))
    shapes = read_polygons(base.with_suffix(".shp"))
    features = []
    for record, rings in zip(records, shapes, strict=True):
        code = NAME_FIXES.get(record["name"], record["iso_a3"])
        if code == "-99" or record["name"] == "Antarctica":
            continue
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"iso3": code, "name": record["name"]},
                "geometry": to_geometry(rings),
            }
        )
    features.sort(key=lambda feature: feature["id"])
    collection = {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:110m Admin 0 countries, public domain "
        "(naturalearthdata.com/about/terms-of-use), via geopandas 0.14.4 naturalearth_lowres",
        "features": features,
    }
    OUT.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} with {len(features)} countries")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/geo/geopandas/datasets/naturalearth_lowres")
