/*
 * L.SiberiaMap.RecordProjection: the records' geometry in world pixels at the map's zoom.
 *
 * Drawing (RecordCanvas) and hit-testing (RecordHits) need the same pixels: the places'
 * anchors, the railway chains simplified to a pixel, the areas' rings. Worked out here once
 * per zoom and shared, so a step or a pan projects nothing that was projected before (a
 * pan moves the canvas, not the world).
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	SM.RecordProjection = L.Class.extend({

		// @param model: L.SiberiaMap.Model
		initialize: function (model) {
			this._model = model;
			this.zoom = null;
			// World pixel coordinates of every anchor (Model.anchorLatLngs).
			this.ax = this.ay = new Float64Array(0);
			// Railway vertices (Model.vertexLatLngs), projected when first drawn (NaN: not yet).
			this._vx = this._vy = new Float64Array(0);
			this._shapes = new Map();
			this._chains = new WeakMap();
			this._buf = new Float64Array(64);
		},

		// @method update(map: Map): Boolean
		// Follows the map's zoom; true when it changed (or anchors or vertices were added),
		// so that whatever was derived from the old pixels must be redone.
		update: function (map) {
			const model = this._model;
			const zoom = map.getZoom();
			if (zoom === this.zoom && this.ax.length === model.anchorLatLngs.length &&
				this._vx.length >= model.vertexLatLngs.length) { return false; }
			this._map = map;
			const latlngs = model.anchorLatLngs;
			const n = latlngs.length;
			const ax = this.ax = new Float64Array(n);
			const ay = this.ay = new Float64Array(n);
			for (let i = 0; i < n; i++) {
				const p = map.project(latlngs[i], zoom);
				ax[i] = p.x;
				ay[i] = p.y;
			}
			this.zoom = zoom;
			const nv = model.vertexLatLngs.length;
			if (this._vx.length < nv) {
				this._vx = new Float64Array(nv + 1024);
				this._vy = new Float64Array(nv + 1024);
			}
			this._vx.fill(NaN);
			this._shapes.clear();
			return true;
		},

		// @method chain(verts: Int32Array): Object
		// A chain of railway vertices as `{xy, kept, minX, minY, maxX, maxY}`: its vertices in
		// world pixels simplified to a pixel (`kept`: which of `verts` stayed) and its
		// bounding box; cached per chain at the current zoom (chains are cached per month by
		// RecordScene, so stepping back and panning reuse them).
		chain: function (verts) {
			let c = this._chains.get(verts);
			if (!c || c.zoom !== this.zoom) {
				const n = verts.length;
				const vx = this._vx;
				const vy = this._vy;
				const xy = new Float64Array(2 * n);
				let i;
				for (i = 0; i < n; i++) {
					const v = verts[i];
					if (vx[v] !== vx[v]) { this._projectVertex(v); }
					xy[2 * i] = vx[v];
					xy[2 * i + 1] = vy[v];
				}
				const kept = SM.LineOffset.simplify(xy, 1);
				const out = new Float64Array(2 * kept.length);
				c = {zoom: this.zoom, xy: out, kept: kept, minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity};
				for (i = 0; i < kept.length; i++) {
					const x = out[2 * i] = xy[2 * kept[i]];
					const y = out[2 * i + 1] = xy[2 * kept[i] + 1];
					c.minX = Math.min(c.minX, x);
					c.maxX = Math.max(c.maxX, x);
					c.minY = Math.min(c.minY, y);
					c.maxY = Math.max(c.maxY, y);
				}
				this._chains.set(verts, c);
			}
			return c;
		},

		_projectVertex: function (v) {
			const p = this._map.project(this._model.vertexLatLngs[v], this.zoom);
			this._vx[v] = p.x;
			this._vy[v] = p.y;
		},

		// @method offset(xy: Float64Array, d: Number): Float64Array
		// A lane `d` pixels beside the line, in a buffer reused until the next call.
		offset: function (xy, d) {
			if (!d) { return xy; }
			if (this._buf.length < xy.length) { this._buf = new Float64Array(2 * xy.length); }
			return SM.LineOffset.offset(xy, d, this._buf.subarray(0, xy.length));
		},

		// @method shape(g: Number): Object
		// An area's rings (geometry `g`), simplified to a pixel the way L.Polygon does, as
		// `{parts: [flat world pixels], minX, minY, maxX, maxY}`; cached per zoom.
		shape: function (g) {
			let shape = this._shapes.get(g);
			if (shape) { return shape; }
			const map = this._map;
			const zoom = this.zoom;
			const polys = this._model.geoms[g].c || [];
			const rings = [];
			let i;
			let j;
			for (i = 0; i < polys.length; i++) {
				for (j = 0; j < (polys[i] || []).length; j++) { rings.push(polys[i][j]); }
			}
			shape = {parts: [], minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity};
			for (i = 0; i < rings.length; i++) {
				if (!Array.isArray(rings[i])) { continue; }
				const pts = [];
				for (j = 0; j < rings[i].length; j++) {
					const c = rings[i][j];
					if (Array.isArray(c) && isFinite(c[0]) && isFinite(c[1])) { pts.push(map.project([c[0], c[1]], zoom)); }
				}
				const xy = SM.LineOffset.flatten(L.LineUtil.simplify(pts, 1));
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
		}
	});

	// @function inView(box: Object, view: Bounds, pad?: Number): Boolean
	// Whether a `{minX, minY, maxX, maxY}` box, grown by `pad`, meets the view.
	SM.RecordProjection.inView = function (box, view, pad) {
		pad = pad || 0;
		return !(box.maxX + pad < view.min.x || box.minX - pad > view.max.x ||
			box.maxY + pad < view.min.y || box.minY - pad > view.max.y);
	};
})(L);
