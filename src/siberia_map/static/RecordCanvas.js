/*
 * L.SiberiaMap.RecordCanvas: the canvas the month's records are drawn on.
 *
 * Speed: a month can show ten thousand records, and a step has to fit a frame. Leaflet
 * layers per record (objects, event bindings, a dirty rectangle per change) cost more than
 * the drawing itself, so the records are no layers at all: RecordLayer hands over a scene
 * (typed arrays of who is drawn where), and this canvas draws it in one pass: areas, then
 * railway lines (one path per contingent and style, see TrackUnion), then symbols as copies
 * of pre-rendered sprites (SymbolSprites), leaving out those hidden under others
 * (OcclusionMask).
 * A month made ready ahead (StepAhead) was drawn off the page the same way (prepare), and a
 * step there copies that drawing whole instead.
 *
 * It has the canvas to itself, so a step redraws records only, never the railways and
 * places, which stay on the shared canvas below. What else changes with the month above
 * the railways and under the records (the movements) is drawn here too, first, by its
 * underlays: every canvas that changes in a step is a full-window bitmap the browser
 * clears, copies and composites again, which costs more than the drawing.
 *
 * It extends L.Canvas (through FollowCanvas) for what L.Canvas does well (following pans
 * and zooms, the zoom animation, retina) and takes no pointer events: the shared canvas below hears the
 * pointer (a canvas only hears it when it is the top one) and asks hitTest() through
 * RecordHitArea, so records still win over the railway beneath them. The pixels come from
 * RecordProjection and the pointer is answered by RecordHits, both over the scene drawn.
 *
 * Relies on L.Canvas internals of Leaflet 1.9.4 (_update, _redraw, _clear,
 * _postponeUpdatePaths); the version is pinned.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	function dashes(value) {
		return value ? String(value).split(/[, ]+/).map(Number) : [];
	}

	SM.RecordCanvas = SM.FollowCanvas.extend({

		// @option pane: String = 'smRecords'
		// Created by RecordLayer above the overlay pane, with pointer events off.
		//
		// @option padding: Number = 0
		// The canvas is redrawn on every step, so it covers the view and nothing beyond
		// (see FollowCanvas).
		//
		// @option tolerance: Number = 3
		// Pixels around a symbol or line that still count as on it.
		//
		// @option line, lineUncertain, area, areaUncertain: Object
		// Path styles (weight, opacity, fillOpacity, dashArray, lineCap, lineJoin) for
		// presence along the railway and over areas; the colour comes with the scene.
		options: {
			pane: 'smRecords',
			padding: 0,
			tolerance: 3,
			line: null,
			lineUncertain: null,
			area: null,
			areaUncertain: null
		},

		// @param model: L.SiberiaMap.Model
		initialize: function (model, options) {
			L.Canvas.prototype.initialize.call(this, options);
			this._model = model;
			this._scene = null;
			this._proj = new SM.RecordProjection(model);
			this._hits = new SM.RecordHits(this._proj, {tolerance: this.options.tolerance, line: this.options.line,
				lineUncertain: this.options.lineUncertain, area: this.options.area, areaUncertain: this.options.areaUncertain});
			this._mask = new SM.OcclusionMask();
			this._drawX = this._drawY = this._drawK = new Int32Array(0);
			this._drawn = 0;
			this._underlays = [];
			// Drawings made ahead off the page: scene -> {bitmap, key} (see prepare).
			this._prepared = new Map();
			this._offscreen = null;
		},

		onRemove: function (map) {
			this._prepared.forEach(function (p) { p.bitmap.close(); });
			this._prepared.clear();
			SM.FollowCanvas.prototype.onRemove.call(this, map);
		},

		// @method setScene(scene: Object): this
		// What to draw (see RecordLayer._scene); drawn on the next animation frame.
		setScene: function (scene) {
			this._scene = scene;
			this._hits.invalidate();
			return this.redraw();
		},

		// @method redraw(): this
		// Draws everything again on the next animation frame (once, however often asked).
		redraw: function () {
			if (this._map && !this._redrawRequest) {
				this._redrawRequest = L.Util.requestAnimFrame(this._redraw, this);
			}
			return this;
		},

		// @method addUnderlay(layer: Object): this
		// `layer.drawUnder(ctx, map, at)` is called on every redraw before the records, with
		// the context in world pixels, `at` null (or, drawing ahead, a Controller.at view);
		// the layer asks for a redraw() when it changes. `layer.drawKey(at)` says what it
		// would draw there (equal keys, equal drawings); without it nothing is drawn ahead.
		addUnderlay: function (layer) {
			if (this._underlays.indexOf(layer) < 0) { this._underlays.push(layer); }
			return this.redraw();
		},

		// @method removeUnderlay(layer: Object): this
		removeUnderlay: function (layer) {
			this._underlays = this._underlays.filter(function (u) { return u !== layer; });
			return this.redraw();
		},

		// @method hitTest(layerPoint: Point): Object
		// The topmost record drawn at a point, as `{rec, symbol}` (`symbol`: its index in
		// the scene's symbols, or -1 for a line or an area), or null (see RecordHits).
		hitTest: function (layerPoint) {
			return this._ask('hitTest', layerPoint, null);
		},

		// @method hitAll(layerPoint: Point): Array
		// Every record drawn at a point, topmost first, as `{rec, symbol}` (see RecordHits).
		hitAll: function (layerPoint) {
			return this._ask('hitAll', layerPoint, []);
		},

		_ask: function (method, layerPoint, none) {
			const s = this._scene;
			const map = this._map;
			if (!s || !map || !this._bounds) { return none; }
			this._project();
			const po = map.getPixelOrigin();
			const b = this._bounds;
			return this._hits[method](s, layerPoint.x + po.x, layerPoint.y + po.y, L.bounds(b.min.add(po), b.max.add(po)));
		},

		// No listeners: the pointer goes through to the shared canvas (see above).
		_initContainer: function () {
			const container = this._container = document.createElement('canvas');
			container.style.pointerEvents = 'none';
			this._ctx = container.getContext('2d');
		},

		// After a pan or zoom (L.Canvas has just resized and cleared the canvas).
		_updatePaths: function () {
			if (this._postponeUpdatePaths) { return; }
			this._hits.invalidate();
			this._redrawBounds = null;
			this._redraw();
		},

		// @method prepare(scene: Object, at: Object): Boolean
		// Draws `scene` with the underlays as they would be at `at` (Controller.at) off the
		// page, for a step there to copy (see StepAhead): a copy of the whole canvas costs a
		// fraction of drawing a busy month. False when it cannot be: no OffscreenCanvas, no
		// view, or an underlay that cannot say what it would draw (drawKey).
		prepare: function (scene, at) {
			const key = this._key(at);
			const c = this._container;
			if (key === null || typeof window.OffscreenCanvas !== 'function' || !c || !c.width || !c.height) { return false; }
			let off = this._offscreen;
			if (!off || off.width !== c.width || off.height !== c.height) { off = this._offscreen = new OffscreenCanvas(c.width, c.height); }
			const ctx = off.getContext('2d');
			const r = c.width / Math.max(1, this._bounds.getSize().x);
			// The page's canvas's transform (L.Canvas._update: retina scale, then the bounds).
			ctx.setTransform(r, 0, 0, r, -r * this._bounds.min.x, -r * this._bounds.min.y);
			this._paint(ctx, scene, at);
			this.forget(scene);
			this._prepared.set(scene, {bitmap: off.transferToImageBitmap(), key: key});
			return true;
		},

		// @method isPrepared(scene: Object, at: Object): Boolean
		// Whether `scene` is drawn off the page as it would be drawn at `at` in this view.
		isPrepared: function (scene, at) {
			const p = this._prepared.get(scene);
			return !!p && p.key === this._key(at);
		},

		// @method forget(scene: Object): this
		// Drops the drawing prepared for `scene` (its arrays are about to change).
		forget: function (scene) {
			const p = this._prepared.get(scene);
			if (p) {
				p.bitmap.close();
				this._prepared.delete(scene);
			}
			return this;
		},

		// What a drawing depends on besides the scene: the view, and what each underlay
		// would draw at `at` (null: the current state). Null when an underlay cannot say.
		_key: function (at) {
			const map = this._map;
			const b = this._bounds;
			const c = this._container;
			if (!map || !b) { return null; }
			const po = map.getPixelOrigin();
			let key = [map.getZoom(), po.x, po.y, b.min.x, b.min.y, b.max.x, b.max.y, c.width, c.height].join();
			for (let u = 0; u < this._underlays.length; u++) {
				const k = this._underlays[u].drawKey ? this._underlays[u].drawKey(at) : null;
				if (k === null || k === undefined) { return null; }
				key += '/' + k;
			}
			return key;
		},

		// The scene drawn ahead for this view is copied whole; anything else is drawn.
		_draw: function () {
			const s = this._scene;
			const ctx = this._ctx;
			if (!this._map || !ctx || !this._bounds) { return; }
			const ready = s && this._prepared.get(s);
			if (ready && ready.key === this._key(null)) {
				ctx.save();
				ctx.setTransform(1, 0, 0, 1, 0, 0);
				ctx.globalCompositeOperation = 'copy';
				ctx.drawImage(ready.bitmap, 0, 0);
				ctx.restore();
				return;
			}
			this._paint(ctx, s, null);
		},

		// Underlays, then the scene, on `ctx` (whose transform maps layer pixels), as they are
		// at `at` (see prepare) or now (null).
		_paint: function (ctx, s, at) {
			const map = this._map;
			const po = map.getPixelOrigin();
			ctx.save();
			ctx.translate(-po.x, -po.y);
			for (let u = 0; u < this._underlays.length; u++) {
				ctx.save();
				this._underlays[u].drawUnder(ctx, map, at);
				ctx.restore();
			}
			if (s) { this._drawScene(ctx, s, po); }
			ctx.restore();
		},

		_drawScene: function (ctx, s, po) {
			this._project();
			const b = this._bounds;
			// The visible rectangle in world pixels, which everything here is drawn in.
			const view = L.bounds(b.min.add(po), b.max.add(po));
			this._drawAreas(ctx, s.areas, view);
			this._drawLines(ctx, s.tracks, view);
			ctx.globalAlpha = 1;
			ctx.setLineDash([]);
			this._drawSymbols(ctx, s, view);
		},

		// Presence symbols, then events over them. Decided top down, drawn bottom up: a
		// symbol entirely under opaque symbols drawn after it is skipped (OcclusionMask).
		_drawSymbols: function (ctx, s, view) {
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
			for (j = count - 1; j >= 0; j--) {
				const sprite = s.sprite[ks[j]];
				ctx.drawImage(sprite.canvas, xs[j], ys[j], sprite.w, sprite.h);
			}
			this._drawn = count;
		},

		// One path per contingent and style (TrackUnion): stroking is the expensive part,
		// and lines of one colour look the same stroked together or one by one.
		_drawLines: function (ctx, tracks, view) {
			for (let i = 0; i < tracks.length; i++) {
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
		},

		// Anchors and railway vertices at the current zoom (RecordProjection); the symbols'
		// grid is redone when they move.
		_project: function () {
			if (this._proj.update(this._map)) { this._hits.invalidate(); }
		}
	});

	SM.recordCanvas = function (model, options) {
		return new SM.RecordCanvas(model, options);
	};
})(L);
