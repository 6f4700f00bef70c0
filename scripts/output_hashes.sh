#!/usr/bin/env bash
# sha256 of every output this checkout builds, to compare two commits byte for byte:
#   scripts/output_hashes.sh /tmp/a > a.sha; (other commit) scripts/output_hashes.sh /tmp/b > b.sha
#   diff a.sha b.sha
# The default map (plain, --cdn, gzipped, Russian first), the North Russia test set's map,
# every export format (and North Russia's GeoJSON and CSV), exports cut to a month and to
# windows of months, the figure as PNG and SVG, report and validate.
set -euo pipefail
OUT=${1:?usage: scripts/output_hashes.sh OUTDIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
rm -rf "$OUT"
mkdir -p "$OUT"
cd "$ROOT"
export PYTHONPATH="$ROOT/src"
run() { "$PY" -m siberia_map "$@" > /dev/null; }
run build --out "$OUT/map.html"
run build --out "$OUT/map-cdn.html" --cdn
run build --out "$OUT/map-gz.html" --compress always
run build --out "$OUT/map-ru.html" --lang ru,en
run build --data tests/data/north_russia --out "$OUT/nr.html"
for f in gpkg geojson lpf; do run export --format "$f" --out "$OUT/export.$f"; done
run export --format csv --out "$OUT/csv"
run export --format parquet --out "$OUT/parquet"
run export --month 1919-06 --format geojson --out "$OUT/month.geojson"
run export --window 1919-06..1919-08 --format csv --out "$OUT/window-csv"
run export --window ..1918-12 --format gpkg --out "$OUT/window.gpkg"
run export --data tests/data/north_russia --format geojson --out "$OUT/nr.geojson"
run export --data tests/data/north_russia --format csv --out "$OUT/nr-csv"
run figure --months 1918-08,1919-06,1920-01 --out "$OUT/fig.png"
run figure --months 1918-08,1919-06,1920-01 --out "$OUT/fig.svg"
"$PY" -m siberia_map report > "$OUT/report.txt"
"$PY" -m siberia_map validate > "$OUT/validate.txt"
cd "$OUT" && find . -type f | sort | xargs sha256sum
