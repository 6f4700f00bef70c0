"""The browser code's algorithms on their own, in Chromium, with exact expected outputs.

One page of the tiny fixture map provides Leaflet and every class of `static/`; each test
calls one algorithm on inputs written out here and compares what it returns, to the pixel
or the index. The map's own state is never touched (Model, TrackLanes and TrackUnion get a
payload of their own).
"""

import random

import pytest

from browser import checked

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(browser, build_map):
    with checked(browser, build_map()) as s:
        yield s.page


def js(page, body: str, arg=None):
    """Runs `body` (a function body with `SM` = L.SiberiaMap and `arg`) and returns its value."""
    return page.evaluate(f"(arg) => {{ const SM = L.SiberiaMap; {body} }}", arg)


def js_on_map(page, body: str, arg=None):
    """Runs `body` like js(), with `map`, a 200 x 200 px Leaflet map of its own at zoom 3
    over (0, 0), and `frame()`, a Promise of the next painted frame; `body` returns a Promise,
    and the map is removed once it settles."""
    return js(page, f"""
        const div = document.createElement('div');
        div.style.cssText = 'position:absolute;left:0;top:0;width:200px;height:200px';
        document.body.appendChild(div);
        const map = L.map(div, {{center: [0, 0], zoom: 3, zoomAnimation: false}});
        const frame = () => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
        return Promise.resolve().then(() => {{ {body} }}).finally(() => {{
            map.remove();
            div.remove();
        }});
    """, arg)


# ------------------------------------------------------------------------- LineOffset
@pytest.mark.parametrize("xy,d,expected", [
    ([0, 0, 10, 0], 2, [0, -2, 10, -2]),  # left of travel, screen y down
    ([0, 0, 10, 0], 0, [0, 0, 10, 0]),
    ([0, 0, 10, 0, 10, 10], 1, [0, -1, 11, -1, 11, 10]),  # a mitred right angle
    ([0, 0, 10, 0, 0, 0], 1, [0, -1, 10, 1, 0, 1]),  # a hairpin takes the outgoing normal
    ([0, 0, 10, 0, 10, 1], 1, [0, -1, 11, -1, 11, 1]),
])
def test_line_offset(page, xy, d, expected):
    got = js(page, "const xy = Float64Array.from(arg.xy); "
                   "return Array.from(SM.LineOffset.offset(xy, arg.d, new Float64Array(xy.length)));",
             {"xy": xy, "d": d})
    assert got == pytest.approx(expected, abs=1e-9)


def test_line_offset_caps_the_mitre_at_sharp_turns(page):
    # A 150-degree turn: an uncapped mitre would reach 1/cos(75°) = 3.86 px; the cap is 2 px.
    got = js(page, "const xy = Float64Array.from([0, 0, 10, 0, 1.3397, 5]); "
                   "return Array.from(SM.LineOffset.offset(xy, 1, new Float64Array(6)));")
    vx, vy = got[2] - 10, got[3]
    assert (vx * vx + vy * vy) ** 0.5 == pytest.approx(2.0, abs=1e-3)


@pytest.mark.parametrize("xy,tolerance,expected", [
    ([0, 0, 1, 0.1, 2, 0, 3, 5, 4, 0], 1, [0, 2, 3, 4]),
    ([0, 0, 1, 0.1, 2, 0, 3, 5, 4, 0], 10, [0, 4]),
    ([0, 0, 5, 5], 1, [0, 1]),
])
def test_line_simplify(page, xy, tolerance, expected):
    got = js(page, "return Array.from(SM.LineOffset.simplify(Float64Array.from(arg.xy), arg.t));",
             {"xy": xy, "t": tolerance})
    assert got == expected


def test_line_flatten_drops_repeated_points(page):
    got = js(page, "return Array.from(SM.LineOffset.flatten([L.point(1, 2), L.point(1, 2), "
                   "L.point(3, 4), L.point(1, 2)]));")
    assert got == [1, 2, 3, 4, 1, 2]


# ---------------------------------------------------------------------------- HitGrid
@pytest.mark.parametrize("x,y,radius,expected", [
    (6, 6, 2, [0]),  # one cell
    (20, 5, 10, [0, 1]),  # two cells of the first row
    (40, 40, 1, [2]),
    (47, 47, 40, [0, 1, 2]),  # everything, the query clamped to the grid
    (100, 100, 5, []),  # outside
])
def test_hit_grid_candidates(page, x, y, radius, expected):
    got = js(page, """
        const g = new SM.HitGrid({cellSize: 16});
        // Item 3 lies outside the bounds and is never returned.
        g.build(Float64Array.from([5, 20, 40, 100]), Float64Array.from([5, 5, 40, 5]), 4,
                L.bounds([0, 0], [48, 48]));
        const out = [];
        g.each(arg.x, arg.y, arg.r, (i) => out.push(i));
        return out.sort((a, b) => a - b);
    """, {"x": x, "y": y, "r": radius})
    assert got == expected


def test_hit_grid_rebuilds_in_place(page):
    got = js(page, """
        const g = new SM.HitGrid({cellSize: 10});
        g.build(Float64Array.from([1, 2, 3]), Float64Array.from([1, 2, 3]), 3, L.bounds([0, 0], [30, 30]));
        g.build(Float64Array.from([25]), Float64Array.from([25]), 1, L.bounds([0, 0], [30, 30]));
        const out = [];
        g.each(2, 2, 1, (i) => out.push(i));
        g.each(25, 25, 1, (i) => out.push(i));
        return out;
    """)
    assert got == [0]  # the first build's items are gone; the new item 0 is at (25, 25)


# ---------------------------------------------------------------------- OcclusionMask
def mask_case(page, steps):
    return js(page, """
        const m = new SM.OcclusionMask().reset(arg.w, arg.h), out = [];
        for (const [op, x, y, spans] of arg.steps) {
            const s = Int16Array.from(spans);
            if (op === 'cover') { m.cover(x, y, s); } else { out.push(m.covered(x, y, s)); }
        }
        return out;
    """, {"w": 40, "h": 6, "steps": steps})


BOX = [0, 3, 0, 3]  # a 3 x 2 block


@pytest.mark.parametrize("steps,expected", [
    ([["test", 0, 0, BOX]], [False]),
    ([["cover", 0, 0, BOX], ["test", 0, 0, BOX], ["test", 1, 0, BOX], ["test", 0, 1, BOX]],
     [True, False, False]),
    # Across the 32-bit word boundary of a row.
    ([["cover", 29, 0, [0, 6, 0, 6]], ["test", 30, 0, [0, 5, 0, 5]], ["test", 31, 0, [0, 5, 0, 5]]],
     [True, False]),
    # Outside the mask never counts as covered.
    ([["cover", 0, 0, [0, 40]], ["test", -1, 0, [0, 2]], ["test", 38, 0, [0, 3]],
      ["test", 0, 5, BOX]], [False, False, False]),
    # Empty rows of a shape are skipped; a shape with only empty rows is covered.
    ([["test", 0, 0, [2, 2, 1, 1]]], [True]),
])
def test_occlusion_mask(page, steps, expected):
    assert mask_case(page, steps) == expected


def shape_case(page, w, h, rects, tests):
    """Covers `rects` ([x0, y0, x1, y1], by coverRect) of a w x h mask, then answers each
    test: ['rect', x0, y0, x1, y1] (coveredRect) or ['convex', points, r, ox, oy]
    (coveredConvex)."""
    return js(page, """
        const m = new SM.OcclusionMask().reset(arg.w, arg.h);
        for (const r of arg.rects) { m.coverRect(r[0], r[1], r[2], r[3]); }
        return arg.tests.map(t => t[0] === 'rect' ? m.coveredRect(t[1], t[2], t[3], t[4]) : m.coveredConvex(t[1], t[2], t[3], t[4]));
    """, {"w": w, "h": h, "rects": rects, "tests": tests})


@pytest.mark.parametrize("rects,tests,expected", [
    # A rectangle reaching out of the mask covers the part inside; across a word boundary.
    ([[-2, 0, 3, 2]], [["rect", 0, 0, 3, 2], ["rect", 0, 0, 4, 2], ["rect", 0, 0, 3, 3], ["rect", -1, 0, 2, 1]],
     [True, False, False, False]),
    ([[30, 1, 35, 3]], [["rect", 30, 1, 35, 3], ["rect", 29, 1, 35, 3], ["rect", 31, 2, 34, 3]], [True, False, True]),
    ([], [["rect", 5, 1, 5, 4]], [True]),  # no pixel to cover
    # A horizontal line from (10, 3) to (20, 3), 1 px around it: rows 2 and 3 (the pixels
    # touching y 2..4), columns 9..20.
    ([[9, 2, 21, 4]], [["convex", [[10, 3], [20, 3]], 1, 0, 0]], [True]),
    ([[10, 2, 21, 4]], [["convex", [[10, 3], [20, 3]], 1, 0, 0]], [False]),
    ([[9, 2, 21, 3]], [["convex", [[10, 3], [20, 3]], 1, 0, 0]], [False]),
    # The same line measured from an origin at (100, 50).
    ([[9, 2, 21, 4]], [["convex", [[110, 53], [120, 53]], 1, 100, 50]], [True]),
    # Reaching out of the mask is never covered.
    ([[0, 0, 40, 6]], [["convex", [[1, 1], [8, 1]], 2, 0, 0]], [False]),
])
def test_occlusion_mask_rectangles_and_convex_shapes(page, rects, tests, expected):
    assert shape_case(page, 40, 6, rects, tests) == expected


def diagonal_band(skip=None):
    """Per row, the pixels within 1 px (a square's reach) of the line (5, 5)-(12, 12): the
    line's x across the rows y-1..y+2, widened by 1; less pixel `skip`."""
    rects = []
    for y in range(4, 13):
        lo, hi = max(5, y - 1), min(12, y + 2)
        x0, x1 = lo - 1, hi + 1
        if skip and skip[1] == y:
            rects += [[x0, y, skip[0], y + 1], [skip[0] + 1, y, x1, y + 1]]
        else:
            rects.append([x0, y, x1, y + 1])
    return rects


@pytest.mark.parametrize("skip,expected", [(None, True), ((11, 9), False), ((3, 4), True)])
def test_occlusion_mask_tests_a_diagonal_line_row_by_row(page, skip, expected):
    # A band along the diagonal covers it, though not its bounding box; leaving out one of
    # its pixels uncovers it ((3, 4) lies outside the band).
    line = ["convex", [[5, 5], [12, 12]], 1, 0, 0]
    box = ["rect", 4, 4, 14, 14]
    assert shape_case(page, 20, 20, diagonal_band(skip), [line, box]) == [expected, False]


def test_occlusion_mask_tests_a_triangle_with_its_inside(page):
    # A triangle's edges and its inside: a ring along the edges alone does not cover it.
    tri = [[10, 2], [18, 14], [2, 14]]
    rows = js(page, """
        const m = new SM.OcclusionMask().reset(24, 20);
        m.coverRect(0, 0, 24, 20);
        const full = m.coveredConvex(arg, 1, 0, 0);
        // Uncover the middle pixel (10, 10), inside the triangle, far from its edges.
        m.reset(24, 20);
        for (let y = 0; y < 20; y++) {
            if (y === 10) { m.coverRect(0, y, 10, y + 1); m.coverRect(11, y, 24, y + 1); } else { m.coverRect(0, y, 24, y + 1); }
        }
        return [full, m.coveredConvex(arg, 1, 0, 0), m.coveredConvex([[1, 1], [3, 1], [2, 3]], 1, 0, 0)];
    """, tri)
    assert rows == [True, False, True]


# -------------------------------------------------------------------------- HashState
def parsed(month=None, hide=(), story=None, present=False, unknown=(), start=None, mode="month", lang=None):
    return {"month": month, "from": start, "mode": mode, "hide": list(hide), "story": story,
            "present": present, "lang": lang, "unknown": list(unknown)}


@pytest.mark.parametrize("hash_,expected", [
    ("#1919-05", parsed("1919-05")),
    ("#1919-05&hide=japan,usa", parsed("1919-05", ["japan", "usa"])),
    ("#hide=a%2Cb,c&1920-01", parsed("1920-01", ["a,b", "c"])),
    ("#hide=%E0%A4%A", parsed(hide=["%E0%A4%A"])),  # bad escapes stay as typed
    ("", parsed()),
    ("#story=x&19190-05", parsed(story="x", unknown=["19190-05"])),
    ("#story=ussuri-1918", parsed(story="ussuri-1918")),
    ("#present&nope&1919-05", parsed("1919-05", present=True, unknown=["nope"])),
    ("#story=", parsed(unknown=["story="])),
    # Windows: a range, everything up to a month; a half-written one is not understood.
    ("#1919-06..1919-08&hide=usa", parsed("1919-08", ["usa"], start="1919-06", mode="range")),
    ("#..1919-08", parsed("1919-08", mode="upto")),
    ("#present&1918-12..1919-02", parsed("1919-02", present=True, start="1918-12", mode="range")),
    ("#1919-06..", parsed(unknown=["1919-06.."])),
    ("#1919-06...1919-08", parsed(unknown=["1919-06...1919-08"])),
    ("#lang=ru&present&1919-05", parsed("1919-05", present=True, lang="ru")),
    ("#lang=Russian", parsed(unknown=["lang=Russian"])),
    ("#lang=ja&..1919-08", parsed("1919-08", mode="upto", lang="ja")),
])
def test_hash_parse(page, hash_, expected):
    assert js(page, "return SM.HashState.parse(arg);", hash_) == expected


@pytest.mark.parametrize("month,hide,window,expected", [
    ("1919-05", [], None, "#1919-05"),
    ("1919-05", ["japan", "a,b"], None, "#1919-05&hide=japan,a%2Cb"),
    ("1919-08", [], {"mode": "range", "from": "1919-06"}, "#1919-06..1919-08"),
    ("1919-08", ["usa"], {"mode": "upto", "from": "1918-03"}, "#..1919-08&hide=usa"),
])
def test_hash_format_round_trips(page, month, hide, window, expected):
    assert js(page, "return SM.HashState.format(arg[0], arg[1], arg[2]);", [month, hide, window]) == expected
    mode = window["mode"] if window else "month"
    assert js(page, "return SM.HashState.parse(arg);", expected) == parsed(
        month, hide, start=window["from"] if mode == "range" else None, mode=mode)


def test_hash_is_written_once_a_run_of_steps_rests(page):
    # A replaceState blocks the page for milliseconds: none inside a run of steps, then one,
    # with the run's last month (a fake window records them; the map's own is untouched).
    steps = js(page, """
        const ctl = new SM.Controller(L.SiberiaMap.current.controller.model);
        const calls = window.__hashCalls = [];
        const win = {location: {hash: ''}, addEventListener: function () {}, removeEventListener: function () {},
            history: {state: null, replaceState: function (s, t, h) { calls.push(h); win.location.hash = h; }}};
        new SM.HashState(ctl, {window: win, interval: 30}).enable();
        const last = Math.min(5, ctl.monthCount() - 1);
        for (let i = 1; i <= last; i++) { ctl.setMonthIndex(i); }
        return {written: calls.length, month: ctl.month(), last: last};""")
    assert steps["last"] >= 2 and steps["written"] == 0
    page.wait_for_function("() => window.__hashCalls.length > 0")
    assert page.evaluate("() => window.__hashCalls") == ["#" + steps["month"]]


def test_story_hash_round_trips(page):
    assert js(page, "return SM.HashState.formatStory('a b');") == "#story=a%20b"
    assert js(page, "return SM.HashState.parse('#story=a%20b').story;") == "a b"


# ------------------------------------------------------------------------------ Model
PAYLOAD = {
    "months": ["1918-08", "1918-09", "1918-10"],
    "contingents": [{"id": "a", "name": "A", "colour": "#111111"},
                    {"id": "b", "name": "B", "colour": "#222222"},
                    {"id": "c", "name": "C", "colour": "#333333"}],
    "geoms": [
        {"t": "pt", "c": [43.1, 131.9]},
        # A stretch written east to west: the model runs it west to east.
        {"t": "ln", "c": [[[43.8, 132.0], [43.1, 131.9]]], "p": [43.4, 131.95]},
        {"t": "ln", "c": [[[43.1, 131.9], [43.8, 132.0], [44.6, 132.8]]], "p": [43.8, 132.0]},
        {"t": "ln", "c": [[[50.0, 100.0], [51.0, 101.0]]], "p": [50.5, 100.5]},
    ],
    "events": {"id": ["e2", "e1", "bad"], "g": [0, 0, 99], "m0": [0, 0, 0], "m1": [1, 0, 0],
               "c": [[0], [1, 0], [0]], "sort": ["1918-08-20", "1918-08-03", "x"]},
    "presence": {"id": ["p-c", "p-a", "p-b", "p-c2"], "g": [3, 1, 2, 1], "m0": [0, 0, 0, 2],
                 "m1": [2, 1, 0, 1], "c": [2, 0, 1, 2]},
}


def test_model_buckets_sort_and_drop(page):
    got = js(page, """
        const warn = console.warn; let warned = '';
        console.warn = (m) => { warned = m; };
        const model = new SM.Model(arg);
        console.warn = warn;
        return {buckets: model.buckets.map((b) => b.map((r) => r.id)),
                events: [0, 1, 2].map((m) => model.bucketEvents(m)),
                anchors: model.records.map((r) => r.a), warned,
                west: model.lineLatLngs(1)[0]};
    """, PAYLOAD)
    # Events by date, then presence by contingent in legend order; e2 stays a second month.
    assert got["buckets"] == [["e1", "e2", "p-a", "p-b", "p-c"], ["e2", "p-a", "p-c"], ["p-c"]]
    assert got["events"] == [2, 1, 0]
    # The bad geometry and the presence ending before it starts are dropped, and said so.
    assert "2 records" in got["warned"]
    # Records at the same point share an anchor.
    assert got["anchors"][0] == got["anchors"][1]
    assert got["west"] == [[43.1, 131.9], [43.8, 132.0]]


def test_model_window_is_the_union_of_its_months_each_record_once(page):
    got = js(page, """
        const model = new SM.Model(arg);
        const ids = (b) => b.map((r) => r.id);
        return {all: ids(model.bucket(0, 2)), events: model.bucketEvents(0, 2), late: ids(model.bucket(1, 2)),
                lateEvents: model.bucketEvents(1, 2), one: ids(model.bucket(1, 1)),
                same: model.bucket(0, 2) === model.bucket(0, 2)};
    """, PAYLOAD)
    assert got["all"] == ["e1", "e2", "p-a", "p-b", "p-c"] and got["events"] == 2
    assert got["late"] == ["e2", "p-a", "p-c"] and got["lateEvents"] == 1
    assert got["one"] == ["e2", "p-a", "p-c"]
    assert got["same"] is True  # kept, not built again


def test_controller_window_modes_steps_and_labels(page):
    got = js(page, """
        const ctl = new SM.Controller(new SM.Model(arg));
        const out = [];
        const note = () => out.push([ctl.window(), ctl.windowLabel(), ctl.visibleRecords().map((r) => r.id).join()]);
        ctl.setWindow('range', 0, 1); note();
        ctl.step(1); note();          // slides, keeping its length
        ctl.step(1); note();          // at the last month: stays
        ctl.setMonthIndex(0); note(); // goes there whole, as far as the months reach
        ctl.setWindow('upto', null, 2); note();
        ctl.setState({month: 1}); note();
        ctl.setWindow('range'); note(); // from another mode: three months, ending here
        ctl.setState({from: 2, month: 0}); note(); // given backwards: put right
        ctl.setWindow('month'); note();
        return out;
    """, PAYLOAD)
    w = lambda mode, a, b: {"mode": mode, "from": a, "to": b}  # noqa: E731
    assert got == [
        [w("range", 0, 1), "August\u2013September 1918", "e1,e2,p-a,p-b,p-c"],
        [w("range", 1, 2), "September\u2013October 1918", "e2,p-a,p-c"],
        [w("range", 1, 2), "September\u2013October 1918", "e2,p-a,p-c"],
        [w("range", 0, 1), "August\u2013September 1918", "e1,e2,p-a,p-b,p-c"],
        [w("upto", 0, 2), "Up to October 1918", "e1,e2,p-a,p-b,p-c"],
        [w("upto", 0, 1), "Up to September 1918", "e1,e2,p-a,p-b,p-c"],
        [w("range", 0, 1), "August\u2013September 1918", "e1,e2,p-a,p-b,p-c"],
        [w("range", 0, 2), "August\u2013October 1918", "e1,e2,p-a,p-b,p-c"],
        [w("month", 2, 2), "October 1918", "p-c"],
    ]


def test_controller_at_answers_for_another_month_and_changes_nothing(page):
    got = js(page, """
        const ctl = new SM.Controller(new SM.Model(arg));
        ctl.setWindow('range', 0, 1);
        ctl.setHidden(1, true);
        const at = ctl.at(2);
        ctl.setHidden(1, false);  // later changes do not reach a view made before them
        let refused = '';
        try { at.setState({month: 0}); } catch (e) { refused = e.message; }
        return {window: at.window(), ids: at.visibleRecords().map((r) => r.id).join(),
                hidden: at.hiddenIndices(), clamped: ctl.at(99).monthIndex(), refused: refused,
                still: [ctl.window(), ctl.visibleRecords().map((r) => r.id).join()]};
    """, PAYLOAD)
    assert got["window"] == {"mode": "month", "from": 2, "to": 2}
    assert got["hidden"] == [1]
    assert got["clamped"] == 2
    assert "read-only" in got["refused"]
    assert got["still"] == [{"mode": "range", "from": 0, "to": 1}, "e1,e2,p-a,p-b,p-c"]
    assert got["ids"] == js(page, """
        const ctl = new SM.Controller(new SM.Model(arg));
        ctl.setState({month: 2, hidden: [1]});
        return ctl.visibleRecords().map((r) => r.id).join();
    """, PAYLOAD)


def test_window_labels_across_years(page):
    assert js(page, "return SM.Controller.windowLabel(['1918-12', '1919-01', '1919-02'], 'range', 0, 2);") == \
        "December 1918 \u2013 February 1919"


# ------------------------------------------------------------------- TrackLanes, Union
def test_track_lanes_share_track_side_by_side(page):
    got = js(page, """
        const model = new SM.Model(arg);
        const lanes = new SM.TrackLanes(model, {spacing: 5});
        const all = lanes.offsets(0, model.bucket(0));
        // With C hidden, A and B still share track; alone, A needs no lane.
        const ab = lanes.offsets(0, model.bucket(0).filter((r) => r.c[0] !== 2));
        const a = lanes.offsets(1, model.bucket(1).filter((r) => r.c[0] === 0));
        return [all, ab, a];
    """, PAYLOAD)
    assert got == [{"0": -2.5, "1": 2.5, "2": 0}, {"0": -2.5, "1": 2.5}, {}]


def conflicts_payload(seed: int, contingents: int) -> tuple[dict, list[set]]:
    """A payload of random stretches along one line of stations, for `contingents`
    contingents over three months, and the pairs of contingents that share a piece of track
    in each month, worked out here from the coordinates."""
    rng = random.Random(seed)
    stations = [[50.0 + i, 100.0 + 2 * i] for i in range(12)]
    geoms, pieces = [], []
    for _ in range(10):
        a = rng.randrange(11)
        b = rng.randrange(a + 1, 12)
        line = stations[a:b + 1] if rng.random() < 0.5 else stations[a:b + 1][::-1]
        geoms.append({"t": "ln", "c": [line], "p": line[0]})
        pieces.append({frozenset((tuple(stations[i]), tuple(stations[i + 1]))) for i in range(a, b)})
    rows = [(rng.randrange(len(geoms)), rng.randrange(contingents), rng.randrange(3)) for _ in range(60)]
    spans = [(g, c, m0, rng.randrange(m0, 3)) for g, c, m0 in rows]
    shared = []
    for m in range(3):
        on = [(g, c) for g, c, m0, m1 in spans if m0 <= m <= m1]
        shared.append({(a, b) for ga, a in on for gb, b in on if a != b and pieces[ga] & pieces[gb]})
    return stretches_payload(["1918-08", "1918-09", "1918-10"], contingents, geoms, spans), shared


def stretches_payload(months: list, contingents: int, geoms: list, spans: list) -> dict:
    """A payload of presence along lines only: `spans` as (geometry, contingent, first month,
    last month), for `contingents` contingents of distinct colours."""
    return {
        "months": months,
        "contingents": [{"id": f"k{i}", "name": f"K{i}", "colour": f"#{i * 99991 % 0xFFFFFF:06x}"}
                        for i in range(contingents)],
        "geoms": geoms,
        "events": {"id": [], "g": [], "m0": [], "m1": [], "c": [], "sort": []},
        "presence": {"id": [f"p{i}" for i in range(len(spans))], "g": [s[0] for s in spans],
                     "m0": [s[2] for s in spans], "m1": [s[3] for s in spans], "c": [s[1] for s in spans]},
    }


@pytest.mark.parametrize("seed,contingents", [(1, 3), (2, 31), (3, 33), (4, 70)])
def test_track_lanes_find_every_pair_sharing_track(page, seed, contingents):
    # 33 and 70 contingents take more than one 32-bit word per segment.
    payload, shared = conflicts_payload(seed, contingents)
    got = js(page, """
        const lanes = new SM.TrackLanes(new SM.Model(arg), {spacing: 5});
        return [0, 1, 2].map((m) => {
            const c = lanes._monthConflicts(m, m), pairs = [];
            for (const a in c) { for (const b in c[a]) { pairs.push([+a, +b]); } }
            return pairs;
        });
    """, payload)
    assert [{tuple(p) for p in month} for month in got] == shared
    assert any(shared)


def test_track_union_draws_each_piece_once(page):
    got = js(page, """
        const model = new SM.Model(arg);
        const recs = model.records.filter((r) => r.type === 'presence');
        const byId = Object.fromEntries(recs.map((r) => [r.id, r]));
        const union = new SM.TrackUnion(model);
        // Two overlapping stretches of one colour, then one of another colour.
        const groups = union.build([
            {rec: byId['p-a'], colour: 0, colourValue: '#111111', offset: 0},
            {rec: byId['p-b'], colour: 0, colourValue: '#111111', offset: 0},
            {rec: byId['p-c'], colour: 2, colourValue: '#333333', offset: 0}]);
        const ll = (v) => [model.vertexLatLngs[v].lat, model.vertexLatLngs[v].lng];
        return groups.map((g) => ({colour: g.colour,
            chains: g.chains.map((c) => Array.from(c).map(ll)),
            owners: g.segmentRecord.map((r) => r.id)}));
    """, PAYLOAD)
    assert got == [
        # The shared piece Vladivostok-Nikolsk once, chained on to Spassk, west to east;
        # p-b was drawn last over the shared piece, so it answers the pointer there.
        {"colour": 0, "chains": [[[43.1, 131.9], [43.8, 132.0], [44.6, 132.8]]],
         "owners": ["p-b", "p-b"]},
        {"colour": 2, "chains": [[[50.0, 100.0], [51.0, 101.0]]], "owners": ["p-c"]},
    ]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_track_union_chains_cover_each_piece_once_between_junctions(page, seed):
    # Random walks on a 4 x 4 grid of stations: junctions, branches and loops. Checked
    # against the union worked out here: every piece of a colour's track in exactly one of its
    # chains, a chain stopping only at a junction or a line's end (or closing a loop), and
    # running west to east (then south to north).
    rng = random.Random(seed)
    grid = {(i, j): [50.0 + i, 100.0 + 2 * j] for i in range(4) for j in range(4)}
    geoms, spans, union = [], [], {}
    for _ in range(12):
        at = (rng.randrange(4), rng.randrange(4))
        walk = [at]
        for _ in range(rng.randrange(2, 9)):
            i, j = walk[-1]
            step = rng.choice([(i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)])
            if step in grid:
                walk.append(step)
        if len(walk) < 2:
            continue
        colour = rng.randrange(3)
        geoms.append({"t": "ln", "c": [[grid[v] for v in walk]], "p": grid[walk[0]]})
        spans.append((len(geoms) - 1, colour, 0, 0))
        union.setdefault(colour, set()).update(
            frozenset((tuple(grid[a]), tuple(grid[b]))) for a, b in zip(walk, walk[1:]) if a != b)
    got = js(page, """
        const model = new SM.Model(arg);
        const recs = model.records.filter((r) => r.type === 'presence');
        const groups = new SM.TrackUnion(model).build(recs.map((r) => (
            {rec: r, colour: r.c[0], colourValue: '#000000', offset: 0})));
        const ll = (v) => [model.vertexLatLngs[v].lat, model.vertexLatLngs[v].lng];
        return groups.map((g) => ({colour: g.colour, chains: g.chains.map((c) => Array.from(c).map(ll)),
            segments: g.chainSegments.map((c) => c.length)}));
    """, stretches_payload(["1918-08"], 3, geoms, spans))
    assert sorted(g["colour"] for g in got) == sorted(union)
    for g in got:
        pieces = [frozenset((tuple(a), tuple(b))) for c in g["chains"] for a, b in zip(c, c[1:])]
        assert sorted(pieces, key=sorted) == sorted(union[g["colour"]], key=sorted)
        assert g["segments"] == [len(c) - 1 for c in g["chains"]]
        degree = {}
        for piece in union[g["colour"]]:
            for v in piece:
                degree[v] = degree.get(v, 0) + 1
        for c in g["chains"]:
            ends = [tuple(c[0]), tuple(c[-1])]
            assert all(degree[tuple(v)] == 2 for v in c[1:-1])
            assert ends[0] == ends[1] or all(degree[v] != 2 for v in ends)
            assert (c[0][1], c[0][0]) <= (c[-1][1], c[-1][0])


# ------------------------------------------------------------- ControlLayer geometry
@pytest.mark.parametrize("lat,lon,expected", [
    (1, 1, True), (3, 3, False), (1, 5, True), (5.5, 5.5, False), (-1, 1, False)])
def test_control_point_in_polygons(page, lat, lon, expected):
    # Two squares, the second with a hole: [lat, lon] rings as in the payload.
    polys = [[[[0, 0], [0, 2], [2, 2], [2, 0]]],
             [[[0, 4], [0, 7], [7, 7], [7, 4]], [[5, 5], [5, 6], [6, 6], [6, 5]]]]
    got = js(page, "return SM.ControlLayer.inPolygons(arg[0], arg[1], arg[2]);",
             [polys, lat, lon])
    assert got is expected


# ------------------------------------------------------- CanvasSurface, BitmapCanvas
def test_canvas_surface_shows_each_drawing_whole_and_starts_the_next_blank(page):
    got = js(page, """
        const canvas = document.createElement('canvas');
        const surface = SM.canvasSurface(canvas).resize(20, 10);
        const inked = () => {
            const d = SM.CanvasSurface.pixels(canvas).data, cols = [];
            for (let x = 0; x < 20; x++) { if (d[(5 * 20 + x) * 4 + 3]) { cols.push(x); } }
            return cols;
        };
        const out = {offscreen: surface.offscreen()};
        surface.ctx.fillRect(0, 0, 5, 10);
        surface.present();
        out.first = inked();
        surface.ctx.fillRect(15, 0, 5, 10);
        surface.present();
        out.second = inked();
        surface.resize(30, 10);
        out.resized = [canvas.width, canvas.height];
        return out;
    """)
    # The second drawing shows alone: the first is not under it.
    assert got == {"offscreen": True, "first": [0, 1, 2, 3, 4], "second": [15, 16, 17, 18, 19],
                   "resized": [30, 10]}


def test_bitmap_canvas_redraws_whole_when_one_path_changes(page):
    # Leaflet would repaint only around the restyled line; the surface keeps nothing between
    # drawings, so the other line must be drawn again too, and the page shows both.
    got = js_on_map(page, """
        const renderer = SM.bitmapCanvas({padding: 0}).addTo(map);
        const left = L.polyline([[20, -5], [-20, -5]], {renderer: renderer, weight: 4}).addTo(map);
        L.polyline([[20, 5], [-20, 5]], {renderer: renderer, weight: 4}).addTo(map);
        const columns = () => {
            const c = renderer._container, d = SM.CanvasSurface.pixels(c).data, y = c.height >> 1;
            const seen = {left: 0, right: 0};
            for (let x = 0; x < c.width; x++) {
                if (d[(y * c.width + x) * 4 + 3]) { seen[x < c.width / 2 ? 'left' : 'right']++; }
            }
            return seen;
        };
        return frame().then(() => {
            const before = columns();
            left.setStyle({weight: 8});
            return frame().then(() => ({before: before, after: columns(),
                context: renderer._container.getContext('2d') === null ? 'bitmaprenderer' : '2d'}));
        });
    """)
    assert got["context"] == "bitmaprenderer"
    assert got["before"]["left"] >= 4 and got["before"]["right"] >= 4
    assert got["after"]["left"] >= 8 and got["after"]["right"] == got["before"]["right"]



def test_bitmap_canvas_draws_a_moves_end_and_jumps_once_when_idle(page):
    # A pan's end is drawn in idle time, not at once; two jumps in a row are drawn once, and
    # meanwhile the last drawing is scaled onto the new view.
    got = js_on_map(page, """
        const renderer = SM.bitmapCanvas({padding: 0}).addTo(map);
        L.polyline([[20, -5], [-20, -5]], {renderer: renderer, weight: 4}).addTo(map);
        let drawn = 0;
        const present = renderer._surface.present;
        renderer._surface.present = function () { drawn++; return present.call(this); };
        const idle = () => new Promise(resolve => setTimeout(resolve, 300));
        return frame().then(() => {
            drawn = 0;
            map.panBy([40, 0], {animate: false});
            const afterPan = drawn;
            return idle().then(() => {
                const afterIdle = drawn;
                map.setZoom(4, {animate: false});
                map.setZoom(5, {animate: false});
                const scaled = renderer._container.style.transform;
                const afterJumps = drawn;
                return idle().then(() => [afterPan, afterIdle, afterJumps, drawn, scaled.indexOf('scale(4)') >= 0,
                                          renderer._zoom]);
            });
        });
    """)
    assert got == [0, 1, 1, 2, True, 5]

def test_control_layer_marks_a_front_once_between_the_stations(page):
    # Two stations held by opposite camps, the railway between them halved at its middle
    # (output/blocks.py): one front mark, at the middle, not a second one at the far station.
    got = js_on_map(page, """
        const control = {authorities: [{id: 'a', side: 'allied', colour: '#00aa00'}, {id: 'r', side: 'red', colour: '#aa0000'}],
            places: ['p', 'q'], runs: [[[0, 0, 0, 0, 0]], [[0, 0, 1, 0, 1]]], rows: {}, cells: [],
            pieces: [{c: [[0, 0], [0, 5]], a: 0, b: 1, m: [0, 5]}, {c: [[0, 5], [0, 10]], a: 1, b: 0}]};
        const ctl = L.extend({model: {payload: {control: control}, months: ['1918-01']}, monthIndex: () => 0}, L.Evented.prototype);
        const layer = SM.controlLayer(ctl).addTo(map);
        const marks = [];
        map.eachLayer(l => { if (l instanceof L.CircleMarker && l.options.opacity > 0) { marks.push([l.getLatLng().lat, l.getLatLng().lng]); } });
        map.removeLayer(layer);
        return Promise.resolve(marks);
    """)
    assert got == [[0, 5]]


# ------------------------------------------------------------------- FollowCanvas
@pytest.mark.parametrize("options,expected", [
    ({"stroke": True, "weight": 9, "opacity": 0.55, "fill": False}, True),
    ({"stroke": True, "weight": 9, "opacity": 0, "fill": False}, False),
    ({"stroke": True, "weight": 0, "opacity": 1, "fill": False}, False),
    ({"stroke": False, "weight": 3, "opacity": 1, "fill": True, "fillOpacity": 0.13}, True),
    ({"stroke": False, "weight": 3, "opacity": 1, "fill": True, "fillOpacity": 0}, False),
    ({"stroke": True, "weight": 2.5, "opacity": 0, "fill": True, "fillOpacity": 0}, False),
])
def test_follow_canvas_shows(page, options, expected):
    assert js(page, "return SM.FollowCanvas.shows(arg);", options) is expected


def test_follow_canvas_leaves_transparent_paths_out(page):
    # A canvas of its own on a map of its own: only the paths that leave a mark are stroked
    # or filled, and one made visible by setStyle is drawn on the next frame.
    got = js_on_map(page, """
        const renderer = SM.followCanvas().addTo(map);
        const ctx = renderer._ctx;
        const calls = [];
        ctx.stroke = function () { calls.push(['stroke', ctx.globalAlpha]); };
        ctx.fill = function () { calls.push(['fill', ctx.globalAlpha]); };
        const line = L.polyline([[0, 0], [5, 5]], {renderer: renderer, opacity: 0}).addTo(map);
        L.polyline([[0, 0], [-5, 5]], {renderer: renderer, opacity: 0.5}).addTo(map);
        L.circleMarker([1, 1], {renderer: renderer, opacity: 0, fillOpacity: 0}).addTo(map);
        return frame().then(() => {
            const first = calls.splice(0);
            line.setStyle({opacity: 1});
            return frame().then(() => [first, calls]);
        });
    """)
    assert got == [[["stroke", 0.5]], [["stroke", 1], ["stroke", 0.5]]]


def test_movement_cut_follows_route_shares(page):
    coords = [[0, 0], [0, 10], [0, 30]]
    got = js(page, "return SM.MovementLayer.cut(arg[0], arg[1], 0.25, 0.75);",
             [coords, [0, 1 / 3, 1]])
    assert [v for pt in got for v in pt] == pytest.approx([0, 7.5, 0, 10, 0, 22.5])


def test_movements_project_each_place_once_per_zoom_and_every_journey_at_once(page):
    # Journeys run along the same railway: a place several pass through is projected once,
    # and a new zoom projects every journey, shown this month or not.
    got = js(page, """
        const layer = Object.create(SM.MovementLayer.prototype);
        layer.options = SM.MovementLayer.prototype.options;
        layer._ctl = {monthIndex: () => 3, model: {contingents: [{colour: '#aa0000'}]}};
        Object.assign(layer, {_gen: 0, _genZoom: NaN, _pieces: new Map(), _mark: new Int32Array(0), _token: 0,
                              _covered: new SM.JourneyCover(), _progress: 1});
        const mv = (coords) => ({c: 0, m0: 3, m1: 3, f: [[0, 1]], cf: [0, 1], coords: coords, gen: -1});
        layer._list = [mv([[0, 0], [0, 50.5]]), mv([[0, 50.5], [10, 50]]), mv([[10, 50], [0, 0]])];
        layer._shown = [{k: 0}];
        const ctx = {setLineDash() {}, beginPath() {}, moveTo() {}, lineTo() {}, closePath() {}, stroke() {}, fill() {}};
        const out = [];
        for (const zoom of [5, 5, 6]) {
            let calls = 0;
            layer.drawUnder(ctx, {getZoom: () => zoom, project: (c, z) => { calls++; return L.point(c[0] * z, c[1] * z); }});
            out.push({calls: calls, px: layer._list.map((m) => m.px), shared: layer._list[0].px[1] === layer._list[1].px[0]});
        }
        return out;
    """)
    assert [o["calls"] for o in got] == [3, 0, 3]
    assert got[0]["px"] == [[[0, 0], [0, 253]], [[0, 253], [50, 250]], [[50, 250], [0, 0]]]
    assert got[2]["px"][0] == [[0, 0], [0, 303]]
    assert all(o["shared"] for o in got)


def test_movements_are_drawn_by_layer_one_path_per_contingent(page):
    # Four journeys, three of one contingent, two of those sharing their first piece of
    # track: each layer (whole route, part done before, this month's part, arrowheads) is one
    # stroke or fill per contingent, bottom to top, the arrowheads' outlines one stroke for
    # all, and a piece of route several journeys share is traced once.
    got = js(page, """
        const layer = Object.create(SM.MovementLayer.prototype);
        layer.options = SM.MovementLayer.prototype.options;
        layer._ctl = {monthIndex: () => 3, model: {contingents: [{colour: '#aa0000'}, {colour: '#0000aa'}]}};
        layer._gen = 0;
        layer._genZoom = NaN;
        layer._pieces = new Map();
        layer._mark = new Int32Array(0);
        layer._token = 0;
        layer._covered = new SM.JourneyCover();
        const mv = (c, coords) => ({c: c, m0: 3, m1: 3, f: [[0.5, 1]], cf: [0, 0.5, 1], coords: coords, gen: -1});
        layer._list = [mv(0, [[0, 0], [0, 50], [0, 100]]), mv(1, [[40, 0], [40, 50], [40, 100]]),
                       mv(0, [[80, 0], [80, 50], [80, 100]]), mv(0, [[0, 50], [0, 0], [30, -50]])];
        layer._shown = [{k: 0}, {k: 1}, {k: 2}, {k: 3}];
        layer._progress = 1;
        const ops = [];
        let subpaths = 0, pieces = 0;
        const ctx = {setLineDash() {}, beginPath() { subpaths = pieces = 0; }, moveTo() { subpaths++; },
                     lineTo() { pieces++; }, closePath() {},
                     stroke() { ops.push(['stroke', this.strokeStyle, this.lineWidth, subpaths, pieces]); },
                     fill() { ops.push(['fill', this.fillStyle, subpaths]); }};
        layer.drawUnder(ctx, {getZoom: () => 5, project: (c) => L.point(c[0], c[1])});
        return ops;
    """)
    assert got == [
        # whole routes: contingent 0's 6 pieces less the one traced twice, the 4th journey's
        # second piece starting a sub-path of its own
        ["stroke", "#aa0000", 2, 3, 5], ["stroke", "#0000aa", 2, 1, 2],
        ["stroke", "#aa0000", 2.5, 3, 3], ["stroke", "#0000aa", 2.5, 1, 1],  # done before
        ["stroke", "#aa0000", 5, 3, 3], ["stroke", "#0000aa", 5, 1, 1],  # this month's part
        ["fill", "#aa0000", 3], ["fill", "#0000aa", 1],  # arrowheads
        ["stroke", "#1b1b1b", 1, 4, 8],  # their outlines
    ]



# ---------------------------------------------------------------------- JourneyCover
def route_under_cover(page, hidden, dashes=(2, 6)):
    """A straight route of ten 5 px pieces along y = 0 (vertices x = 0, 5 ... 50), traced by
    JourneyCover.traceRoute under a cover that hides exactly the lines within [x0, x1]
    (`hidden`): the calls, as ['M' | 'L', x, y]."""
    return js(page, """
        const px = []; for (let x = 0; x <= 50; x += 5) { px.push([x, 0]); }
        const mv = {px: px, seg: Int32Array.from({length: 10}, (_, i) => i), cf: px.map(p => p[0] / 50)};
        const mask = {coveredConvex: pts => pts.every(p => p[0] >= arg.hidden[0] && p[0] <= arg.hidden[1])};
        const style = {weight: 2, lineCap: 'round', lineJoin: 'round', dashArray: arg.dashes};
        const cover = new SM.JourneyCover().start({mask: mask, x: 0, y: 0}, [style, style, style], 10);
        const ops = [];
        const ctx = {moveTo(x, y) { ops.push(['M', x, y]); }, lineTo(x, y) { ops.push(['L', x, y]); }};
        cover.traceRoute(ctx, mv, 0, 10, arg.dashes);
        return ops;
    """, {"hidden": list(hidden), "dashes": list(dashes)})


def line(*xs):
    return [["M", xs[0], 0]] + [["L", x, 0] for x in xs[1:]]


@pytest.mark.parametrize("hidden,dashes,expected", [
    # Nothing hidden: the whole run.
    ((99, 99), (2, 6), line(0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50)),
    # Pieces 10..30 hidden: the second part starts at 24, the last dash start (every 8 px)
    # before 30, inside the hidden stretch.
    ((10, 30), (2, 6), line(0, 5, 10) + line(24, 25, 30, 35, 40, 45, 50)),
    # A hidden piece shorter than the dashes' period with no dash start in it (10..15):
    # the line goes on through it.
    ((10, 15), (2, 6), line(0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50)),
    # One with a dash start in it (15..20, at 16).
    ((15, 20), (2, 6), line(0, 5, 10, 15) + line(16, 20, 25, 30, 35, 40, 45, 50)),
    # An odd list of dashes is repeated twice over: a period of 2 * (3 + 4 + 5) = 24.
    ((10, 30), (3, 4, 5), line(0, 5, 10) + line(24, 25, 30, 35, 40, 45, 50)),
    # Hidden from the start: the first part starts at the last dash start before it.
    ((0, 22), (2, 6), line(16, 20, 25, 30, 35, 40, 45, 50)),
    # Hidden to the end: nothing after the last piece that shows.
    ((35, 50), (2, 6), line(0, 5, 10, 15, 20, 25, 30, 35)),
    # A solid line is cut where it is hidden.
    ((10, 30), (), line(0, 5, 10) + line(30, 35, 40, 45, 50)),
])
def test_journey_cover_cuts_a_dashed_route_where_a_dash_starts(page, hidden, dashes, expected):
    assert route_under_cover(page, hidden, dashes) == expected


def test_symbol_sprites_are_warmed_while_the_page_is_idle(page):
    got = js(page, """
        const style = {shape: 'circle', radius: 5, weight: 1.5, opacity: 1, fillOpacity: 0.95, dashArray: null};
        const sprites = SM.symbolSprites([style, style, style, style], ['#aa0000', '#0000aa', '#777777']);
        const before = sprites._cache.filter(Boolean).length;
        sprites.warm();
        return new Promise(resolve => {
            let tries = 0;
            const poll = () => {
                const made = sprites._cache.filter(Boolean).length;
                if (made === 12 || ++tries > 300) { resolve([before, made, sprites._warming]); } else { setTimeout(poll, 10); }
            };
            poll();
        });
    """)
    assert got == [0, 12, None]


def test_count_badge_pills_are_rendered_once_per_colour_width_and_ratio(page):
    got = js(page, """
        const layer = Object.create(SM.CountBadgeLayer.prototype);
        layer._pills = new Map();
        const pill = layer._pill('#aa0000', 20, 1);
        const c = document.createElement('canvas');
        c.width = pill.width;
        c.height = pill.height;
        const ctx = c.getContext('2d');
        ctx.drawImage(pill, 0, 0);
        const px = (x, y) => Array.from(ctx.getImageData(x, y, 1, 1).data);
        return {same: layer._pill('#aa0000', 20, 1) === pill, other: layer._pill('#aa0000', 21, 1) !== pill,
                retina: [layer._pill('#aa0000', 20, 2).width, layer._pill('#aa0000', 20, 2).height],
                size: [pill.width, pill.height], centre: px(22, 11), corner: px(0, 0), top: px(22, 1)};
    """)
    assert got["same"] and got["other"]
    assert got["size"] == [44, 22] and got["retina"] == [88, 44]  # (20 + 2) * 2 by (9 + 2) * 2
    assert got["centre"] == [170, 0, 0, 255] and got["corner"][3] == 0
    assert got["top"][:3] == [255, 255, 255] and got["top"][3] > 0  # the white outline


# --------------------------------------------------------------- the pointer on symbols
def screen_point(page, lat, lon):
    return page.evaluate("""([lat, lon]) => {
        const map = L.SiberiaMap.current.map, p = map.latLngToContainerPoint([lat, lon]);
        const r = map.getContainer().getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""", [lat, lon])


def hover(page, x, y, selector):
    """Moves onto (x, y) until `selector` shows. Leaflet's canvas reads the pointer at most
    every 32 ms, so a move that lands inside that window is dropped, as the next move of a
    real hand would not be: the pointer settles by a fraction of a pixel until it is read."""
    from playwright.sync_api import TimeoutError as Timeout

    page.mouse.move(x - 40, y - 40)
    for i in range(20):
        page.mouse.move(x + (i % 2) * 0.5, y)
        try:
            page.locator(selector).wait_for(timeout=100)
            return page.locator(selector)
        except Timeout:
            continue
    raise AssertionError(f"nothing matching {selector} after hovering at {x}, {y}")


def test_hover_and_click_a_record_symbol(page):
    page.evaluate("() => window.siberiaMap.setMonth('1918-10')")
    page.evaluate("""() => new Promise((done) => {
        L.SiberiaMap.current.map.setView([55, 73.4], 6, {animate: false});
        requestAnimationFrame(() => requestAnimationFrame(done));
    })""")
    (rec,) = [r for r in page.evaluate("() => window.siberiaMap.visible()")
              if r["id"] == "p-britain-omsk"]
    x, y = screen_point(page, rec["lat"], rec["lon"])
    tip = hover(page, x, y, ".sm-tooltip")
    assert "Britain" in tip.inner_text()
    # Off the symbol, the tooltip goes.
    page.mouse.move(x + 60, y + 60, steps=3)
    page.mouse.move(x + 61, y + 61)
    page.wait_for_function("() => !document.querySelector('.sm-tooltip')", timeout=3000)
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup")
    popup.wait_for(timeout=3000)
    assert "Omsk" in popup.inner_text() and "800" in popup.inner_text()
    # A click on empty ground closes it; nothing opens there.
    page.mouse.click(x + 150, y + 150)
    page.wait_for_function("() => !document.querySelector('.leaflet-popup')", timeout=3000)


# ------------------------------------------------------------------- TypedColumns
def b64(raw: bytes) -> str:
    import base64
    return base64.b64encode(raw).decode("ascii")


@pytest.mark.parametrize("col,expected", [
    ({"t": "u8", "b64": b64(bytes([0, 7, 255]))}, [0, 7, 255]),
    ({"t": "i8", "b64": b64(bytes([255, 1]))}, [-1, 1]),
    # Wider types in byte planes: every value's low byte, then every value's next byte.
    ({"t": "u16", "b64": b64(b"\x01\x03\x00\x02")}, [1, 0x0203]),
    ({"t": "i16", "b64": b64(b"\xff\x00\xff\x80")}, [-1, -32768]),
    ({"t": "u32", "b64": b64(b"\x00\x00\x01\x00")}, [65536]),
    ({"t": "i32", "b64": b64(b"\xfe\x05\xff\x00\xff\x00\xff\x00")}, [-2, 5]),
    # The top bit set: above 2 ** 31 unsigned, the most negative signed.
    ({"t": "u32", "b64": b64(b"\xff\x01\xff\x00\xff\x00\xff\x80")}, [2 ** 32 - 1, 2 ** 31 + 1]),
    ({"t": "i32", "b64": b64(b"\x00\x00\x00\x80")}, [-2 ** 31]),
    ({"t": "u16", "b64": b64(b"\x34\xff")}, [0xff34]),
    ({"t": "u8", "b64": ""}, []),
    ([3, 1, 2], [3, 1, 2]),  # a JSON list stays as it is
])
def test_typed_columns_decode(page, col, expected):
    got = js(page, "const v = SM.TypedColumns.decode(arg); "
                   "return {values: Array.from(v), typed: ArrayBuffer.isView(v)};", col)
    assert got == {"values": expected, "typed": isinstance(col, dict)}


@pytest.mark.parametrize("col", [
    None, 5, "AAAA", {"t": "f64", "b64": "AAAA"}, {"t": "u16", "b64": b64(b"\x01")},
    {"t": "u8", "b64": "not base64!"}, {"t": "constructor", "b64": ""}, {"t": "u8"},
])
def test_typed_columns_refuse_what_is_not_a_column(page, col):
    assert js(page, "return SM.TypedColumns.decode(arg);", col) is None


def test_typed_columns_agree_with_python(page):
    from siberia_map.output.columns import typed
    values = [-70000, 0, 3, 65535, 2 ** 31 - 1]
    assert js(page, "return Array.from(SM.TypedColumns.decode(arg));", typed(values)) == values


def test_typed_columns_decode_all_keeps_other_columns_and_owns_no_prototype(page):
    got = js(page, """
        const out = SM.TypedColumns.decodeAll(JSON.parse(arg), ['m0', 'constructor']);
        return {m0: Array.from(out.m0), id: out.id, proto: Object.getPrototypeOf(out) === null,
                ctor: out.constructor, keys: Object.keys(out).sort()};
    """, '{"id": ["a"], "m0": {"t": "u8", "b64": "Bw=="}, "__proto__": {"x": 1}}')
    assert got == {"m0": [7], "id": ["a"], "proto": True, "ctor": None,
                   "keys": ["__proto__", "id", "m0"]}


# -------------------------------------------------------------------- StringTable
TEXTS = ["", "Omsk", "15\u201321 August 1918", "caf\u00e9", "\U0001f600 astral", "x", "\u041e\u043c\u0441\u043a"]


def test_string_table_agrees_with_python(page):
    from siberia_map.output.columns import Strings
    strings = Strings()
    numbers = strings.column(TEXTS)
    table, renumber = strings.encode()
    got = js(page, "const t = new SM.StringTable(arg.table); return arg.k.map((k) => t.get(k));",
             {"table": table, "k": [int(renumber[i]) for i in numbers]})
    assert got == TEXTS


def test_string_table_reads_wide_texts_written_as_text(page):
    # A table written by hand (or before the wide texts came as their UTF-8 bytes): `two`
    # holds the texts themselves, and its offsets still count their UTF-8 bytes.
    table = {"one": "ab", "two": "\u041e\u043c\u0441\u043a\u2013x", "n1": 2, "end": [0, 2, 8, 12]}
    got = js(page, "const t = new SM.StringTable(arg); return [0, 1, 2, 3].map((k) => t.get(k));", table)
    assert got == ["", "ab", "\u041e\u043c\u0441\u043a", "\u2013x"]


@pytest.mark.parametrize("table,k", [
    (None, 0), ({}, 0), ({"one": "ab", "n1": 1, "end": [2]}, 1), ({"one": "ab", "n1": 1, "end": [2]}, -1),
    ({"one": "ab", "n1": 1, "end": [2]}, 0.5), ({"one": 5, "n1": 1, "end": [2]}, 0),
])
def test_string_table_gives_empty_text_for_what_it_lacks(page, table, k):
    assert js(page, "return new SM.StringTable(arg.table).get(arg.k);", {"table": table, "k": k}) == ""


def test_typed_columns_read_lists_and_citations(page):
    from siberia_map.output.columns import lists, typed
    c = lists([[3], [], [1, 13]])
    cite = {"start": typed([0, 2, 2]), "src": typed([4, 0]), "loc": typed([7, 9])}
    got = js(page, """
        const T = SM.TypedColumns, c = T.decodeLists(arg.c), cite = T.decodeLists(arg.cite);
        return {c: [0, 1, 2, 3].map((i) => T.listAt(c, i)), cite: [0, 1].map((i) => T.listAt(cite, i)),
                plain: T.listAt(T.decodeLists([[5], [6]]), 1), bad: T.decodeLists({start: arg.c.start})};
    """, {"c": c, "cite": cite})
    assert got == {"c": [[3], [], [1, 13], []], "cite": [[[4, 7], [0, 9]], []], "plain": [6],
                   "bad": None}


def test_model_reads_texts_and_citations_through_the_string_table(page):
    from siberia_map.output.columns import Strings, lists, typed
    strings = Strings()
    title, when, loc = strings.column(["Landing", "3\u20135 August 1918", "ch. IV"])
    table, renumber = strings.encode()
    n = [int(renumber[i]) for i in (title, when, loc)]
    ev = dict(PAYLOAD["events"])
    k = len(ev["id"])
    ev.update(title=typed([n[0]] * k), when=typed([n[1]] + [0] * (k - 1)),
              c=lists([c if isinstance(c, list) else [c] for c in ev["c"]]),
              cite={"start": typed([0, 1] + [1] * (k - 1)), "src": typed([0]), "loc": typed([n[2]])})
    got = js(page, """
        const warn = console.warn; console.warn = () => {};
        const m = new SM.Model(arg); console.warn = warn;
        const r = m.records.find((x) => x.type === 'event' && x.i === 0);
        return {title: m.field(r, 'title'), when: m.field(r, 'when'), cite: m.field(r, 'cite'), c: r.c,
                missing: m.field(r, 'unote'), payload: m.payload.events};
    """, dict(PAYLOAD, events=ev, strings=table))
    assert got == {"title": "Landing", "when": "3\u20135 August 1918", "cite": [[0, "ch. IV"]],
                   "c": [0], "missing": "", "payload": None}


def month_index_of(ev, pr):
    """The Python month index of events `ev` and presence records `pr` over PAYLOAD's months."""
    from siberia_map.output.columns import month_index
    return month_index({"m0": ev["m0"], "m1": ev["m1"], "sort": ev["sort"]},
                       {"m0": pr["m0"], "m1": pr["m1"], "c": pr["c"]}, len(PAYLOAD["months"]))


def well_formed_payload():
    """PAYLOAD without its two malformed records, with its month index: every row makes a
    record, so the index's counts are the buckets' own."""
    from siberia_map.output.columns import lists
    ev = {k: v[:2] for k, v in PAYLOAD["events"].items()}
    pr = {k: v[:3] for k, v in PAYLOAD["presence"].items()}
    return dict(PAYLOAD, events=dict(ev, c=lists(ev["c"])), presence=pr, index=month_index_of(ev, pr))


def test_model_builds_buckets_when_idle_a_few_milliseconds_at_a_time(page):
    # Each bucket "takes" 4 ms of a clock the test keeps: a 48 ms idle deadline still gets
    # no more than IDLE_SPAN (6 ms) of buckets (at least one), and the rest wait for the next.
    got = js(page, """
        const raf = window.requestAnimationFrame, ric = window.requestIdleCallback, now = performance.now;
        const calls = [];
        let clock = 0;
        window.requestAnimationFrame = (fn) => fn();
        window.requestIdleCallback = (fn) => { calls.push(fn); return 0; };
        performance.now = () => clock;
        const out = [];
        try {
            const model = new SM.Model(arg);
            const built = [];
            model._month = (m) => { built.push(m); clock += 4; };
            while (calls.length) {
                calls.shift()({didTimeout: false, timeRemaining: () => 48});
                out.push(built.splice(0));
            }
        } finally {
            window.requestAnimationFrame = raf;
            window.requestIdleCallback = ric;
            performance.now = now;
        }
        return out;
    """, well_formed_payload())
    assert got == [[0, 1], [2]]


def test_model_reads_the_month_index_as_its_own_buckets(page):
    # The Python index of PAYLOAD must give the buckets the model would sort itself.
    from siberia_map.output.columns import typed
    ev, pr = PAYLOAD["events"], PAYLOAD["presence"]
    index = month_index_of(ev, pr)
    typed_pr = dict(pr, **{k: typed(pr[k]) for k in ("g", "m0", "m1", "c")})
    got = js(page, """
        const warn = console.warn; console.warn = () => {};
        const plain = new SM.Model(arg.plain), indexed = new SM.Model(arg.indexed);
        console.warn = warn;
        const ids = (m) => m.buckets.map((b) => b.map((r) => r.id));
        return {plain: ids(plain), indexed: ids(indexed), counts: [plain.bucketEventCounts, indexed.bucketEventCounts],
                c: indexed.records.filter((r) => r.type === 'presence').map((r) => r.c)};
    """, {"plain": PAYLOAD, "indexed": dict(PAYLOAD, presence=typed_pr, index=index)})
    assert got["indexed"] == got["plain"] == [["e1", "e2", "p-a", "p-b", "p-c"], ["e2", "p-a", "p-c"], ["p-c"]]
    assert got["counts"][0] == got["counts"][1]
    assert got["c"] == [[2], [0], [1]]


def test_model_counts_months_from_the_index_without_building_them(page):
    # PAYLOAD without its two malformed records (well_formed_payload), whose counts the
    # month histogram asks at start.
    got = js(page, """
        const model = new SM.Model(arg);
        const counts = [0, 1, 2].map((m) => [model.bucketEvents(m), model.bucketLength(m)]);
        const histogram = new SM.MonthHistogram(model);
        const built = model._buckets.filter(Boolean).length;
        return {counts, built, histogram: [Array.from(histogram._events), Array.from(histogram._presence)],
                buckets: [0, 1, 2].map((m) => [model.bucketEvents(m), model.bucket(m).length]), dropped: model._dropped};
    """, well_formed_payload())
    assert got["dropped"] == 0 and got["built"] == 0
    assert got["counts"] == got["buckets"] == [[2, 5], [1, 3], [0, 1]]
    assert got["histogram"] == [[2, 1, 0], [3, 2, 1]]


def test_controller_counts_a_months_events_without_building_its_bucket(page):
    # With nothing hidden a month's event count comes from the index (a step asks for it
    # before anything needs the records); a window, or a contingent hidden, counts the
    # records shown; every answer is what the records give.
    got = js(page, """
        const model = new SM.Model(arg);
        const ctl = new SM.Controller(model);
        const out = [];
        const events = () => ctl.visibleRecords().filter((r) => r.type === 'event').length;
        for (const m of [0, 1, 2]) {
            ctl.setMonthIndex(m);
            out.push([ctl.visibleEventCount(), model._buckets.filter(Boolean).length, events()]);
        }
        ctl.setWindow('range', 0, 1);
        out.push([ctl.visibleEventCount(), events()]);
        ctl.setWindow('month');
        ctl.setMonthIndex(0);
        ctl.setHidden(0, true);
        out.push([ctl.visibleEventCount(), events()]);
        return out;
    """, well_formed_payload())
    assert got[:3] == [[2, 0, 2], [1, 1, 1], [0, 2, 0]]  # each month's bucket built by events() only
    assert got[3] == [2, 2]
    assert got[4][0] == got[4][1]


def test_model_builds_the_buckets_while_the_page_is_idle(page):
    ev, pr = PAYLOAD["events"], PAYLOAD["presence"]
    index = month_index_of(ev, pr)
    built_at_once = page.evaluate("""(arg) => { const warn = console.warn; console.warn = () => {};
        window.__idleModel = new L.SiberiaMap.Model(arg); console.warn = warn;
        return Array.from(window.__idleModel._buckets).filter(Boolean).length; }""", dict(PAYLOAD, index=index))
    assert built_at_once == 0
    # Array.from: `every` skips the holes of an array made by new Array(n), the months not built.
    page.wait_for_function("() => Array.from(window.__idleModel._buckets).every(Boolean) "
                           "&& window.__idleModel._buckets.length === 3")
    got = page.evaluate("() => { const m = window.__idleModel; delete window.__idleModel; "
                        "return m._buckets.map((b) => b.map((r) => r.id)); }")
    assert got == [["e1", "e2", "p-a", "p-b", "p-c"], ["e2", "p-a", "p-c"], ["p-c"]]


def test_model_shares_contingent_lists_read_from_typed_columns(page):
    from siberia_map.output.columns import lists, typed
    c = [[0], [1, 0], [], [2, 0], [0], [7], [1, 0], [1, 1], [2], [0, 1], [2, 0, 1], [0, 0], [2000, 1],
         [0, 1, 2, 0]]
    n = len(c)
    ev = {"id": [f"e{i}" for i in range(n)], "g": [0] * n, "m0": [0] * n, "m1": [0] * n, "c": c}
    got = js(page, """
        const plain = new SM.Model(arg.plain), typed = new SM.Model(arg.typed);
        const lists = (m) => m.records.map((r) => r.c);
        const same = (m) => [[0, 4], [1, 6], [0, 11], [7, 12]].map(([a, b]) => m.records[a].c === m.records[b].c);
        return {plain: lists(plain), typed: lists(typed), shared: [same(plain), same(typed)],
                frozen: typed.records.every((r) => Object.isFrozen(r.c))};
    """, {"plain": dict(PAYLOAD, events=ev, presence={"id": []}),
          "typed": dict(PAYLOAD, events=dict(ev, g=typed(ev["g"]), c=lists(c)), presence={"id": []})})
    # Unknown contingents (7, 2000) and repeats drop out; equal lists are one shared list.
    assert got["typed"] == got["plain"] == [[0], [1, 0], [], [2, 0], [0], [], [1, 0], [1], [2], [0, 1],
                                            [2, 0, 1], [0], [1], [0, 1, 2]]
    assert got["shared"] == [[True] * 4] * 2 and got["frozen"] is True


# ------------------------------------------------------------------- RecordHits
HITS_JS = """
    const proj = {ax: Float64Array.from([100, 200]), ay: Float64Array.from([100, 100])};
    const hits = new SM.RecordHits(proj, {tolerance: 2});
    // One event and three presence records stacked at anchor 0 (the event in the middle,
    // two presence records on one spot), one presence record alone at anchor 1.
    const scene = {n: 5, split: 1, rec: ['e', 'p1', 'p2', 'p3', 'far'].map((id) => ({id})),
        sprite: [{hit: 6}, {hit: 5}, {hit: 5}, {hit: 5}, {hit: 5}], anchor: Int32Array.from([0, 0, 0, 0, 1]),
        dx: Float64Array.from([0, 12, 12, -12, 0]), dy: Float64Array.from([0, 0, 0, 0, 0]), tracks: [], areas: []};
    const view = L.bounds([0, 0], [400, 300]);
    const one = (x, y) => { const h = hits.hitTest(scene, x, y, view); return h && [h.rec.id, h.symbol]; };
    const all = (x, y) => hits.hitAll(scene, x, y, view).map((h) => h.rec.id);
    return {event: one(100, 100), edge: one(107, 100), stacked: one(112, 101), left: one(88, 100),
            far: one(200, 100), none: one(150, 150), ring: all(100, 100), spot: all(112, 100),
            outside: all(150, 150)};
"""


def test_record_hits_on_stacked_records(page):
    got = js(page, HITS_JS)
    assert got["event"] == ["e", 0]
    assert got["edge"] == ["e", 0]  # 7 px: within the event's 6 + 2 tolerance
    assert got["stacked"] == ["p2", 2]  # two on one spot: the later one is drawn on top
    assert got["left"] == ["p3", 3]
    assert got["far"] == ["far", 4]
    assert got["none"] is None
    # A click on the place lists every record of its ring: events first, then presence,
    # later over earlier; on one symbol's spot, the ring it lies in as well.
    assert got["ring"] == ["e", "p3", "p2", "p1"]
    assert got["spot"] == ["e", "p3", "p2", "p1"]
    assert got["outside"] == []


# ------------------------------------------------------------------- StepAhead
STEP_AHEAD = """
    const ctl = new SM.Controller(new SM.Model(arg.payload));
    ctl.setState({month: 0});
    const done = [], ahead = new Set(), drawn = new Set();
    const scenes = {scene: {month: 1}, ahead: (m) => ahead.has(m) ? {month: m} : null, fillMs: arg.fillMs,
                    buildAhead: (sprites, m) => { done.push('scene ' + m); ahead.add(m); return true; }};
    const canvas = {_map: {}, drawPending: () => !!arg.framePending, isPrepared: (s) => drawn.has(s.month),
                    nextSlice: (s) => drawn.has(s.month) ? null : 'drawing',
                    prepare: (s) => { done.push('drawing ' + s.month); drawn.add(s.month); return true; }};
    const step = new SM.StepAhead(ctl, scenes, canvas, null);
    ctl.setState({month: 1});
    step.schedule();
    window.cancelIdleCallback(step._idle);  // (the test plays the idle periods)
    // (`costs`: per kind, what the last two pieces took, or one figure for both.)
    for (const k in arg.costs || {}) { step._cost[k] = [].concat(arg.costs[k], arg.costs[k]).slice(0, 2); }
    const out = [];
    for (const period of arg.periods) {
        const left = period.slice();
        step._run({timeRemaining: () => left.length > 1 ? left.shift() : left[0]});
        window.cancelIdleCallback(step._idle);
        out.push(done.splice(0));
    }
    return {done: out, cost: step._cost};
"""


@pytest.mark.parametrize("periods, costs, fill_ms, expected", [
    # Before any piece is timed, a scene is expected to take what the last scene took to
    # work out for a step (RecordScene.fillMs), else 8 ms, and a slice 8 ms; after the first
    # piece, no more than SPAN (16 ms) in all.
    ([[5]], None, None, [[]]),
    ([[10, 10, 10, 10]], None, None, [["scene 2", "drawing 2", "scene 0", "drawing 0"]]),
    ([[4, 4]], None, 3, [["scene 2"]]),
    ([[3]], None, 3, [[]]),
    # Timed: a piece runs where the time left holds 1.25 times what the last one took...
    ([[12, 12, 12, 12]], {"scene": 2, "drawing": 2}, None, [["scene 2", "drawing 2", "scene 0", "drawing 0"]]),
    ([[12, 10, 12, 12]], {"scene": 2, "drawing": 9}, None, [["scene 2"]]),
    ([[2, 2]], {"scene": 2, "drawing": 9}, None, [[]]),
    # ...or the one before, if shorter: one long piece (a new canvas, a hiccup) is not the rule.
    ([[12, 3]], {"scene": 2, "drawing": [9, 2]}, None, [["scene 2", "drawing 2", "scene 0", "drawing 0"]]),
    # ...and, after the first, while the callback stays within SPAN: 1.25 * 14 > 16.
    ([[49, 49], [49, 49]], {"scene": 2, "drawing": 14}, None, [["scene 2"], ["drawing 2", "scene 0", "drawing 0"]]),
    # A slice of a kind not timed yet is expected to take what the dearest slice took.
    ([[12, 10]], {"scene": 2, "lines": 1, "symbols": 3}, None, [["scene 2", "drawing 2", "scene 0", "drawing 0"]]),
    ([[12, 10]], {"scene": 2, "lines": 1, "symbols": 9}, None, [["scene 2"]]),
])
def test_step_ahead_does_only_what_the_idle_time_left_holds(page, periods, costs, fill_ms, expected):
    # A step from month 0 to 1: month 2 comes first (the direction of travel), then 0.
    got = js(page, STEP_AHEAD, {"payload": PAYLOAD, "periods": periods, "costs": costs, "fillMs": fill_ms})
    assert got["done"] == expected


def test_step_ahead_expects_a_piece_that_keeps_waiting_to_take_less(page):
    # A drawing slice timed at 9 ms twice is not shut out until a long idle period: each
    # idle period it does not fit, it is expected 10 % shorter, until it is timed again.
    got = js(page, STEP_AHEAD, {"payload": PAYLOAD, "costs": {"scene": 0, "drawing": 9},
                                "periods": [[12, 8], [8], [8], [8], [8]]})
    # Expected 9, then 8.1, 7.29, 6.56, 5.90 ms: 5.90 * 1.25 fits in the 8 ms left.
    assert got["done"] == [["scene 2"], [], [], [], ["drawing 2", "scene 0", "drawing 0"]]
    assert got["cost"]["drawing"][0] < 1  # timed again: the fake takes no time


def test_step_ahead_draws_the_month_stepped_to_first_while_its_frame_is_to_come(page):
    got = js(page, STEP_AHEAD, {"payload": PAYLOAD, "costs": {"scene": 0, "drawing": 0},
                                "framePending": True, "periods": [[12]]})
    assert got["done"] == [["drawing 1", "scene 2", "drawing 2", "scene 0", "drawing 0"]]


# ------------------------------------------------------------------- MonthTracks
def test_month_tracks_work_ahead_within_a_span_whatever_the_deadline_says(page):
    # Each month's lines "take" 3 ms of a clock the test keeps. Half of SPAN (4 ms) is the
    # first guess. A 48 ms idle deadline still gets no more than SPAN (8 ms) of work; then
    # 3 ms left is less than 1.25 times 3: nothing, and the month is expected 10 % shorter.
    months = [f"1919-{m:02d}" for m in range(1, 13)]
    got = js(page, """
        const ctl = new SM.Controller(new SM.Model(Object.assign({}, arg.payload, {months: arg.months})));
        ctl.setState({month: 4});
        const tracks = new SM.MonthTracks(ctl, ['#111111', '#222222', '#333333', '#999999']);
        tracks.entry(ctl);
        let clock = 0, run = null;
        const built = [];
        tracks._linesOf = (m) => { built.push(m); clock += 3; tracks._memo.months[m] = {groups: []}; };
        const now = performance.now, whenIdle = SM.util.whenIdle;
        performance.now = () => clock;
        SM.util.whenIdle = (fn) => { run = fn; return null; };
        const out = [];
        try {
            for (const left of [48, 3, 48]) {
                tracks._idle = null;
                tracks.prefetch();
                run({timeRemaining: () => left});
                out.push({built: built.splice(0), cost: tracks._cost});
            }
        } finally {
            performance.now = now;
            SM.util.whenIdle = whenIdle;
        }
        return out;
    """, {"payload": PAYLOAD, "months": months})
    assert [o["built"] for o in got] == [[5, 3], [], [6, 2]]
    assert got[1]["cost"] == pytest.approx(2.7)


# ------------------------------------------------------------------ AheadDrawings
AHEAD = """
    const log = [];
    const slice = (name, kind, more) => { const f = (ctx) => { log.push(name); ctx.fillStyle = '#f00';
        ctx.fillRect(log.length, 0, 1, 1); if (more) { slices.push(...more); } }; f.kind = kind; return f; };
    let slices;
    const begin = (ctx) => { log.push('begin'); slices = [slice('a', 'start'), slice('b', 'lines',
        [slice('c', 'symbols')])]; return slices; };
    const ahead = new SM.AheadDrawings();
    const scene = {}, other = {};
    const out = {next: []};
"""


def test_ahead_drawings_draw_one_slice_a_step_and_keep_the_finished_drawing(page):
    got = js(page, AHEAD + """
        out.next.push(ahead.next(scene, 'k'));
        for (let i = 0; i < 3; i++) {
            out.next.push(ahead.step(scene, 'k', 8, 4, begin) && ahead.next(scene, 'k'));
        }
        const canvas = ahead.ready(scene, 'k');
        const px = canvas.getContext('2d').getImageData(0, 0, 8, 1).data;
        out.red = Array.from({length: 8}, (_, i) => px[4 * i]);
        out.log = log;
        out.otherKey = ahead.ready(scene, 'other key');
        ahead.forget(scene);
        out.forgotten = ahead.ready(scene, 'k');
        return out;
    """)
    # One slice per step (c added by b), in order; nothing left: next() is null.
    assert got["log"] == ["begin", "a", "b", "c"]
    assert got["next"] == ["start", "lines", "symbols", None]
    assert got["red"] == [0, 0, 255, 255, 255, 0, 0, 0]  # what each slice drew (x = log length)
    assert got["otherKey"] is None and got["forgotten"] is None


def test_ahead_drawings_hand_over_a_drawing_under_way_and_start_again_for_another(page):
    got = js(page, AHEAD + """
        ahead.step(scene, 'k', 8, 4, begin);
        out.otherKey = ahead.take(scene, 'k2');
        const part = ahead.take(scene, 'k');
        out.left = part.slices.slice(part.next).map(f => f.kind);
        out.gone = ahead.take(scene, 'k');
        ahead.release(part.canvas);
        ahead.step(other, 'k', 8, 4, begin);
        out.reused = ahead._job.canvas === part.canvas;
        // Another scene or key begins again; a drawing given up leaves no ink behind.
        out.cleared = Array.from(ahead._job.ctx.getImageData(0, 0, 8, 1).data).filter((v, i) => i % 4 === 3);
        ahead.step(scene, 'k', 8, 4, begin);
        out.log = log;
        return out;
    """)
    assert got["otherKey"] is None and got["gone"] is None
    assert got["left"] == ["lines"]
    assert got["reused"]
    assert got["cleared"] == [0, 0, 0, 0, 255, 0, 0, 0]  # only slice a of the new drawing
    assert got["log"] == ["begin", "a", "begin", "a", "begin", "a"]
