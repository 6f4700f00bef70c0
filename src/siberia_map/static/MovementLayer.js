/*
 * L.SiberiaMap.MovementLayer: journeys along the railway, month by month.
 *
 * Each movement (`payload.movements`, see docs/architecture.md) is a route along the railway
 * with, per month of the journey, the share of the route done at the month's start and end,
 * worked out in Python from the dates. This layer draws the whole route faintly, the part
 * already travelled thinly, and this month's part boldly with an arrowhead where the force
 * stood at the month's end. While the month control plays, this month's part grows from its
 * start to its end, so a reader sees the force travel (unless the reader asks for reduced
 * motion, see ReducedMotion).
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	// The sub-line of `coords` between route shares f0 and f1; `cf[i]` is the share at vertex i.
	function cut(coords, cf, f0, f1) {
		const out = [];
		let i;
		const at = function (f) {
			for (let k = 1; k < coords.length; k++) {
				if (cf[k] >= f) {
					const span = cf[k] - cf[k - 1];
					const t = span > 0 ? (f - cf[k - 1]) / span : 0;
					return [coords[k - 1][0] + (coords[k][0] - coords[k - 1][0]) * t,
						coords[k - 1][1] + (coords[k][1] - coords[k - 1][1]) * t];
				}
			}
			return coords[coords.length - 1];
		};
		out.push(at(f0));
		for (i = 0; i < coords.length; i++) {
			if (cf[i] > f0 && cf[i] < f1) { out.push(coords[i]); }
		}
		out.push(at(f1));
		return out;
	}

	SM.MovementLayer = L.Layer.extend({

		// @option pane: String = 'smMovements'
		// Created on demand above the railways and below the records, pointer events off.
		//
		// @option route, done, part: Path options
		// The whole route, the part travelled before this month, this month's part.
		//
		// @option arrow: Number = 9
		// Length in pixels of the arrowhead at the end of this month's part.
		//
		// @option isPlaying: Function = null
		// Tells whether the month control is playing (then this month's part is animated).
		//
		// @option duration: Number = 900
		// Milliseconds the animation of this month's part takes while playing.
		options: {
			pane: 'smMovements',
			route: {weight: 2, opacity: 0.55, dashArray: '2 6', lineCap: 'round', interactive: false},
			done: {weight: 2.5, opacity: 0.7, lineCap: 'round', interactive: false},
			part: {weight: 5, opacity: 0.95, lineCap: 'round', lineJoin: 'round', interactive: false},
			arrow: 9,
			isPlaying: null,
			duration: 900
		},

		initialize: function (controller, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			const model = controller.model;
			const cols = model.payload.movements || {};
			const ids = Array.isArray(cols.id) ? cols.id : [];
			const col = function (name, i) { return Array.isArray(cols[name]) ? cols[name][i] : undefined; };
			this._list = [];
			for (let i = 0; i < ids.length; i++) {
				const geom = model.geoms[col('g', i)];
				const parts = geom && Array.isArray(geom.c) ? geom.c : [];
				const coords = parts.length && Array.isArray(parts[0]) && Array.isArray(parts[0][0]) ? parts[0] : parts;
				const cf = col('cf', i);
				const f = col('f', i);
				const ci = col('c', i);
				if (!Array.isArray(cf) || cf.length !== coords.length || !Array.isArray(f) || !model.contingents[ci]) { continue; }
				this._list.push({i: i, id: util.str(ids[i]), c: ci, coords: coords, cf: cf, f: f,
					m0: col('m0', i) | 0, m1: col('m1', i) | 0, pt: col('pt', i) || []});
			}
		},

		onAdd: function (map) {
			util.overlayPane(map, this.options.pane, 410);
			this._renderer = L.canvas({pane: this.options.pane, padding: 0.1});
			this._group = L.layerGroup().addTo(map);
			this._ctl.on('change', this._update, this);
			map.on('zoomend', this._redraw, this);
			this._update();
		},

		onRemove: function (map) {
			this._stopAnimation();
			this._ctl.off('change', this._update, this);
			map.off('zoomend', this._redraw, this);
			map.removeLayer(this._group);
			this._group = null;
		},

		// @method shown(): Array
		// The movements drawn this month: `{id, c, lat, lon}`, the point mid-way along
		// this month's part.
		shown: function () {
			const m = this._ctl.monthIndex();
			const out = [];
			for (let i = 0; i < this._list.length; i++) {
				const mv = this._list[i];
				if (m < mv.m0 || m > mv.m1 || this._ctl.isHidden(mv.c)) { continue; }
				const p = mv.pt[m - mv.m0];
				if (Array.isArray(p)) { out.push({id: mv.id, i: mv.i, k: i, c: mv.c, lat: p[0], lon: p[1]}); }
			}
			return out;
		},

		// (With reduced motion the part is drawn whole at once, playing or not.)
		_update: function () {
			const playing = this.options.isPlaying && this.options.isPlaying() && !SM.ReducedMotion.isReduced();
			this._draw(playing ? 0 : 1);
			this._stopAnimation();
			if (playing && this._shown.length) { this._animate(); }
		},

		_redraw: function () {
			this._draw(this._progress === undefined ? 1 : this._progress);
		},

		// Draws this month's movements with `progress` (0..1) of this month's part shown.
		_draw: function (progress) {
			this._progress = progress;
			this._group.clearLayers();
			this._shown = this.shown();
			const m = this._ctl.monthIndex();
			const o = this.options;
			const base = {pane: o.pane, renderer: this._renderer};
			for (let k = 0; k < this._shown.length; k++) {
				const mv = this._list[this._shown[k].k];
				const colour = this._ctl.model.contingents[mv.c].colour;
				const f = mv.f[m - mv.m0] || [0, 1];
				const f1 = f[0] + (f[1] - f[0]) * progress;
				L.polyline(mv.coords, L.extend({}, base, o.route, {color: colour})).addTo(this._group);
				if (f[0] > 0) { L.polyline(cut(mv.coords, mv.cf, 0, f[0]), L.extend({}, base, o.done, {color: colour})).addTo(this._group); }
				const part = cut(mv.coords, mv.cf, f[0], Math.max(f1, f[0] + 1e-6));
				L.polyline(part, L.extend({}, base, o.part, {color: colour})).addTo(this._group);
				const head = this._arrowhead(part);
				if (head) {
					L.polygon(head, L.extend({}, base, {stroke: true, weight: 1, color: '#1b1b1b', fillColor: colour,
						fillOpacity: 1, interactive: false})).addTo(this._group);
				}
			}
		},

		// A triangle in pixels at the end of the line, pointing along its last piece.
		_arrowhead: function (latlngs) {
			const map = this._map;
			const n = latlngs.length;
			if (!map || n < 2) { return null; }
			const tip = map.latLngToLayerPoint(latlngs[n - 1]);
			let back = null;
			for (let i = n - 2; i >= 0 && !back; i--) {
				const p = map.latLngToLayerPoint(latlngs[i]);
				if (p.distanceTo(tip) > 0.5) { back = p; }
			}
			if (!back) { return null; }
			const d = tip.subtract(back);
			const len = Math.sqrt(d.x * d.x + d.y * d.y);
			const s = this.options.arrow;
			const ux = d.x / len;
			const uy = d.y / len;
			const base = L.point(tip.x - ux * s, tip.y - uy * s);
			const left = L.point(base.x - uy * s * 0.6, base.y + ux * s * 0.6);
			const right = L.point(base.x + uy * s * 0.6, base.y - ux * s * 0.6);
			const tipOut = L.point(tip.x + ux * 2, tip.y + uy * 2);
			return [tipOut, left, right].map(function (pt) { return map.layerPointToLatLng(pt); });
		},

		_animate: function () {
			let start = null;
			const duration = this.options.duration;
			const self = this;
			const frame = function (now) {
				if (start === null) { start = now; }
				const t = Math.min(1, (now - start) / duration);
				self._draw(t);
				self._raf = t < 1 ? L.Util.requestAnimFrame(frame) : null;
			};
			this._raf = L.Util.requestAnimFrame(frame);
		},

		_stopAnimation: function () {
			if (this._raf) { L.Util.cancelAnimFrame(this._raf); }
			this._raf = null;
		}
	});

	SM.MovementLayer.cut = cut;

	SM.movementLayer = function (controller, options) {
		return new SM.MovementLayer(controller, options);
	};
})(L);
