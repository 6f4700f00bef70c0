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
 *
 * Speed: no Leaflet layers, and no canvas of its own: the records' canvas, which a step
 * redraws anyway, draws the movements under the records (RecordCanvas.addUnderlay), each
 * route projected once per zoom, and each of the four layers stroked or filled once per
 * contingent (see drawUnder).
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

		// @option canvas: L.SiberiaMap.RecordCanvas = null
		// The records' canvas, which draws the movements under the records (see addUnderlay):
		// a canvas of their own would be one more full-window bitmap to clear, copy and
		// composite on every step.
		//
		// @option route, done, part: Object
		// Line styles (weight, opacity, dashArray, lineCap, lineJoin) of the whole route, the
		// part travelled before this month, and this month's part; the colour is the
		// contingent's.
		//
		// @option head: Object
		// The arrowhead: its outline's weight and colour; filled in the contingent's colour.
		//
		// @option arrow: Number = 9
		// Length in pixels of the arrowhead at the end of this month's part.
		//
		// @option isPlaying: Function = null
		// Tells whether the month control is playing (then this month's part is animated).
		//
		// @option cover: Function = null
		// `cover(at)`: what opaque marks drawn above the records hide, now (`at` null) or at
		// a Controller.at view, as `{mask, x, y}` (an OcclusionMask in world pixels, (x, y)
		// its top left) or null (CountBadgeLayer.cover). What of a journey lies entirely
		// beneath is left out (JourneyCover).
		//
		// @option duration: Number = 900
		// Milliseconds the animation of this month's part takes while playing.
		options: {
			canvas: null,
			route: {weight: 2, opacity: 0.55, dashArray: [2, 6], lineCap: 'round', lineJoin: 'round'},
			done: {weight: 2.5, opacity: 0.7, dashArray: [], lineCap: 'round', lineJoin: 'round'},
			part: {weight: 5, opacity: 0.95, dashArray: [], lineCap: 'round', lineJoin: 'round'},
			head: {weight: 1, color: '#1b1b1b'},
			arrow: 9,
			isPlaying: null,
			cover: null,
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
					m0: col('m0', i) | 0, m1: col('m1', i) | 0, pt: col('pt', i) || [], px: null, seg: null, gen: -1});
			}
			this._shown = [];
			// The routes' pieces between two vertices, numbered at the zoom they were projected
			// at (`_gen` counts the zooms), so that a piece several journeys share is stroked once.
			this._gen = 0;
			this._genZoom = NaN;
			this._pieces = new Map();
			this._vertices = new Map();
			// Per latitude, per longitude: the place's point at that zoom (see _project).
			this._points = new Map();
			this._mark = new Int32Array(0);
			this._token = 0;
			// What of the journeys the badges hide (see the `cover` option).
			this._covered = new SM.JourneyCover();
		},

		onAdd: function () {
			this._canvas = this.options.canvas;
			this._canvas.addUnderlay(this);
			this._ctl.on('change', this._update, this);
			this._update();
		},

		onRemove: function () {
			this._stopAnimation();
			this._ctl.off('change', this._update, this);
			this._canvas.removeUnderlay(this);
			this._shown = [];
		},

		// @method shown(): Array
		// The movements drawn this month: `{id, c, lat, lon}`, the point mid-way along
		// this month's part.
		shown: function () {
			return this._shownAt(this._ctl);
		},

		// The same for a state (the controller, or Controller.at).
		_shownAt: function (ctl) {
			const m = ctl.monthIndex();
			const out = [];
			for (let i = 0; i < this._list.length; i++) {
				const mv = this._list[i];
				if (m < mv.m0 || m > mv.m1 || ctl.isHidden(mv.c)) { continue; }
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

		// Draws this month's movements with `progress` (0..1) of this month's part shown: on
		// the records' next frame, which calls drawUnder.
		_draw: function (progress) {
			this._progress = progress;
			this._shown = this.shown();
			this._canvas.redraw();
		},

		// @method drawUnder(ctx: CanvasRenderingContext2D, map: L.Map): this
		// Called by the records' canvas before the records, with `ctx` in world pixels.
		// Drawn by layer, bottom to top (every route, then the parts travelled before, then
		// this month's parts, then the arrowheads), each layer one path per contingent:
		// stroking is the expensive part, and a million records' ten thousand journeys a
		// month took five strokes each. The whole routes of one contingent go into their
		// stroke piece by piece, each piece between two vertices once however many journeys
		// share it (along one railway they mostly do): the faint dashes are drawn once, in
		// one rhythm, and not as many times over as there are journeys.
		// `at` (a Controller.at view) draws that month instead, its parts whole (see
		// RecordCanvas.prepare).
		drawUnder: function (ctx, map, at) {
			const m = (at || this._ctl).monthIndex();
			const shown = at ? this._shownAt(at) : this._shown;
			const zoom = map.getZoom();
			const o = this.options;
			const progress = at || this._progress === undefined ? 1 : this._progress;
			const byContingent = new Map();
			if (zoom !== this._genZoom) {
				this._gen++;
				this._genZoom = zoom;
				this._pieces = new Map();
				this._vertices = new Map();
				this._points = new Map();
				// Every journey at once: they run along the same railway (a million records'
				// 10,000 journeys have 142,000 vertices at 279 places), so with each place
				// projected once this is a few milliseconds, where month by month it was
				// several in each first step through a busy month.
				for (let k = 0; k < this._list.length; k++) { this._project(this._list[k], map, zoom); }
			}
			const covered = this._covered.start(o.cover ? o.cover(at || null) : null, [o.route, o.done, o.part], this._pieces.size);
			for (let k = 0; k < shown.length; k++) {
				const mv = this._list[shown[k].k];
				let group = byContingent.get(mv.c);
				if (!group) { byContingent.set(mv.c, group = {route: [], done: [], part: [], head: []}); }
				const px = mv.px;
				const f = mv.f[m - mv.m0] || [0, 1];
				const f1 = f[0] + (f[1] - f[0]) * progress;
				group.route.push(mv);
				if (f[0] > 0) { covered.runs(mv, cut(px, mv.cf, 0, f[0]), 0, SM.JourneyCover.DONE, group.done); }
				const part = cut(px, mv.cf, f[0], Math.max(f1, f[0] + 1e-6));
				covered.runs(mv, part, f[0], SM.JourneyCover.PART, group.part);
				const head = this._arrowhead(part);
				if (head && !covered.headHidden(head, o.head.weight / 2)) { group.head.push(head); }
			}
			const contingents = this._ctl.model.contingents;
			byContingent.forEach(function (group, c) {
				this._strokeRoutes(ctx, group.route, o.route, contingents[c].colour);
			}, this);
			const layers = ['done', 'part'];
			for (let l = 0; l < layers.length; l++) {
				byContingent.forEach(function (group, c) {
					this._stroke(ctx, group[layers[l]], o[layers[l]], contingents[c].colour);
				}, this);
			}
			// Every arrowhead turns the same way round (tip, then its two back corners), so
			// one path per colour fills them all, overlaps included.
			ctx.globalAlpha = 1;
			byContingent.forEach(function (group, c) {
				if (!group.head.length) { return; }
				ctx.beginPath();
				this._traceAll(ctx, group.head, true);
				ctx.fillStyle = contingents[c].colour;
				ctx.fill();
			}, this);
			ctx.beginPath();
			byContingent.forEach(function (group) { this._traceAll(ctx, group.head, true); }, this);
			ctx.setLineDash([]);
			ctx.lineWidth = o.head.weight;
			ctx.strokeStyle = o.head.color;
			ctx.lineCap = ctx.lineJoin = 'round';
			ctx.stroke();
			covered.end();
			return this;
		},

		// @method drawKey(at?: Object): String
		// What drawUnder draws now (or at `at`, its parts whole), as a key: the month, the
		// hidden contingents and how much of this month's parts is shown (the view is the
		// canvas's part of the key).
		drawKey: function (at) {
			const ctl = at || this._ctl;
			const progress = at || this._progress === undefined ? 1 : this._progress;
			// (What the cover hides follows from the month, the hidden contingents and the
			// view, and from whether the month shows badges at all.)
			return ctl.monthIndex() + ':' + ctl.hiddenIndices().join() + ':' + progress +
				(this.options.cover && ctl.summarized() ? ':covered' : '');
		},

		// The per-piece marks as long as the pieces (new ones hold zeros, which no token is).
		_grow: function () {
			if (this._mark.length < this._pieces.size) {
				this._mark = new Int32Array(Math.max(this._pieces.size, 2 * this._mark.length));
			}
		},

		// The route in world pixels at this zoom, rounded like Leaflet's own paths; kept
		// until the zoom changes, so a step projects nothing again.
		_project: function (mv, map, zoom) {
			if (mv.gen !== this._gen) {
				// (Each place's point once per zoom, shared by the journeys through it: never
				// written to.)
				const points = this._points;
				const px = mv.px = mv.coords.map(function (c) {
					let row = points.get(c[0]);
					if (!row) { points.set(c[0], row = new Map()); }
					let at = row.get(c[1]);
					if (!at) {
						const p = map.project(c, zoom);
						row.set(c[1], at = [Math.round(p.x), Math.round(p.y)]);
					}
					return at;
				});
				// Each piece's number, the same whichever way a journey runs along it (from its
				// two vertices' numbers, as one number: no string per piece); -1 for a piece of
				// no length.
				mv.seg = new Int32Array(Math.max(px.length - 1, 0));
				let va = this._vertex(px[0]);
				for (let i = 0; i + 1 < px.length; i++) {
					const vb = this._vertex(px[i + 1]);
					if (va === vb) {
						mv.seg[i] = -1;
						continue;
					}
					const key = va < vb ? va * 67108864 + vb : vb * 67108864 + va;
					let id = this._pieces.get(key);
					if (id === undefined) { this._pieces.set(key, id = this._pieces.size); }
					mv.seg[i] = id;
					va = vb;
				}
				mv.gen = this._gen;
			}
			return mv.px;
		},

		// A vertex's number at this zoom (world pixels, whole; beyond 2^22 of them, which no
		// zoom of this map reaches, by text instead).
		_vertex: function (p) {
			const key = p[0] >= 0 && p[0] < 4194304 && p[1] >= 0 && p[1] < 4194304 ? p[0] * 4194304 + p[1] : p[0] + ',' + p[1];
			let id = this._vertices.get(key);
			if (id === undefined) { this._vertices.set(key, id = this._vertices.size); }
			return id;
		},

		// The whole routes of `journeys` in one stroke, each piece once: a run of pieces not
		// drawn yet is one sub-path, so the dashes keep their rhythm along it (under a
		// cover, see JourneyCover.traceRoute).
		_strokeRoutes: function (ctx, journeys, style, colour) {
			if (!journeys.length) { return; }
			this._grow();
			const mark = this._mark;
			const token = ++this._token;
			ctx.beginPath();
			for (let k = 0; k < journeys.length; k++) {
				const mv = journeys[k];
				const seg = mv.seg;
				let from = -1;
				for (let i = 0; i <= seg.length; i++) {
					const id = i < seg.length ? seg[i] : -2;
					if (id === -1) { continue; }
					if (id >= 0 && mark[id] !== token) {
						mark[id] = token;
						if (from < 0) { from = i; }
						continue;
					}
					if (from >= 0 && this._covered.active()) {
						this._covered.traceRoute(ctx, mv, from, i, style.dashArray);
					} else if (from >= 0) {
						this._traceRun(ctx, mv.px, seg, from, i);
					}
					from = -1;
				}
			}
			this._applyStroke(ctx, style, colour);
		},

		// Vertices from..to of a route, leaving out its pieces of no length.
		_traceRun: function (ctx, px, seg, from, to) {
			ctx.moveTo(px[from][0], px[from][1]);
			for (let i = from; i < to; i++) {
				if (seg[i] >= 0) { ctx.lineTo(px[i + 1][0], px[i + 1][1]); }
			}
		},

		// All of `lines` in one stroke.
		_stroke: function (ctx, lines, style, colour) {
			if (!lines.length) { return; }
			ctx.beginPath();
			this._traceAll(ctx, lines, false);
			this._applyStroke(ctx, style, colour);
		},

		_applyStroke: function (ctx, style, colour) {
			ctx.globalAlpha = style.opacity;
			ctx.strokeStyle = colour;
			ctx.lineWidth = style.weight;
			ctx.lineCap = style.lineCap;
			ctx.lineJoin = style.lineJoin;
			ctx.setLineDash(style.dashArray);
			ctx.stroke();
		},

		_traceAll: function (ctx, lines, closed) {
			for (let k = 0; k < lines.length; k++) {
				const pts = lines[k];
				if (!pts.length) { continue; }
				ctx.moveTo(pts[0][0], pts[0][1]);
				for (let i = 1; i < pts.length; i++) { ctx.lineTo(pts[i][0], pts[i][1]); }
				if (closed) { ctx.closePath(); }
			}
		},

		// A triangle in pixels at the end of the line, pointing along its last piece.
		_arrowhead: function (pts) {
			const n = pts.length;
			if (n < 2) { return null; }
			const tip = pts[n - 1];
			let back = null;
			for (let i = n - 2; i >= 0 && !back; i--) {
				if (Math.hypot(pts[i][0] - tip[0], pts[i][1] - tip[1]) > 0.5) { back = pts[i]; }
			}
			if (!back) { return null; }
			const dx = tip[0] - back[0];
			const dy = tip[1] - back[1];
			const len = Math.sqrt(dx * dx + dy * dy);
			const s = this.options.arrow;
			const ux = dx / len;
			const uy = dy / len;
			const bx = tip[0] - ux * s;
			const by = tip[1] - uy * s;
			return [[tip[0] + ux * 2, tip[1] + uy * 2], [bx - uy * s * 0.6, by + ux * s * 0.6],
				[bx + uy * s * 0.6, by - ux * s * 0.6]];
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
