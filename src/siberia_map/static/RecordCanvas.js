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
 * It has the canvas to itself, so a step redraws records only, never the railways and
 * places, which stay on the shared canvas below.
 *
 * It extends L.Canvas for what L.Canvas does well (following pans and zooms, the zoom
 * animation, retina) and takes no pointer events: the shared canvas below hears the
 * pointer (a canvas only hears it when it is the top one) and asks hitTest() through
 * RecordHitArea, so records still win over the railway beneath them.
 *
 * Relies on L.Canvas internals of Leaflet 1.9.4 (_update, _redraw, _clear,
 * _postponeUpdatePaths); the version is pinned.
 */
(function (L) {
	'use strict';

	var SM = L.SiberiaMap = L.SiberiaMap || {};

	function dashes(value) {
		return value ? String(value).split(/[, ]+/).map(Number) : [];
	}

	function segmentDistance2(px, py, ax, ay, bx, by) {
		var dx = bx - ax, dy = by - ay, t = 0, len2 = dx * dx + dy * dy;
		if (len2 > 0) { t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)); }
		var x = ax + t * dx - px, y = ay + t * dy - py;
		return x * x + y * y;
	}

	SM.RecordCanvas = L.Canvas.extend({

		// @option pane: String = 'smRecords'
		// Created by RecordLayer above the overlay pane, with pointer events off.
		//
		// @option padding: Number = 0.1
		// The canvas is redrawn on every step, so it covers little beyond the view: every
		// extra pixel is cleared and composited each time.
		//
		// @option tolerance: Number = 3
		// Pixels around a symbol or line that still count as on it.
		//
		// @option line, lineUncertain, area, areaUncertain: Object
		// Path styles (weight, opacity, fillOpacity, dashArray, lineCap, lineJoin) for
		// presence along the railway and over areas; the colour comes with the scene.
		options: {
			pane: 'smRecords',
			padding: 0.1,
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
			this._grid = new SM.HitGrid();
			this._gridValid = false;
			this._projZoom = null;
			this._shapes = new Map();
			this._buf = new Float64Array(64);
			this._sx = new Float64Array(0);
			this._sy = new Float64Array(0);
			this._mask = new SM.OcclusionMask();
			this._vx = this._vy = new Float64Array(0);
			this._chainCache = new WeakMap();
			this._drawX = this._drawY = this._drawK = new Int32Array(0);
			this._drawn = 0;
		},

		// @method setScene(scene: Object): this
		// What to draw (see RecordLayer._scene); drawn on the next animation frame.
		setScene: function (scene) {
			this._scene = scene;
			this._gridValid = false;
			if (this._map && !this._redrawRequest) {
				this._redrawRequest = L.Util.requestAnimFrame(this._redraw, this);
			}
			return this;
		},

		// @method hitTest(layerPoint: Point): Object
		// The topmost record drawn at a point, as `{rec, symbol}` (`symbol`: its index in
		// the scene's symbols, or -1 for a line or an area), or null.
		hitTest: function (layerPoint) {
			var s = this._scene, map = this._map;
			if (!s || !map || !this._bounds) { return null; }
			this._project();
			var po = map.getPixelOrigin(), x = layerPoint.x + po.x, y = layerPoint.y + po.y,
			    tol = this.options.tolerance, best = -1, bestRank = -1, sx, sy;
			if (!this._gridValid) { this._buildGrid(); }
			sx = this._sx;
			sy = this._sy;
			// Events are drawn last, so they are on top; then presence, later over earlier.
			this._grid.each(x, y, this._maxHit + tol, function (k) {
				var r = s.sprite[k].hit + tol, dx = sx[k] - x, dy = sy[k] - y;
				if (dx * dx + dy * dy > r * r) { return; }
				var rank = k < s.split ? s.n + k : k;
				if (rank > bestRank) { bestRank = rank; best = k; }
			});
			if (best >= 0) { return {rec: s.rec[best], symbol: best}; }
			var i, rec;
			for (i = s.tracks.length - 1; i >= 0; i--) {
				if ((rec = this._onTrack(s.tracks[i], x, y))) { return {rec: rec, symbol: -1}; }
			}
			for (i = s.areas.length - 1; i >= 0; i--) {
				if (this._inArea(s.areas[i], x, y)) { return {rec: s.areas[i].rec, symbol: -1}; }
			}
			return null;
		},

		// @method hitAll(layerPoint: Point): Array
		// Every record drawn at a point, topmost first, as `{rec, symbol}`: the symbols under
		// it, and all the symbols of a place when the point falls inside the ring or spiral
		// they make there (a click on the place means all of them), then the railway lines
		// and the areas under it.
		hitAll: function (layerPoint) {
			var s = this._scene, map = this._map, out = [];
			if (!s || !map || !this._bounds) { return out; }
			this._project();
			var po = map.getPixelOrigin(), x = layerPoint.x + po.x, y = layerPoint.y + po.y,
			    tol = this.options.tolerance, sx, sy, ks = [], ax = this._ax, ay = this._ay, disc, i;
			if (!this._gridValid) { this._buildGrid(); }
			sx = this._sx;
			sy = this._sy;
			disc = this._disc;
			// (A place's symbols lie within its disc, so within twice that of a point inside it.)
			this._grid.each(x, y, Math.max(this._maxHit, 2 * this._maxDisc) + tol, function (k) {
				var r = s.sprite[k].hit + tol, dx = sx[k] - x, dy = sy[k] - y, a = s.anchor[k],
				    cx = Math.round(ax[a]) - x, cy = Math.round(ay[a]) - y, d = disc.get(a) || 0;
				if (dx * dx + dy * dy <= r * r || (d > 0 && cx * cx + cy * cy <= (d + tol) * (d + tol))) { ks.push(k); }
			});
			// Top first: events (drawn last), then presence, later over earlier.
			ks.sort(function (a, b) { return (b < s.split ? s.n + b : b) - (a < s.split ? s.n + a : a); });
			for (i = 0; i < ks.length; i++) { out.push({rec: s.rec[ks[i]], symbol: ks[i]}); }
			var rec;
			for (i = s.tracks.length - 1; i >= 0; i--) {
				if ((rec = this._onTrack(s.tracks[i], x, y))) { out.push({rec: rec, symbol: -1}); }
			}
			for (i = s.areas.length - 1; i >= 0; i--) {
				if (this._inArea(s.areas[i], x, y)) { out.push({rec: s.areas[i].rec, symbol: -1}); }
			}
			return out;
		},

		// No listeners: the pointer goes through to the shared canvas (see above).
		_initContainer: function () {
			var container = this._container = document.createElement('canvas');
			container.style.pointerEvents = 'none';
			this._ctx = container.getContext('2d');
		},

		// After a pan or zoom (L.Canvas has just resized and cleared the canvas).
		_updatePaths: function () {
			if (this._postponeUpdatePaths) { return; }
			this._gridValid = false;
			this._redrawBounds = null;
			this._redraw();
		},

		_draw: function () {
			var s = this._scene, map = this._map, ctx = this._ctx;
			if (!s || !map || !ctx || !this._bounds) { return; }
			this._project();
			var po = map.getPixelOrigin(), b = this._bounds;
			// The visible rectangle in world pixels, which everything here is drawn in.
			var view = L.bounds(b.min.add(po), b.max.add(po));
			ctx.save();
			ctx.translate(-po.x, -po.y);
			this._drawAreas(ctx, s.areas, view);
			this._drawLines(ctx, s.tracks, view);
			ctx.globalAlpha = 1;
			ctx.setLineDash([]);
			this._drawSymbols(ctx, s, view);
			ctx.restore();
		},

		// Presence symbols, then events over them. Decided top down, drawn bottom up: a
		// symbol entirely under opaque symbols drawn after it is skipped (OcclusionMask).
		_drawSymbols: function (ctx, s, view) {
			var ax = this._ax, ay = this._ay, minX = view.min.x, minY = view.min.y, maxX = view.max.x, maxY = view.max.y,
			    mask = this._mask.reset(maxX - minX, maxY - minY), n = s.n, presence = n - s.split, j, k;
			if (this._drawX.length < n) {
				this._drawX = new Int32Array(Math.max(n, 2 * this._drawX.length));
				this._drawY = new Int32Array(this._drawX.length);
				this._drawK = new Int32Array(this._drawX.length);
			}
			var xs = this._drawX, ys = this._drawY, ks = this._drawK, count = 0;
			// Draw position j runs over presence (scene split..n-1), then events (0..split-1).
			for (j = n - 1; j >= 0; j--) {
				k = j < presence ? s.split + j : j - presence;
				var sp = s.sprite[k], a = s.anchor[k],
				    x = Math.round(ax[a] + s.dx[k]) - sp.ox, y = Math.round(ay[a] + s.dy[k]) - sp.oy;
				if (x > maxX || y > maxY || x + sp.w < minX || y + sp.h < minY) { continue; }
				if (mask.covered(x - minX, y - minY, sp.footprint)) { continue; }
				mask.cover(x - minX, y - minY, sp.core);
				xs[count] = x;
				ys[count] = y;
				ks[count++] = k;
			}
			for (j = count - 1; j >= 0; j--) {
				var sprite = s.sprite[ks[j]];
				ctx.drawImage(sprite.canvas, xs[j], ys[j], sprite.w, sprite.h);
			}
			this._drawn = count;
		},

		// One path per contingent and style (TrackUnion): stroking is the expensive part,
		// and lines of one colour look the same stroked together or one by one.
		_drawLines: function (ctx, tracks, view) {
			for (var i = 0; i < tracks.length; i++) {
				var t = tracks[i], style = t.uncertain ? this.options.lineUncertain : this.options.line,
				    pad = Math.abs(t.offset) + style.weight;
				ctx.beginPath();
				for (var c = 0; c < t.chains.length; c++) {
					var xy = this._chainXY(t.chains[c]);
					if (this._boxMaxX + pad < view.min.x || this._boxMinX - pad > view.max.x ||
						this._boxMaxY + pad < view.min.y || this._boxMinY - pad > view.max.y) { continue; }
					this._trace(ctx, this._offset(xy, t.offset), false);
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

		// A chain's vertices in world pixels, simplified to a pixel, and its bounding box in
		// _boxMinX.._boxMaxY; cached per chain at the current zoom (chains are cached per
		// month by RecordLayer, so stepping back and panning reuse them).
		_chainXY: function (verts) {
			var c = this._chainCache.get(verts);
			if (!c || c.zoom !== this._projZoom) {
				var n = verts.length, vx = this._vx, vy = this._vy, xy = new Float64Array(2 * n), i;
				for (i = 0; i < n; i++) {
					var v = verts[i];
					if (vx[v] !== vx[v]) { this._projectVertex(v); }
					xy[2 * i] = vx[v];
					xy[2 * i + 1] = vy[v];
				}
				var kept = SM.LineOffset.simplify(xy, 1), out = new Float64Array(2 * kept.length);
				c = {zoom: this._projZoom, xy: out, kept: kept, minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity};
				for (i = 0; i < kept.length; i++) {
					var x = out[2 * i] = xy[2 * kept[i]], y = out[2 * i + 1] = xy[2 * kept[i] + 1];
					c.minX = Math.min(c.minX, x);
					c.maxX = Math.max(c.maxX, x);
					c.minY = Math.min(c.minY, y);
					c.maxY = Math.max(c.maxY, y);
				}
				this._chainCache.set(verts, c);
			}
			this._kept = c.kept;
			this._boxMinX = c.minX;
			this._boxMaxX = c.maxX;
			this._boxMinY = c.minY;
			this._boxMaxY = c.maxY;
			return c.xy;
		},

		_projectVertex: function (v) {
			var p = this._map.project(this._model.vertexLatLngs[v], this._projZoom);
			this._vx[v] = p.x;
			this._vy[v] = p.y;
		},

		// Areas cover many pixels, so each geometry is filled once: several contingents over
		// the same area get the one colour their translucent fills would have blended to on
		// top of each other, in draw order. Different areas still deepen where they overlap.
		// The outlines follow, one by one.
		_drawAreas: function (ctx, areas, view) {
			var i, area, shape, fills = new Map(), order = [];
			for (i = 0; i < areas.length; i++) {
				area = areas[i];
				var style = area.rec.unc ? this.options.areaUncertain : this.options.area, f = fills.get(area.rec.g);
				if (!f) {
					fills.set(area.rec.g, f = {g: area.rec.g, r: 0, gr: 0, b: 0, a: 0});
					order.push(f);
				}
				var c = parseInt(area.colourValue.slice(1), 16), a = style.fillOpacity;
				// Source over, premultiplied: out = src * a + dst * (1 - a).
				f.r = ((c >> 16) & 255) * a + f.r * (1 - a);
				f.gr = ((c >> 8) & 255) * a + f.gr * (1 - a);
				f.b = (c & 255) * a + f.b * (1 - a);
				f.a = a + f.a * (1 - a);
			}
			for (i = 0; i < order.length; i++) {
				var fill = order[i];
				shape = this._shape(fill.g);
				if (!fill.a || !this._inView(shape, view)) { continue; }
				ctx.beginPath();
				for (var p = 0; p < shape.parts.length; p++) { this._trace(ctx, shape.parts[p], true); }
				ctx.globalAlpha = fill.a;
				ctx.fillStyle = 'rgb(' + Math.round(fill.r / fill.a) + ',' + Math.round(fill.gr / fill.a) + ',' +
					Math.round(fill.b / fill.a) + ')';
				ctx.fill('evenodd');
			}
			for (i = 0; i < areas.length; i++) {
				area = areas[i];
				var outline = area.rec.unc ? this.options.areaUncertain : this.options.area;
				shape = this._shape(area.rec.g);
				if (!this._inView(shape, view)) { continue; }
				ctx.beginPath();
				for (var q = 0; q < shape.parts.length; q++) { this._trace(ctx, shape.parts[q], true); }
				ctx.globalAlpha = outline.opacity;
				ctx.strokeStyle = area.colourValue;
				ctx.lineWidth = outline.weight;
				ctx.lineCap = ctx.lineJoin = 'round';
				ctx.setLineDash(dashes(outline.dashArray));
				ctx.stroke();
			}
		},

		_inView: function (shape, view) {
			return !(shape.maxX < view.min.x || shape.minX > view.max.x || shape.maxY < view.min.y || shape.minY > view.max.y);
		},

		_trace: function (ctx, xy, closed) {
			var n = xy.length;
			if (n < 4) { return; }
			ctx.moveTo(xy[0], xy[1]);
			for (var i = 2; i < n; i += 2) { ctx.lineTo(xy[i], xy[i + 1]); }
			if (closed) { ctx.closePath(); }
		},

		_offset: function (xy, d) {
			if (!d) { return xy; }
			if (this._buf.length < xy.length) { this._buf = new Float64Array(2 * xy.length); }
			return SM.LineOffset.offset(xy, d, this._buf.subarray(0, xy.length));
		},

		// World pixel coordinates of the anchors at the current zoom, recomputed only when
		// the zoom changes (a pan moves the canvas, not the world).
		_project: function () {
			var map = this._map, zoom = map.getZoom();
			if (zoom === this._projZoom && this._ax && this._ax.length === this._model.anchorLatLngs.length &&
				this._vx.length >= this._model.vertexLatLngs.length) { return; }
			var latlngs = this._model.anchorLatLngs, n = latlngs.length;
			var ax = this._ax = new Float64Array(n), ay = this._ay = new Float64Array(n);
			for (var i = 0; i < n; i++) {
				var p = map.project(latlngs[i], zoom);
				ax[i] = p.x;
				ay[i] = p.y;
			}
			this._projZoom = zoom;
			// Railway vertices are projected when first drawn at this zoom (NaN: not yet).
			var nv = this._model.vertexLatLngs.length;
			if (this._vx.length < nv) {
				this._vx = new Float64Array(nv + 1024);
				this._vy = new Float64Array(nv + 1024);
			}
			this._vx.fill(NaN);
			this._shapes.clear();
			this._gridValid = false;
		},

		// An area's rings, simplified to a pixel the way L.Polygon does, as flat arrays of
		// world pixels, with their bounding box; cached per zoom.
		_shape: function (g) {
			var shape = this._shapes.get(g);
			if (shape) { return shape; }
			var map = this._map, zoom = this._projZoom, polys = this._model.geoms[g].c || [], rings = [], i, j;
			for (i = 0; i < polys.length; i++) {
				for (j = 0; j < (polys[i] || []).length; j++) { rings.push(polys[i][j]); }
			}
			shape = {parts: [], minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity};
			for (i = 0; i < rings.length; i++) {
				if (!Array.isArray(rings[i])) { continue; }
				var pts = [];
				for (j = 0; j < rings[i].length; j++) {
					var c = rings[i][j];
					if (Array.isArray(c) && isFinite(c[0]) && isFinite(c[1])) { pts.push(map.project([c[0], c[1]], zoom)); }
				}
				var xy = SM.LineOffset.flatten(L.LineUtil.simplify(pts, 1));
				if (xy.length < 4) { continue; }
				for (j = 0; j < xy.length; j += 2) {
					shape.minX = Math.min(shape.minX, xy[j]);
					shape.maxX = Math.max(shape.maxX, xy[j]);
					shape.minY = Math.min(shape.minY, xy[j + 1]);
					shape.maxY = Math.max(shape.maxY, xy[j + 1]);
				}
				shape.parts.push(xy);
			}
			this._shapes.set(g, shape);
			return shape;
		},

		// Symbol centres of the current scene, and the grid over them; built when the pointer
		// first asks after a change, so steps without a pointer on the map never pay for it.
		_buildGrid: function () {
			var s = this._scene, n = s.n, po = this._map.getPixelOrigin(), ax = this._ax, ay = this._ay;
			if (this._sx.length < n) {
				this._sx = new Float64Array(Math.max(n, 2 * this._sx.length));
				this._sy = new Float64Array(this._sx.length);
			}
			this._maxHit = this._maxDisc = 0;
			// Per place with several symbols: how far their centres lie from it (its disc).
			var disc = this._disc = new Map();
			for (var k = 0; k < n; k++) {
				this._sx[k] = Math.round(ax[s.anchor[k]] + s.dx[k]);
				this._sy[k] = Math.round(ay[s.anchor[k]] + s.dy[k]);
				this._maxHit = Math.max(this._maxHit, s.sprite[k].hit);
				if (s.dx[k] || s.dy[k]) {
					var d = Math.sqrt(s.dx[k] * s.dx[k] + s.dy[k] * s.dy[k]);
					if (!(disc.get(s.anchor[k]) >= d)) { disc.set(s.anchor[k], d); }
					if (d > this._maxDisc) { this._maxDisc = d; }
				}
			}
			this._grid.build(this._sx, this._sy, n, L.bounds(this._bounds.min.add(po), this._bounds.max.add(po)));
			this._gridValid = true;
		},

		// The record of the track segment at (x, y), or null.
		_onTrack: function (t, x, y) {
			var style = t.uncertain ? this.options.lineUncertain : this.options.line,
			    w = style.weight / 2 + this.options.tolerance, pad = w + Math.abs(t.offset), w2 = w * w;
			for (var c = 0; c < t.chains.length; c++) {
				var xy = this._chainXY(t.chains[c]);
				if (x < this._boxMinX - pad || x > this._boxMaxX + pad || y < this._boxMinY - pad || y > this._boxMaxY + pad) { continue; }
				xy = this._offset(xy, t.offset);
				for (var i = 2; i < xy.length; i += 2) {
					if (segmentDistance2(x, y, xy[i - 2], xy[i - 1], xy[i], xy[i + 1]) <= w2) {
						// The first original segment under this simplified one.
						return t.segmentRecord[t.chainSegments[c][this._kept[(i >> 1) - 1]]];
					}
				}
			}
			return null;
		},

		// Inside (even-odd, as drawn) or on the outline.
		_inArea: function (area, x, y) {
			var style = area.rec.unc ? this.options.areaUncertain : this.options.area,
			    w = style.weight / 2 + this.options.tolerance, w2 = w * w, shape = this._shape(area.rec.g),
			    inside = false, p, i, j;
			if (x < shape.minX - w || x > shape.maxX + w || y < shape.minY - w || y > shape.maxY + w) { return false; }
			for (p = 0; p < shape.parts.length; p++) {
				var xy = shape.parts[p], n = xy.length;
				for (i = 0, j = n - 2; i < n; j = i, i += 2) {
					var xi = xy[i], yi = xy[i + 1], xj = xy[j], yj = xy[j + 1];
					if (((yi > y) !== (yj > y)) && (x < (xj - xi) * (y - yi) / (yj - yi) + xi)) { inside = !inside; }
					if (segmentDistance2(x, y, xj, yj, xi, yi) <= w2) { return true; }
				}
			}
			return inside;
		}
	});

	SM.recordCanvas = function (model, options) {
		return new SM.RecordCanvas(model, options);
	};
})(L);
