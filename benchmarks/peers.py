"""The peers: the same data set drawn with folium's two time plugins, served offline.

`python benchmarks/peers.py build --tool timestamped|timeline --data DIR --out FILE` writes the
peer's HTML (run as its own process so that the benchmark times it whole, like ours).

Both peers get every event and presence record as one point: a place's point, a line's
midpoint (railway stretches and rivers), an area's representative point, i.e. exactly the
`p` point of our payload. Each point carries the record's month starts as its times, a
circle marker in its first contingent's colour, and a popup with the same text our map
shows (title, date in words, place, description or strength and note, source).

- `TimestampedGeoJson` (Leaflet.TimeDimension), period `P1M`: `times` is
  `[first month start, last month start]` (ISO dates) and `duration` is `PT1S`, so a point
  is shown at exactly the month starts from its first to its last month.
- `Timeline` + `TimelineSlider` (Leaflet.timeline): `start` is the first month start, `end`
  the last month start (the interval is inclusive), so `setTime(month start)` shows the
  same records as our month.

Both use `prefer_canvas=True` and circle markers (the fastest configuration each peer has;
folium's default `L.Marker` pins are DOM elements and far slower) and no tile layer (our
embedded basemap has no counterpart in them).

The peer HTML links its scripts from CDNs as folium writes it. `resolve(url)` maps those
URLs to files from npm packages fetched once with `npm pack` into `benchmarks/.cache/npm/`,
so the browser is served locally through Playwright routing and nothing goes online.
"""

from __future__ import annotations

import argparse
import html
import json
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
NPM_DIR = CACHE / "npm"

# npm packages that stand in for folium's CDN links. leaflet: folium 0.20 links 1.9.3; we
# serve 1.9.4 (the version siberia-map embeds; a patch release). jquery-ui: cdnjs has the
# 1.10.2 browser build, npm's closest is 1.10.4, whose file starts with a CommonJS
# `require('jquery')` line that we drop so it attaches to the global jQuery like the CDN
# build (nothing in either peer calls jQuery UI).
PACKAGES = ("leaflet@1.9.4", "leaflet.timeline@1.6.0", "leaflet-timedimension@1.1.1",
            "iso8601-js-period@0.2.1", "jquery@3.7.1", "jquery-ui@1.10.4", "moment@2.18.1")

# URL prefix -> (package, path inside the package; a trailing "/" maps the rest of the URL).
ROUTES = (
    ("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/", "leaflet@1.9.4", "dist/"),
    ("https://code.jquery.com/jquery-3.7.1.min.js", "jquery@3.7.1", "dist/jquery.min.js"),
    ("https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js", "jquery@3.7.1",
     "dist/jquery.min.js"),
    ("https://cdnjs.cloudflare.com/ajax/libs/jqueryui/1.10.2/jquery-ui.min.js", "jquery-ui@1.10.4",
     "jquery-ui.js"),
    ("https://cdn.jsdelivr.net/npm/iso8601-js-period@0.2.1/iso8601.min.js", "iso8601-js-period@0.2.1",
     "iso8601.js"),
    ("https://cdn.jsdelivr.net/npm/leaflet-timedimension@1.1.1/dist/", "leaflet-timedimension@1.1.1",
     "dist/"),
    ("https://cdnjs.cloudflare.com/ajax/libs/moment.js/2.18.1/moment.min.js", "moment@2.18.1",
     "min/moment.min.js"),
    ("https://cdn.jsdelivr.net/npm/leaflet.timeline@1.6.0/dist/leaflet.timeline.min.js",
     "leaflet.timeline@1.6.0", "dist/leaflet.timeline.js"),
)
# folium.Map's own defaults that neither peer needs to draw or step, and the glyphicons font
# of the TimeDimension buttons: served empty (which favours the peers' load time slightly).
STUBS = (
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/",
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/",  # glyphicons CSS and its fonts
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/",
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/",
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/highlight.js/8.4/styles/default.min.css",
)
TYPES = {".js": "application/javascript", ".css": "text/css", ".png": "image/png",
         ".svg": "image/svg+xml", ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf"}

TOOLS = ("timestamped", "timeline")
NEUTRAL = "#777777"


def fetch_assets() -> dict:
    """npm-pack every package once into the cache; return {package: integrity}."""
    NPM_DIR.mkdir(parents=True, exist_ok=True)
    integrity = {}
    for spec in PACKAGES:
        target = NPM_DIR / spec
        meta = NPM_DIR / f"{spec}.json"
        if not (target / "package").is_dir() or not meta.exists():
            out = subprocess.run(["npm", "pack", spec, "--json", "--pack-destination", str(NPM_DIR)],
                                 check=True, capture_output=True, text=True, timeout=600)
            info = json.loads(out.stdout)[0]
            tgz = NPM_DIR / info["filename"]
            target.mkdir(parents=True, exist_ok=True)
            with tarfile.open(tgz) as tar:
                tar.extractall(target, filter="data")
            tgz.unlink()
            meta.write_text(json.dumps({"integrity": info["integrity"]}), encoding="utf-8")
        integrity[spec] = json.loads(meta.read_text(encoding="utf-8"))["integrity"]
    return integrity


def resolve(url: str):
    """(body bytes, content type) for a peer asset URL, b"" for a stub, None if unknown."""
    clean = url.split("?", 1)[0].split("#", 1)[0]
    for prefix in STUBS:
        if clean.startswith(prefix):
            return b"", TYPES.get(Path(clean).suffix, "text/plain")
    for prefix, spec, path in ROUTES:
        if prefix.endswith("/") and clean.startswith(prefix):
            rel = path + clean[len(prefix):]
        elif clean == prefix:
            rel = path
        else:
            continue
        file = NPM_DIR / spec / "package" / rel
        if not file.is_file():
            return None
        body = file.read_bytes()
        if spec.startswith("jquery-ui@"):
            body = body.replace(b"var jQuery = require('jquery');", b"", 1)
        return body, TYPES.get(file.suffix, "application/octet-stream")
    return None


def _month_start(m: int) -> str:
    return f"{m // 12:04d}-{m % 12 + 1:02d}-01"


def features(ds) -> list[dict]:
    """One GeoJSON point feature per event and presence record, with its month starts."""
    from siberia_map.output.payload import encode

    colours = dict(zip(ds.contingents["id"], ds.contingents["colour"]))
    names = dict(zip(ds.contingents["id"], ds.contingents["name"]))
    points: dict[str, list] = {}
    out = []
    for df in (ds.events, ds.presence):
        cols = {c: df[c].tolist() for c in df.columns if c != "geometry"}
        for i, geom in enumerate(df.geometry.values):
            if geom is None:  # an event with no place (listed by ours, not drawn): no point
                continue
            key = cols["where_id"][i]
            if key not in points:
                g = encode(geom)
                points[key] = g["c"] if g["t"] == "pt" else g["p"]
            lat, lon = points[key]
            row = {c: cols[c][i] for c in cols}
            cids = row["contingents"]
            colour = colours.get(cids[0], NEUTRAL) if cids else NEUTRAL
            if row["type"] == "event":
                head, body = row.get("title", ""), row.get("description", "")
            else:
                strength = _text(row.get("strength"))
                head = names.get(cids[0], cids[0]) + (f" ({strength})" if strength else "")
                body = _text(row.get("note"))
            popup = (f"<b>{html.escape(_text(head))}</b><br>{html.escape(row['when'])} \u00b7 "
                     f"{html.escape(row['where_label'])}<br>{html.escape(_text(body))}"
                     f"<br><small>{html.escape(_text(row.get('source')))}</small>")
            first, last = _month_start(row["m0"]), _month_start(row["m1"])
            out.append({"type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [lon, lat]},
                        "properties": {"id": row["id"], "first": first, "last": last,
                                       "colour": colour, "popup": popup}})
    return out


def _text(v) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return str(v)


def build(data_dir: Path, tool: str, out: Path) -> dict:
    import folium
    from folium.plugins import Timeline, TimelineSlider, TimestampedGeoJson
    from folium.utilities import JsCode

    from siberia_map.model.join import prepare

    t0 = time.perf_counter()
    ds = prepare(data_dir)
    t1 = time.perf_counter()
    feats = features(ds)
    (s, w), (n, e) = ds.bounds
    m = folium.Map(location=[(s + n) / 2, (w + e) / 2], zoom_start=4, tiles=None,
                   prefer_canvas=True)
    style = {"radius": 5, "weight": 1, "fillOpacity": 0.9}
    if tool == "timestamped":
        for f in feats:
            p = f["properties"]
            p["times"] = [p["first"]] if p["first"] == p["last"] else [p["first"], p["last"]]
            p["icon"] = "circle"
            p["iconstyle"] = {**style, "color": p["colour"], "fillColor": p["colour"]}
            for k in ("first", "last", "colour"):
                del p[k]
        TimestampedGeoJson({"type": "FeatureCollection", "features": feats}, period="P1M",
                           duration="PT1S", auto_play=False, add_last_point=False,
                           date_options="YYYY-MM").add_to(m)
    elif tool == "timeline":
        for f in feats:
            p = f["properties"]
            p["start"], p["end"] = p.pop("first"), p.pop("last")
        layer = Timeline(
            {"type": "FeatureCollection", "features": feats},
            point_to_layer=JsCode("function (f, latlng) { return L.circleMarker(latlng, "
                                  f"Object.assign({json.dumps(style)}, "
                                  "{color: f.properties.colour, fillColor: f.properties.colour})); }"),
            on_each_feature=JsCode("function (f, layer) { layer.bindPopup(f.properties.popup); }"),
        ).add_to(m)
        TimelineSlider(auto_play=False, date_options="YYYY-MM", show_ticks=True,
                       enable_keyboard_controls=True).add_timelines(layer).add_to(m)
    else:
        raise ValueError(f"unknown peer {tool!r}")
    m.fit_bounds(ds.bounds)
    out.parent.mkdir(parents=True, exist_ok=True)
    m.save(str(out))
    t2 = time.perf_counter()
    return {"prepare_s": round(t1 - t0, 3), "folium_s": round(t2 - t1, 3), "features": len(feats)}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="write one peer's HTML for a data set")
    b.add_argument("--tool", choices=TOOLS, required=True)
    b.add_argument("--data", type=Path, required=True)
    b.add_argument("--out", type=Path, required=True)
    sub.add_parser("fetch", help="npm-pack the peer assets into benchmarks/.cache/npm")
    args = ap.parse_args(argv)
    if args.cmd == "fetch":
        print(json.dumps(fetch_assets(), indent=1, sort_keys=True))
    else:
        print(json.dumps(build(args.data, args.tool, args.out), sort_keys=True))


if __name__ == "__main__":
    sys.exit(main())
