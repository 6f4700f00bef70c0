"""A static small-multiples figure of chosen months, for papers and print.

`figure(ds, months, out)` draws one panel per month over the same extent (the data set's
bounds): the offline basemap, the railways, every contingent's presence in its colour
(approximately dated records dashed or hollow) and the month's events as stars, with one
shared legend, a scale bar and a source note. Matplotlib's object API is used without
pyplot (no global state, no display) and the metadata that would change on every run
(dates, version strings, SVG ids) is left out, so the same data give the same file.

Text from the data is plain text, never mathtext: every Text has `parse_math=False`, so
"costs $5,000 to $10,000" keeps its dollar signs. The figure is drawn once, when saved
(see `shapes.Canvas`), and written through `outputs.Batch`: all or nothing.
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
from matplotlib import rc_context
from matplotlib.collections import LineCollection
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.text import Text
from matplotlib.transforms import offset_copy
from shapely.geometry import box

from ..model import territory
from ..model.window import within
from ..data import timeline
from ..errors import ArgumentError, DataError, Problem, escape
from .files.outputs import Batch
from .shapes import Canvas, Layer, polygon_path

WIDTH = 7.2  # inches: a two-column journal figure
SEA, LAND, COAST, WATER = "#e4edf3", "#f3f0e8", "#b7b0a3", "#9ab7cc"
INK, MUTED = "#222222", "#6b6b6b"
SUFFIXES = {".png": {"Software": None}, ".svg": {"Date": None},
            ".pdf": {"CreationDate": None}}
RC = {"font.family": "DejaVu Sans", "font.size": 7, "svg.hashsalt": "siberia-map",
      "svg.fonttype": "none", "pdf.fonttype": 42, "axes.linewidth": 0.5,
      "text.usetex": False}
PLAIN = {"parse_math": False}
# 120 panels (ten years of months) make a figure about 23,000 px tall at 200 dpi, a third
# of what Agg can draw (2^16 px); more would not be readable on a page anyway.
MAX_PANELS = 120
# Characters of the data set's citation in the footer (a few lines at 5 pt).
MAX_NOTE = 600


def figure(ds, months: list[str], out: Path, shown: str | None = None) -> Path:
    """Draw the months `months` ("YYYY-MM") of `ds` into `out` (.png, .svg or .pdf)."""
    out = Path(out)
    numbers = _check(ds, months, Path(shown) if shown else out)
    with rc_context(RC):
        handles, labels = _legend_entries(ds, numbers)
        ncol, legend_h = _fit_legend(handles, labels)
        fig, axes = _layout(ds, len(numbers), legend_h)
        base = _basemap_layers(ds)
        for i, (ax, month) in enumerate(zip(axes, numbers)):
            _panel(ax, ds, base, month, i)
        for ax in axes:  # every panel can be read on its own
            _place_labels(ax, ds.places)
        _scale_bar(axes[-1], ds.bounds)
        fig.legend(handles, labels, ncol=ncol, **_legend_style(fig))
        _header_footer(fig, ds)
        for text in fig.findobj(Text):
            text.set_parse_math(False)
        suffix = Path(shown or out).suffix.lower()
        with Batch() as batch:
            tmp = batch.stage(out)
            fig.savefig(tmp, format=suffix[1:], dpi=200, metadata=SUFFIXES[suffix],
                        facecolor="white")
    return out


def check_request(months: list[str], out: str) -> None:
    """What can be refused before the data set is read: the file type and the panel count."""
    if Path(out).suffix.lower() not in SUFFIXES:
        raise ArgumentError(f"--out {escape(repr(out))}: a figure file name ends in .png, .svg "
                            "or .pdf")
    if len(months) > MAX_PANELS:
        raise ArgumentError(f"--months: {len(months)} months; at most {MAX_PANELS} panels fit "
                            "one figure (split the months over several figures)")


def _check(ds, months: list[str], out: Path) -> list[int]:
    first, last = ds.months[0], ds.months[-1]
    problems, numbers = [], []
    if len(months) > MAX_PANELS:
        problems.append(Problem("--months", "", "months", f"{len(months)} months",
                                f"at most {MAX_PANELS} panels in one figure"))
    for key in months:
        try:
            n = timeline.parse_month_key(key)
        except timeline.DateProblem:
            n = None
        if n is None or not ds.first_month <= n <= ds.last_month:
            problems.append(Problem("--months", "", "months", key,
                                    f"a month between {first} and {last}"))
        else:
            numbers.append(n)
    if not months:
        problems.append(Problem("--months", "", "months", "", f"at least one month between "
                                f"{first} and {last}, e.g. {first}"))
    if out.suffix.lower() not in SUFFIXES:
        problems.append(Problem("--out", "", "out", str(out), "a file name ending in .png, "
                                ".svg or .pdf"))
    if problems:
        raise DataError(problems)
    return numbers


def _layout(ds, n: int, legend_h: float):
    """Figure and one axes per month on a grid, each with the data set's bounds and aspect."""
    (s, w), (north, e) = ds.bounds
    aspect = 1 / math.cos(math.radians((s + north) / 2))
    ratio = (north - s) * aspect / (e - w)  # panel height / width
    cols = min(n, 1 if ratio < 0.45 and n <= 3 else 2 if ratio < 0.9 or n == 4 and ratio < 1.3
               else 4 if ratio >= 1.3 else 3)
    rows = math.ceil(n / cols)
    margin, gap, head, title_gap = 0.3, 0.14, 0.6, 0.2
    pw = (WIDTH - 2 * margin - (cols - 1) * gap) / cols
    ph = min(pw * ratio, 4.5)
    foot = 0.45 + legend_h
    height = head + rows * (ph + title_gap) + (rows - 1) * gap + foot
    fig = Figure(figsize=(WIDTH, height))
    Canvas(fig)
    axes = []
    for i in range(n):
        r, c = divmod(i, cols)
        left = margin + c * (pw + gap)
        top = height - head - r * (ph + title_gap + gap) - title_gap
        ax = fig.add_axes((left / WIDTH, (top - ph) / height, pw / WIDTH, ph / height))
        ax.set_xlim(w, e)
        ax.set_ylim(s, north)
        ax.set_aspect(aspect, adjustable="box")
        ax.set_facecolor("white")
        _graticule(ax, (w, s, e, north), bottom=r == rows - 1 or i + cols >= n, left=c == 0)
        axes.append(ax)
    return fig, axes


def _graticule(ax, extent, bottom: bool, left: bool) -> None:
    w, s, e, n = extent
    step = next(st for st in (1, 2, 5, 10, 15, 20, 30, 45) if max(e - w, n - s) / st <= 6)
    xs = list(range(math.ceil(w / step) * step, math.floor(e) + 1, step))
    ys = list(range(math.ceil(s / step) * step, math.floor(n) + 1, step))
    ax.set_xticks(xs, [f"{abs(x)}°{'E' if x >= 0 else 'W'}" for x in xs] if bottom else [])
    ax.set_yticks(ys, [f"{abs(y)}°{'N' if y >= 0 else 'S'}" for y in ys] if left else [])
    ax.tick_params(labelsize=5.5, length=0, pad=1.5, colors=MUTED)
    ax.grid(True, color="#c9d3da", lw=0.3, zorder=1)
    ax.set_axisbelow(False)
    for spine in ax.spines.values():
        spine.set_color("#8a8a8a")


def _basemap_layers(ds) -> dict:
    """What every panel draws, converted to paths once (`shapes.Layer`): the basemap clipped
    to the bounds and simplified, the gazetteer's rivers and lakes, and the railways."""
    (s, w), (n, e) = ds.bounds
    clip = box(w - 1, s - 1, e + 1, n + 1)
    layers = {}
    for name in ("land", "lakes", "rivers"):
        obj = ds.basemap.get(name)
        if obj and obj.get("features"):
            gdf = gpd.GeoDataFrame.from_features(obj["features"], crs="EPSG:4326")
            gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
            layers[name] = Layer(gdf.clip(clip).geometry, simplify=True)
            if name == "land":
                layers["coverage"] = tuple(gdf.total_bounds)
    water = list(ds.places[ds.places["kind"].isin(["river", "lake"])].geometry)
    layers["water lines"] = Layer([g for g in water if "Line" in g.geom_type])
    layers["water areas"] = Layer([g for g in water if "Polygon" in g.geom_type])
    layers["railways"] = Layer(ds.railways.geometry)
    return layers


def _panel(ax, ds, base: dict, month: int, i: int) -> None:
    if "land" in base:  # the sea, as far as the basemap reaches; white beyond it
        w, s, e, n = base["coverage"]
        ax.add_patch(Rectangle((w, s), e - w, n - s, facecolor=SEA, edgecolor="none", zorder=1))
        base["land"].draw(ax, facecolor=LAND, edgecolor=COAST, linewidth=0.3, zorder=2)
    if "lakes" in base:
        base["lakes"].draw(ax, facecolor=SEA, edgecolor=WATER, linewidth=0.25, zorder=2)
    if "rivers" in base:
        base["rivers"].draw(ax, facecolor=WATER, edgecolor=WATER, linewidth=0.35, zorder=2)
    # Rivers and lakes of the gazetteer itself (named features the basemap may lack).
    base["water lines"].draw(ax, edgecolor=WATER, linewidth=0.8, zorder=2)
    base["water areas"].draw(ax, facecolor=SEA, edgecolor=WATER, linewidth=0.4, zorder=2)
    _control(ax, ds, month)
    base["railways"].draw(ax, edgecolor="#4a4a4a", linewidth=1.1, zorder=3)
    base["railways"].draw(ax, edgecolor="white", linewidth=0.45, linestyle=(0, (2.5, 2.5)),
                          zorder=3)
    presence = within(ds.presence, (month, month))
    events = within(ds.events, (month, month))
    _presence(ax, presence, dict(zip(ds.contingents["id"], ds.contingents["colour"])))
    _events(ax, events)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(f"{'abcdefghijklmnopqrstuvwxyz'[i % 26]}   {timeline.month_label(month)}",
                 loc="left", fontsize=8, fontweight="bold", color=INK, pad=3)
    counts = f"{len(presence)} presence · {len(events)} event{'s' if len(events) != 1 else ''}"
    ax.text(0.985, 0.985, counts, transform=ax.transAxes, ha="right", va="top", fontsize=5,
            color=MUTED, zorder=10, bbox={"boxstyle": "square,pad=0.15", "fc": "white",
                                          "ec": "none", "alpha": 0.75})




def _control(ax, ds, month: int) -> None:
    """The railway banded in the colour of who held each station that month, as on the map;
    dashed white over the band where the place was contested or changed hands."""
    held = territory.holders_at(ds.control, month)
    if not held:
        return
    colour = dict(zip(ds.authorities["id"], ds.authorities["colour"]))
    pieces = ds.territory[ds.territory["kind"] == "piece"]
    bands, colours, hatched = [], [], []
    for place, line in zip(pieces["place"], pieces.geometry):
        h = held.get(place)
        if h is None:
            continue
        xy = list(line.coords)
        bands.append(xy)
        colours.append(colour[h[0]])
        if h[1]:
            hatched.append(xy)
    ax.add_collection(LineCollection(bands, colors=colours, linewidths=3.2, alpha=0.55,
                                     capstyle="butt", zorder=2.5))
    if hatched:
        ax.add_collection(LineCollection(hatched, colors="white", linewidths=3.2,
                                         linestyles=(0, (1, 2)), alpha=0.9, zorder=2.6))


def _presence(ax, rows, colours: dict[str, str]) -> None:
    """Presence in contingent colours; approximate records dashed (lines, areas) or hollow
    (points). Lines that share track are nested, the earlier legend entry wider beneath,
    so every colour on a stretch shows; records at one place sit in a small cluster."""
    order = {cid: k for k, cid in enumerate(colours)}
    rows = rows.assign(_o=rows["contingent"].map(order).fillna(len(order))).sort_values(
        ["_o", "id"])
    lines = [r for _, r in rows.iterrows()
             if r.geometry.geom_type in ("LineString", "MultiLineString")]
    for j, r in enumerate(lines):
        above = 0 if len(lines) > 300 else sum(  # shared track: O(n^2), so only when few
            1 for q in lines[j + 1:] if r.geometry.relate_pattern(q.geometry, "1********"))
        for part in getattr(r.geometry, "geoms", [r.geometry]):
            x, y = part.xy
            ax.plot(x, y, color=colours.get(r["contingent"], INK), lw=2.0 + 1.2 * min(above, 3),
                    ls=(0, (3, 1.5)) if _approx(r) else "-", solid_capstyle="round",
                    zorder=4 + j / 1000)
    for _, r in rows.iterrows():
        if r.geometry.geom_type in ("Polygon", "MultiPolygon"):
            colour, dashed = colours.get(r["contingent"], INK), _approx(r)
            ax.add_patch(PathPatch(polygon_path(r.geometry),
                                   facecolor="none" if dashed else colour,
                                   alpha=1 if dashed else 0.3, edgecolor=colour, linewidth=0.9,
                                   linestyle="--" if dashed else "-", zorder=3.5))
    points = rows[rows.geom_type.isin(["Point", "MultiPoint"])]
    for _, group in points.groupby("where_id", sort=True):
        for j, (_, r) in enumerate(group.sort_values("_o").iterrows()):
            p, colour, dashed = r.geometry.representative_point(), colours.get(
                r["contingent"], INK), _approx(r)
            dx, dy = _cluster(j)
            ax.plot(p.x, p.y, "o", ms=4.5, mfc="white" if dashed else colour,
                    mec=colour if dashed else "white", mew=1.1 if dashed else 0.4,
                    zorder=5, transform=offset_copy(ax.transData, ax.figure, dx, dy,
                                                    units="points"))


def _approx(r) -> bool:
    return bool(r["approximate"] or r["uncertain"])


def _cluster(j: int) -> tuple[float, float]:
    """Offset in points of the j-th marker at one place: the centre, then rings of six."""
    if j == 0:
        return 0.0, 0.0
    ring, angle = 1 + (j - 1) // 6, math.radians(90 + ((j - 1) % 6) * 60 + (j - 1) // 6 * 30)
    return 4.2 * ring * math.cos(angle), 4.2 * ring * math.sin(angle)


def _events(ax, rows) -> None:
    """Stars at the events (on the line for a stretch); hollow when the date is approximate."""
    rows = rows[rows.geometry.notna()]  # events with no place on the map are not drawn
    pts = rows.geometry.representative_point()
    hollow = (rows["approximate"] | rows["uncertain"]).to_numpy(bool)
    for mask, face in ((~hollow, INK), (hollow, "white")):
        if mask.any():
            ax.plot(pts.x[mask], pts.y[mask], marker="*", ms=8, mfc=face, mec=INK, mew=0.6,
                    zorder=8, linestyle="none")


def _place_labels(ax, places) -> None:
    """Names of the labelled places in one panel, skipping any that would overlap a name
    already placed (cities first)."""
    if "label" not in places:
        return
    pts = places[places["label"] & (places.geom_type == "Point")]
    pts = pts.assign(rank=pts["kind"].map({"city": 0, "port": 1}).fillna(2)).sort_values(
        ["rank", "name"])
    renderer, placed = ax.figure.canvas.get_renderer(), []
    frame = ax.get_window_extent(renderer)
    for _, p in pts.iterrows():
        t = ax.annotate(p["name"], (p.geometry.x, p.geometry.y), xytext=(2.5, 1.5),
                        textcoords="offset points", **PLAIN, fontsize=5.5, color=INK, zorder=9,
                        bbox={"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none",
                              "alpha": 0.65})
        bb = t.get_window_extent(renderer)
        if any(bb.overlaps(o) for o in placed) or not frame.contains(bb.x1, bb.y1) \
                or not frame.contains(bb.x0, bb.y0):
            t.remove()
            continue
        placed.append(bb)
        ax.plot(p.geometry.x, p.geometry.y, "s", ms=1.8, color=INK, zorder=6)


def _scale_bar(ax, bounds) -> None:
    """A two-segment bar true at the mid-latitude of the extent, bottom left."""
    (s, w), (n, e) = bounds
    lat = (s + n) / 2
    km_per_deg = 111.32 * math.cos(math.radians(lat))
    target = (e - w) * km_per_deg / 4
    nice = max(v * 10 ** k for k in range(0, 5) for v in (1, 2, 5) if v * 10 ** k <= target)
    length = nice / km_per_deg
    x0, y0, hgt = w + 0.05 * (e - w), s + 0.06 * (n - s), 0.012 * (n - s)
    for k in range(2):
        ax.add_patch(Rectangle((x0 + k * length / 2, y0), length / 2, hgt, zorder=9,
                               facecolor=INK if k == 0 else "white", edgecolor=INK, lw=0.5))
    for x, text in ((x0, "0"), (x0 + length, f"{nice:,} km")):
        ax.text(x, y0 + 2.2 * hgt, text, ha="center", va="bottom", fontsize=5.5, zorder=9)
    ax.text(x0, y0 - 1.2 * hgt, f"scale at {lat:.0f}°{'N' if lat >= 0 else 'S'}",
            ha="left", va="top", fontsize=4.8, color=MUTED, zorder=9)


def _legend_entries(ds, months: list[int]):
    """One legend for all panels: the contingents shown in any of them, then the symbols."""
    shown = set()
    for m in months:
        for df in (ds.presence, ds.events):
            for cs in within(df, (m, m))["contingents"]:
                shown.update(cs)
    handles, labels = [], []
    for cid, name, colour in zip(ds.contingents["id"], ds.contingents["name"],
                                 ds.contingents["colour"]):
        if cid in shown:
            handles.append(Line2D([], [], color=colour, lw=2.2, marker="o", ms=4, mec=colour))
            labels.append(name)
    rail = (Line2D([], [], color="#4a4a4a", lw=1.1),
            Line2D([], [], color="white", lw=0.45, linestyle=(0, (2.5, 2.5))))
    handles += [rail, Line2D([], [], marker="*", ms=8, color=INK, linestyle="none"),
                Line2D([], [], color=MUTED, lw=1.6, linestyle=(0, (3, 1.5)), marker="o",
                       ms=4, mfc="white", mec=MUTED)]
    labels += ["Railway", "Event", "Approximate date (dashed / hollow)"]
    held = set()
    for m in months:
        held.update(a for a, _ in territory.holders_at(ds.control, m).values())
    for auth in ds.authorities.to_dict("records"):  # in authorities.csv order
        if auth["id"] in held:
            handles.append(Line2D([], [], color=auth["colour"], lw=3.2, alpha=0.55))
            labels.append(f"Held by {auth['name']}")
    return handles, labels


def _legend_style(fig) -> dict:
    return {"loc": "lower left", "bbox_to_anchor": (0.25 / WIDTH, 0.3 / fig.get_figheight()),
            "frameon": False, "fontsize": 6, "handlelength": 2.2, "columnspacing": 1.2,
            "borderaxespad": 0, "handler_map": {tuple: HandlerTuple(ndivide=1)}}


def _fit_legend(handles, labels) -> tuple[int, float]:
    """The most columns that fit the figure width, and the legend's height in inches."""
    probe = Figure(figsize=(WIDTH, 3))
    renderer = FigureCanvasAgg(probe).get_renderer()
    for ncol in range(min(5, len(handles)), 0, -1):
        leg = probe.legend(handles, labels, ncol=ncol, **_legend_style(probe))
        for text in leg.get_texts():
            text.set_parse_math(False)
        bb = leg.get_window_extent(renderer)
        leg.remove()
        if bb.width <= (WIDTH - 0.5) * probe.dpi or ncol == 1:
            return ncol, bb.height / probe.dpi


def _header_footer(fig, ds) -> None:
    h = fig.get_figheight()
    fig.text(0.3 / WIDTH, 1 - 0.14 / h, ds.title, ha="left", va="top", fontsize=11,
             fontweight="bold", color=INK, **PLAIN)
    sub = ds.meta.get("subtitle") or "Where each contingent was, month by month"
    fig.text(0.3 / WIDTH, 1 - 0.36 / h, sub, ha="left", va="top", fontsize=7, color=MUTED,
             **PLAIN)
    data = (ds.meta.get("citation") or f"{ds.title}, compiled from the sources cited per "
            "record").rstrip(". ")
    if len(data) > MAX_NOTE:  # a footer, not the bibliography: it must leave the panels room
        data = data[:MAX_NOTE].rstrip() + "\u2026"
    note = f"Data: {data}"
    if ds.basemap.get("land"):
        note += "; basemap: Natural Earth (public domain)"
    note += ". Positions are approximate; stars mark events in that month."
    fig.text(0.3 / WIDTH, 0.1 / h, _wrap(note, 5, WIDTH - 0.6), ha="left", va="bottom",
             fontsize=5, color=MUTED, **PLAIN)


def _wrap(text: str, size: float, width: float) -> str:
    """`text` broken into lines at most `width` inches wide at `size` points. Matplotlib's
    own `wrap=True` measures each line as mathtext whatever `parse_math` says (3.10), so
    a citation holding `$\\sqrt[$` would stop the figure; here lines are measured as
    plain text."""
    from matplotlib.font_manager import FontProperties

    probe = Figure()
    renderer = FigureCanvasAgg(probe).get_renderer()
    prop = FontProperties(size=size)
    limit = width * probe.dpi

    def fits(line: str) -> bool:
        return renderer.get_text_width_height_descent(line, prop, ismath=False)[0] <= limit

    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split(" "):
            while not fits(word):  # a word wider than the line is cut where it must be
                lo, hi = 1, len(word) - 1  # the longest head that fits (at least 1)
                while lo < hi:
                    mid = (lo + hi + 1) // 2
                    lo, hi = (mid, hi) if fits(word[:mid]) else (lo, mid - 1)
                cut = lo
                if line:
                    lines.append(line)
                    line = ""
                lines.append(word[:cut])
                word = word[cut:]
            candidate = f"{line} {word}" if line else word
            if fits(candidate):
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return "\n".join(lines)
