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
 * Drawn on a canvas of its own in a pane under the records that never takes the pointer.
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

		// A month's opacity: the window's first month `minOpacity`, its last `maxOpacity`.
		_opacity: function (m, from, to) {
			const o = this.options;
			return to > from ? o.minOpacity + (o.maxOpacity - o.minOpacity) * (m - from) / (to - from) : o.maxOpacity;
		},

		_update: function () {
			const ctl = this._ctl;
			const w = ctl.window();
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
			const places = [];  // per contingent, per month offset: anchor ids
			const last = {};     // "contingent:anchor" -> last month there
			let m;
			for (m = from; m <= to; m++) {
				const bucket = model.bucket(m);
				for (let i = 0; i < bucket.length; i++) {
					const rec = bucket[i];
					if (rec.type !== 'presence' || rec.a < 0 || ctl.isHidden(rec.c[0])) { continue; }
					const ci = rec.c[0];
					const per = places[ci] || (places[ci] = []);
					const list = per[m - from] || (per[m - from] = []);
					if (list.indexOf(rec.a) < 0) { list.push(rec.a); }
					last[ci + ':' + rec.a] = m;
				}
			}
			const lls = model.anchorLatLngs;
			for (let ci = 0; ci < places.length; ci++) {
				if (!places[ci]) { continue; }
				const id = model.contingents[ci].id;
				for (m = from + 1; m <= to; m++) {
					const now = places[ci][m - from] || [];
					const before = places[ci][m - 1 - from] || [];
					if (!before.length || now.length > this.options.maxLinks || before.length > this.options.maxLinks) { continue; }
					for (let k = 0; k < now.length; k++) {
						if (before.indexOf(now[k]) >= 0) { continue; }
						const near = nearest(lls, now[k], before);
						this._segments.push({contingent: id, ci: ci, month: months[m], from: [lls[near].lat, lls[near].lng],
							to: [lls[now[k]].lat, lls[now[k]].lng], opacity: this._opacity(m, from, to)});
					}
				}
			}
			const keys = Object.keys(last);
			for (let k = 0; k < keys.length; k++) {
				const parts = keys[k].split(':');
				const ci = +parts[0];
				const ll = lls[+parts[1]];
				this._dots.push({contingent: model.contingents[ci].id, ci: ci, month: months[last[keys[k]]],
					lat: ll.lat, lon: ll.lng, opacity: this._opacity(last[keys[k]], from, to)});
			}
		},

		_draw: function () {
			const o = this.options;
			const colours = this._ctl.model.contingents;
			const base = {pane: o.pane, renderer: this._renderer, interactive: false};
			for (let i = 0; i < this._segments.length; i++) {
				const s = this._segments[i];
				L.polyline([s.from, s.to], L.extend({color: colours[s.ci].colour, weight: o.weight, opacity: s.opacity,
					lineCap: 'round', dashArray: '1 5'}, base)).addTo(this._group);
			}
			for (let i = 0; i < this._dots.length; i++) {
				const d = this._dots[i];
				L.circleMarker([d.lat, d.lon], L.extend({radius: o.radius, color: colours[d.ci].colour, weight: 1,
					opacity: d.opacity, fillOpacity: d.opacity}, base)).addTo(this._group);
			}
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
