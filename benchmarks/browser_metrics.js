/*
 * Measurement code injected into every benchmarked page (Playwright add_init_script) before
 * the page's own scripts run. It knows each tool only through a small adapter: how to tell
 * that the map is ready, how to move to month i, how to count what is drawn.
 *
 * Timing conventions (all in ms, from performance.now(), whose origin is navigation start):
 *
 * - frame(): resolves in a setTimeout(0) queued from a requestAnimationFrame callback. The
 *   rAF callbacks of a frame, then its style, layout and paint run in one task, so the
 *   timeout fires right after that frame was painted (main-thread paint; raster and display
 *   happen off the main thread). Leaflet's canvas redraws in a rAF callback registered
 *   during the step, i.e. before ours, so it is inside the measured frame.
 * - load: after the window `load` event, the adapter's ready() is polled once per frame;
 *   load_ms is the time of frame() after the first frame in which ready() held.
 * - a step: settle with frame(); t0; call the tool's own API to move to the month; t1;
 *   frame() -> t2 (rAF timestamp ts = the frame's start). wall = t2 - t0 (includes the wait
 *   for the next 60 Hz vsync, up to ~16.7 ms, which has nothing to do with the tool);
 *   work = wall - max(0, ts - t1) (the same without the idle wait for vsync: the call's own
 *   JS plus the frame's rAF callbacks, style, layout and paint); js = t1 - t0.
 */
(function () {
	'use strict';

	var B = window.__bench = window.__bench || {};

	B.frame = function () {
		return new Promise(function (resolve) {
			requestAnimationFrame(function (ts) { setTimeout(function () { resolve(ts); }, 0); });
		});
	};

	// folium names its objects map_<hex>, timeline_<hex>... as globals of the page.
	function findGlobal(test) {
		var keys = Object.keys(window);
		for (var i = 0; i < keys.length; i++) {
			var v;
			try { v = window[keys[i]]; } catch (e) { continue; }
			if (v && typeof v === 'object' && test(v, keys[i])) { return v; }
		}
		return null;
	}

	function leafletMap() {
		return B._map || (B._map = findGlobal(function (v, k) { return /^map_/.test(k) && window.L && v instanceof L.Map; }));
	}

	var adapters = {
		ours: {
			ready: function () {
				return !!(window.siberiaMap && window.siberiaMap.months().length);
			},
			steps: function () { return window.siberiaMap.months().length; },
			stepLabels: function () { return window.siberiaMap.months(); },
			setMonth: function (i) { window.siberiaMap.setMonth(B.months[i]); },
			// Records only: the peers have no movements, and the CSV count is of records.
			visibleCount: function () {
				return window.siberiaMap.visible().filter(function (r) { return r.type !== 'movement'; }).length;
			},
			contingents: function () { return window.siberiaMap.contingents().map(function (c) { return c.id; }); },
			toggle: function (id, on) { window.siberiaMap.setContingentVisible(id, on); }
		},
		timestamped: {
			layer: function () {
				return B._layer || (B._layer = findGlobal(function (v) {
					return window.L && L.TimeDimension && L.TimeDimension.Layer && v instanceof L.TimeDimension.Layer.GeoJson;
				}));
			},
			ready: function () {
				var map = leafletMap(), layer = this.layer();
				return !!(map && map.timeDimension && layer && layer._map &&
					document.querySelector('.leaflet-control-timecontrol'));
			},
			steps: function () { return leafletMap().timeDimension.getAvailableTimes().length; },
			stepLabels: function () {
				return leafletMap().timeDimension.getAvailableTimes().map(function (t) { return new Date(t).toISOString().slice(0, 10); });
			},
			// As shipped the plugin has one step for 1918 data; for timing, give its
			// TimeDimension the month starts (what a fixed sort would produce).
			prepareSteps: function () {
				leafletMap().timeDimension.setAvailableTimes(B.monthStarts.slice(), 'replace');
			},
			setMonth: function (i) { leafletMap().timeDimension.setCurrentTimeIndex(i); },
			visibleCount: function () {
				var layer = this.layer(), cur = layer._currentLayer;
				return cur && layer._map && layer._map.hasLayer(cur) ? cur.getLayers().length : 0;
			}
		},
		timeline: {
			layer: function () {
				return B._layer || (B._layer = findGlobal(function (v) { return window.L && L.Timeline && v instanceof L.Timeline; }));
			},
			control: function () {
				return B._control || (B._control = findGlobal(function (v) {
					return window.L && L.TimelineSliderControl && v instanceof L.TimelineSliderControl;
				}));
			},
			ready: function () {
				var layer = this.layer(), control = this.control();
				return !!(layer && layer._map && control && control.container &&
					document.querySelector('.leaflet-timeline-control input[type=range]'));
			},
			// The slider is continuous; prev/next walk through the distinct start/end times.
			steps: function () { return this.control()._getTimes().length; },
			stepLabels: function () {
				return this.control()._getTimes().map(function (t) { return new Date(t).toISOString().slice(0, 10); });
			},
			setMonth: function (i) { this.control().setTime(B.monthStarts[i]); },
			visibleCount: function () { return this.layer().getLayers().length; }
		}
	};

	// Called from the init script: which tool this page is, and the month list.
	B.init = function (tool, months, monthStarts) {
		B.tool = tool;
		B.adapter = adapters[tool];
		B.months = months;
		B.monthStarts = monthStarts;
		B.loaded = false;
		window.addEventListener('load', function () {
			B.loadEventMs = performance.now();
			var poll = function () {
				var ok = false;
				try { ok = B.adapter.ready(); } catch (e) { ok = false; }
				if (!ok) { requestAnimationFrame(poll); return; }
				B.frame().then(function () {
					B.loadMs = performance.now();
					B.loaded = true;
				});
			};
			poll();
		});
	};

	B.info = function () {
		var a = B.adapter;
		var nav = performance.getEntriesByType('navigation')[0] || {};
		return {
			loadMs: B.loadMs,
			loadEventMs: B.loadEventMs,
			domContentLoadedMs: nav.domContentLoadedEventEnd,
			steps: a.steps(),
			stepLabels: a.stepLabels(),
			visible: a.visibleCount()
		};
	};

	function stats(list) {
		var s = list.slice().sort(function (x, y) { return x - y; });
		var q = function (p) { return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]; };
		return {n: s.length, median: q(0.5), p95: q(0.95), max: s[s.length - 1]};
	}

	async function timed(action) {
		await B.frame();
		var t0 = performance.now();
		action();
		var t1 = performance.now();
		var ts = await B.frame();
		var t2 = performance.now();
		return {wall: t2 - t0, work: (t2 - t0) - Math.max(0, ts - t1), js: t1 - t0};
	}

	// Steps through `order` (month indices), timing each; returns the three distributions.
	// With `pauseMs`, each step comes that long after the last one's frame, as a reader's
	// clicks or key presses do; without, each comes right after it (steps in a row: no idle
	// time between them).
	B.measureSteps = async function (order, pauseMs) {
		var a = B.adapter, wall = [], work = [], js = [];
		if (a.prepareSteps) { a.prepareSteps(); await B.frame(); }
		for (var k = 0; k < order.length; k++) {
			if (pauseMs) { await new Promise(function (resolve) { setTimeout(resolve, pauseMs); }); }
			var r = await timed(function () { a.setMonth(order[k]); });
			wall.push(r.wall); work.push(r.work); js.push(r.js);
		}
		// (`steps`: each step's work in order, to find where the slowest fall.)
		return {wall: stats(wall), work: stats(work), js: stats(js), steps: work};
	};

	// Hides then shows each contingent in turn at month index `month`.
	B.measureToggles = async function (month, rounds) {
		var a = B.adapter, wall = [], work = [], js = [];
		if (!a.toggle) { return null; }
		a.setMonth(month);
		await B.frame();
		var ids = a.contingents();
		for (var r = 0; r < rounds; r++) {
			for (var i = 0; i < ids.length; i++) {
				for (var on = 0; on < 2; on++) {
					var t = await timed(function () { a.toggle(ids[i], on === 1); });
					wall.push(t.wall); work.push(t.work); js.push(t.js);
				}
			}
		}
		return {wall: stats(wall), work: stats(work), js: stats(js)};
	};

	// Visible record count after moving to each month index (untimed).
	B.countPerMonth = async function (count) {
		var a = B.adapter, out = [];
		if (a.prepareSteps) { a.prepareSteps(); }
		for (var i = 0; i < count; i++) {
			a.setMonth(i);
			out.push(a.visibleCount());
		}
		await B.frame();
		return out;
	};
})();
