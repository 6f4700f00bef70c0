/*
 * L.SiberiaMap.TrailLayer: in a window of several months, where each shown contingent has
 * been: its places month by month, older months fainter, and a line from where it was to
 * each place it newly turns up at.
 *
 * A contingent's positions in a month are the places of its presence records there (a
 * railway stretch by its representative point). A place it holds in month m but did not in
 * m - 1 is joined to the nearest of its places in m - 1: for a contingent on the move that
 * is the way it went, and one holding a dozen towns does not get a web of lines, since a
 * place it keeps draws no line. The last month of the window is drawn at full strength,
 * the first at `minOpacity`. Nothing is drawn for a single month (the records say it all).
 *
 * Drawn on a canvas of its own in a pane under the records that never takes the pointer,
 * as one multi-part line per contingent and shade (opacities come in `levels` steps), so a
 * window of a year over a busy data set is a few hundred paths, not thousands of layers;
 * a dot is a line of no length with round caps.
 * When the window changes the trail fades in (a CSS animation on the pane, which
 * `prefers-reduced-motion` turns off: siberia-marks.css).
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	SM.TrailLayer = L.Layer.extend({

		// @option pane: String = 'smTrail'
		// Created under the movements (410) and the records (420).
		//
		// @option minOpacity: Number = 0.15
		// Opacity of the window's first month; its last is `maxOpacity`.
		//
		// @option maxOpacity: Number = 0.8
		//
		// @option weight: Number = 2.5
		// Width of the lines in pixels.
		//
		// @option radius: Number = 3
		// Radius of the dot at each place, in pixels.
		//
		// @option levels: Number = 8
		// How many shades from `minOpacity` to `maxOpacity` the months are drawn in.
		//
		// @option maxLinks: Number = 64
		// A contingent with more places than this in a month or the month before has those
		// months' dots but no lines: joining hundreds of places to their nearest says nothing
		// and would cost a step its frame.
		options: {
			pane: 'smTrail',
			minOpacity: 0.15,
			maxOpacity: 0.8,
			weight: 2.5,
			radius: 3,
			levels: 8,
			maxLinks: 64
		},

		// @param controller: L.SiberiaMap.Controller
		initialize: function (controller, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			this._segments = [];
			this._dots = [];
		},

		onAdd: function (map) {
			this._pane = util.overlayPane(map, this.options.pane, 405);
			L.DomUtil.addClass(this._pane, 'sm-trail-pane');
			this._renderer = L.canvas({pane: this.options.pane, padding: 0.1});
			this._group = L.layerGroup().addTo(map);
			this._ctl.on('change', this._onChange, this);
			this._update();
		},

		onRemove: function () {
			this._ctl.off('change', this._onChange, this);
			this._group.remove();
			this._renderer.remove();
			this._segments = [];
			this._dots = [];
		},

		// @method segments(): Array
		// The lines drawn: `[{contingent: id, month: "YYYY-MM" (the month it reached `to`),
		// from: [lat, lon], to: [lat, lon], opacity}]`, empty outside a window.
		segments: function () {
			return this._segments.map(function (s) { return L.extend({}, s, {from: s.from.slice(), to: s.to.slice()}); });
		},

		// @method dots(): Array
		// The places drawn: `[{contingent: id, month: "YYYY-MM" (the last month of the
		// window it was there), lat, lon, opacity}]`.
		dots: function () {
			return this._dots.map(function (d) { return L.extend({}, d); });
		},

		_onChange: function (e) {
			if (e.monthChanged || e.filterChanged) { this._update(); }
		},

		// A month's shade (0 .. levels - 1): the window's first month 0, its last the top.
		_level: function (m, from, to) {
			const top = this.options.levels - 1;
			return to > from ? Math.round(top * (m - from) / (to - from)) : top;
		},

		_opacity: function (level) {
			const o = this.options;
			return o.minOpacity + (o.maxOpacity - o.minOpacity) * level / (o.levels - 1);
		},

		_update: function () {
			const ctl = this._ctl;
			const w = ctl.window();
			// One month has no trail: with none up either, a step has nothing to clear or draw.
			if (w.from >= w.to && !this._segments.length && !this._dots.length) { return; }
			this._segments = [];
			this._dots = [];
			this._group.clearLayers();
			if (w.from < w.to) { this._build(w.from, w.to); }
			this._draw();
			// (Restarted: the fade-in runs again for the new window.)
			L.DomUtil.removeClass(this._pane, 'sm-trail-fade');
			if (this._segments.length || this._dots.length) {
				void this._pane.offsetWidth;
				L.DomUtil.addClass(this._pane, 'sm-trail-fade');
			}
		},

		// Per shown contingent, its places in each month of from..to (anchor ids), then the
		// lines and the dots.
		_build: function (from, to) {
			const ctl = this._ctl;
			const model = ctl.model;
			const months = model.months;
			const places = [];  // per contingent, per month offset: a Set of anchor ids
			const last = new Map();  // contingent * anchors + anchor -> last month there
			const nA = model.anchorKeys.length;
			let m;
			for (m = from; m <= to; m++) {
				const bucket = model.bucket(m);
				for (let i = 0; i < bucket.length; i++) {
					const rec = bucket[i];
					if (rec.type !== 'presence' || rec.a < 0 || ctl.isHidden(rec.c[0])) { continue; }
					const ci = rec.c[0];
					const per = places[ci] || (places[ci] = []);
					(per[m - from] || (per[m - from] = new Set())).add(rec.a);
					last.delete(ci * nA + rec.a);  // (re-inserted: the Map keeps first-seen order otherwise)
					last.set(ci * nA + rec.a, m);
				}
			}
			const lls = model.anchorLatLngs;
			for (let ci = 0; ci < places.length; ci++) {
				if (!places[ci]) { continue; }
				const id = model.contingents[ci].id;
				for (m = from + 1; m <= to; m++) {
					const now = places[ci][m - from];
					const before = places[ci][m - 1 - from];
					if (!now || !before || now.size > this.options.maxLinks || before.size > this.options.maxLinks) { continue; }
					const candidates = Array.from(before);
					const level = this._level(m, from, to);
					now.forEach(function (a) {
						if (before.has(a)) { return; }
						const near = nearest(lls, a, candidates);
						this._segments.push({contingent: id, ci: ci, month: months[m], from: [lls[near].lat, lls[near].lng],
							to: [lls[a].lat, lls[a].lng], level: level, opacity: this._opacity(level)});
					}, this);
				}
			}
			last.forEach(function (month, key) {
				const ci = Math.floor(key / nA);
				const ll = lls[key % nA];
				const level = this._level(month, from, to);
				this._dots.push({contingent: model.contingents[ci].id, ci: ci, month: months[month],
					lat: ll.lat, lon: ll.lng, level: level, opacity: this._opacity(level)});
			}, this);
		},

		// One multi-part line per contingent and shade for the segments, one for the dots.
		_draw: function () {
			const o = this.options;
			const colours = this._ctl.model.contingents;
			const base = {pane: o.pane, renderer: this._renderer, interactive: false, lineCap: 'round'};
			const lines = new Map();
			const dots = new Map();
			const add = function (into, item, part) {
				const key = item.ci * o.levels + item.level;
				let entry = into.get(key);
				if (!entry) { into.set(key, entry = {ci: item.ci, level: item.level, parts: []}); }
				entry.parts.push(part);
			};
			// (A dot: a line of a hundred-thousandth of a degree, drawn as its round caps.)
			this._segments.forEach(function (s) { add(lines, s, [s.from, s.to]); });
			this._dots.forEach(function (d) { add(dots, d, [[d.lat, d.lon], [d.lat, d.lon + 1e-5]]); });
			lines.forEach(function (e) {
				L.polyline(e.parts, L.extend({color: colours[e.ci].colour, weight: o.weight, opacity: this._opacity(e.level),
					dashArray: '1 5'}, base)).addTo(this._group);
			}, this);
			dots.forEach(function (e) {
				L.polyline(e.parts, L.extend({color: colours[e.ci].colour, weight: 2 * o.radius,
					opacity: this._opacity(e.level), smoothFactor: 0}, base)).addTo(this._group);
			}, this);
		},

		// @method pathCount(): Number
		// How many paths the trail is drawn as (for tests).
		pathCount: function () {
			return this._group.getLayers().length;
		}
	});

	// The anchor in `candidates` nearest to anchor `a` (degrees, longitude scaled by the
	// cosine of the latitude: fine for picking the nearest of a few towns).
	function nearest(lls, a, candidates) {
		const p = lls[a];
		const k = Math.cos(p.lat * Math.PI / 180);
		let best = candidates[0];
		let bestD = Infinity;
		for (let i = 0; i < candidates.length; i++) {
			const q = lls[candidates[i]];
			const d = (q.lat - p.lat) * (q.lat - p.lat) + (q.lng - p.lng) * (q.lng - p.lng) * k * k;
			if (d < bestD) {
				bestD = d;
				best = candidates[i];
			}
		}
		return best;
	}

	SM.trailLayer = function (controller, options) {
		return new SM.TrailLayer(controller, options);
	};
})(L);
