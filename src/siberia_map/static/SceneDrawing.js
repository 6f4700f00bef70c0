/*
 * L.SiberiaMap.SceneDrawing: how a month's scene is drawn on a canvas, as slices.
 *
 * RecordCanvas draws a scene (RecordScene: who is drawn where) on the page, or ahead of a
 * step off the page (AheadDrawings). Either way the drawing is the same list of slices,
 * each a function of a context in world pixels: the areas, the railway lines a few groups
 * at a time, the symbols' order, then the symbols in batches. On the page they run one after
 * the other; drawn ahead, one per piece of idle time, so that no piece is longer than a
 * millisecond or two however busy the month (a busy month at 10,000 records is about 5 ms
 * of drawing and rasterising, at 100,000 about 30). The cut changes nothing drawn: the same
 * calls in the same order.
 *
 * Areas are filled once per geometry, lines stroked once per contingent and style
 * (TrackUnion), symbols copied from pre-rendered sprites (SymbolSprites) leaving out those
 * hidden under others (OcclusionMask).
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	// Lines of about this many vertices to a slice, symbols in batches of this many: each
	// about a millisecond or two of drawing and rasterising.
	const LINE_SLICE = 500;
	const SYMBOL_SLICE = 300;

	function dashes(value) {
		return value ? String(value).split(/[, ]+/).map(Number) : [];
	}

	SM.SceneDrawing = L.Class.extend({

		// @option line, lineUncertain, area, areaUncertain: Object
		// Path styles (weight, opacity, fillOpacity, dashArray, lineCap, lineJoin) for
		// presence along the railway and over areas; the colour comes with the scene.
		options: {
			line: null,
			lineUncertain: null,
			area: null,
			areaUncertain: null
		},

		// @param proj: L.SiberiaMap.RecordProjection
		// The scene's pixels.
		// @param view: Function
		// The visible rectangle in world pixels, projected for the map's zoom (RecordCanvas).
		initialize: function (proj, view, options) {
			L.setOptions(this, options);
			this._proj = proj;
			this._view = view;
			this._mask = new SM.OcclusionMask();
			this._drawX = this._drawY = this._drawK = new Int32Array(0);
		},

		// @method slices(s: Object, slices: Array): Array
		// Appends the drawing of scene `s` to `slices` as slices to run in order, each a
		// function of a context in world pixels with a `kind`: the areas ('areas'), the lines
		// a few groups at a time ('lines'), the symbols' order ('order', which adds the
		// batches of symbols after it, 'symbols'). Returns `slices`.
		slices: function (s, slices) {
			const self = this;
			slices.push(SM.SceneDrawing.slice('areas', function (ctx) { self._drawAreas(ctx, s.areas, self._view()); }));
			const tracks = s.tracks;
			let from = 0;
			let size = 0;
			for (let i = 0; i < tracks.length; i++) {
				for (let c = 0; c < tracks[i].chains.length; c++) { size += tracks[i].chains[c].length; }
				if (size >= LINE_SLICE || i === tracks.length - 1) {
					slices.push(SM.SceneDrawing.slice('lines', L.bind(this._drawLines, this, tracks, from, i + 1)));
					from = i + 1;
					size = 0;
				}
			}
			slices.push(SM.SceneDrawing.slice('order', function () {
				const order = self._symbolOrder(s, self._view());
				for (let hi = order.count; hi > 0; hi -= SYMBOL_SLICE) {
					slices.push(SM.SceneDrawing.slice('symbols', L.bind(self._drawSymbols, self, s, order, Math.max(0, hi - SYMBOL_SLICE), hi)));
				}
			}));
			return slices;
		},

		// Symbols `order.k[lo..hi-1]` at their pixels, bottom up (see _symbolOrder).
		_drawSymbols: function (s, order, lo, hi, ctx) {
			ctx.globalAlpha = 1;
			for (let j = hi - 1; j >= lo; j--) {
				const sprite = s.sprite[order.k[j]];
				ctx.drawImage(sprite.canvas, order.x[j], order.y[j], sprite.w, sprite.h);
			}
		},

		// Presence symbols, then events over them: which are drawn where, as `{x, y, k,
		// count}` (`k`: the scene's index), top first. Decided top down, drawn bottom up: a
		// symbol entirely under opaque symbols drawn after it is skipped (OcclusionMask).
		_symbolOrder: function (s, view) {
			const ax = this._proj.ax;
			const ay = this._proj.ay;
			const minX = view.min.x;
			const minY = view.min.y;
			const maxX = view.max.x;
			const maxY = view.max.y;
			const mask = this._mask.reset(maxX - minX, maxY - minY);
			const n = s.n;
			const presence = n - s.split;
			let j;
			let k;
			if (this._drawX.length < n) {
				this._drawX = new Int32Array(Math.max(n, 2 * this._drawX.length));
				this._drawY = new Int32Array(this._drawX.length);
				this._drawK = new Int32Array(this._drawX.length);
			}
			const xs = this._drawX;
			const ys = this._drawY;
			const ks = this._drawK;
			let count = 0;
			// Draw position j runs over presence (scene split..n-1), then events (0..split-1).
			for (j = n - 1; j >= 0; j--) {
				k = j < presence ? s.split + j : j - presence;
				const sp = s.sprite[k];
				const a = s.anchor[k];
				const x = Math.round(ax[a] + s.dx[k]) - sp.ox;
				const y = Math.round(ay[a] + s.dy[k]) - sp.oy;
				if (x > maxX || y > maxY || x + sp.w < minX || y + sp.h < minY) { continue; }
				if (mask.covered(x - minX, y - minY, sp.footprint)) { continue; }
				mask.cover(x - minX, y - minY, sp.core);
				xs[count] = x;
				ys[count] = y;
				ks[count++] = k;
			}
			// (Copied: a drawing made ahead keeps its order while the page draws others.)
			return {x: xs.slice(0, count), y: ys.slice(0, count), k: ks.slice(0, count), count: count};
		},

		// Groups `from..to-1` of the scene's lines. One path per contingent and style
		// (TrackUnion): stroking is the expensive part, and lines of one colour look the same
		// stroked together or one by one.
		_drawLines: function (tracks, from, to, ctx) {
			const view = this._view();
			for (let i = from; i < to; i++) {
				const t = tracks[i];
				const style = t.uncertain ? this.options.lineUncertain : this.options.line;
				const pad = Math.abs(t.offset) + style.weight;
				ctx.beginPath();
				for (let c = 0; c < t.chains.length; c++) {
					const chain = this._proj.chain(t.chains[c]);
					if (!SM.RecordProjection.inView(chain, view, pad)) { continue; }
					this._trace(ctx, this._proj.offset(chain.xy, t.offset), false);
				}
				ctx.globalAlpha = style.opacity;
				ctx.strokeStyle = t.colourValue;
				ctx.lineWidth = style.weight;
				ctx.lineCap = style.lineCap || 'butt';
				ctx.lineJoin = style.lineJoin || 'round';
				ctx.setLineDash(dashes(style.dashArray));
				ctx.stroke();
			}
			ctx.setLineDash([]);
		},

		// Areas cover many pixels, so each geometry is filled once: several contingents over
		// the same area get the one colour their translucent fills would have blended to on
		// top of each other, in draw order. Different areas still deepen where they overlap.
		// The outlines follow, one by one.
		_drawAreas: function (ctx, areas, view) {
			let i;
			let area;
			let shape;
			const fills = new Map();
			const order = [];
			for (i = 0; i < areas.length; i++) {
				area = areas[i];
				const style = area.rec.unc ? this.options.areaUncertain : this.options.area;
				let f = fills.get(area.rec.g);
				if (!f) {
					fills.set(area.rec.g, f = {g: area.rec.g, r: 0, gr: 0, b: 0, a: 0});
					order.push(f);
				}
				const c = parseInt(area.colourValue.slice(1), 16);
				const a = style.fillOpacity;
				// Source over, premultiplied: out = src * a + dst * (1 - a).
				f.r = ((c >> 16) & 255) * a + f.r * (1 - a);
				f.gr = ((c >> 8) & 255) * a + f.gr * (1 - a);
				f.b = (c & 255) * a + f.b * (1 - a);
				f.a = a + f.a * (1 - a);
			}
			for (i = 0; i < order.length; i++) {
				const fill = order[i];
				shape = this._proj.shape(fill.g);
				if (!fill.a || !this._inView(shape, view)) { continue; }
				ctx.beginPath();
				for (let p = 0; p < shape.parts.length; p++) { this._trace(ctx, shape.parts[p], true); }
				ctx.globalAlpha = fill.a;
				ctx.fillStyle = 'rgb(' + Math.round(fill.r / fill.a) + ',' + Math.round(fill.gr / fill.a) + ',' +
					Math.round(fill.b / fill.a) + ')';
				ctx.fill('evenodd');
			}
			for (i = 0; i < areas.length; i++) {
				area = areas[i];
				const outline = area.rec.unc ? this.options.areaUncertain : this.options.area;
				shape = this._proj.shape(area.rec.g);
				if (!this._inView(shape, view)) { continue; }
				ctx.beginPath();
				for (let q = 0; q < shape.parts.length; q++) { this._trace(ctx, shape.parts[q], true); }
				ctx.globalAlpha = outline.opacity;
				ctx.strokeStyle = area.colourValue;
				ctx.lineWidth = outline.weight;
				ctx.lineCap = ctx.lineJoin = 'round';
				ctx.setLineDash(dashes(outline.dashArray));
				ctx.stroke();
			}
		},

		_inView: function (shape, view) {
			return SM.RecordProjection.inView(shape, view);
		},

		_trace: function (ctx, xy, closed) {
			const n = xy.length;
			if (n < 4) { return; }
			ctx.moveTo(xy[0], xy[1]);
			for (let i = 2; i < n; i += 2) { ctx.lineTo(xy[i], xy[i + 1]); }
			if (closed) { ctx.closePath(); }
		}
	});

	// @function slice(kind: String, fn: Function): Function
	// `fn`, marked as a slice of `kind` (what StepAhead times separately).
	SM.SceneDrawing.slice = function (kind, fn) {
		fn.kind = kind;
		return fn;
	};
})(L);
