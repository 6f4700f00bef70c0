/*
 * L.SiberiaMap.RecordHits: which drawn record lies under a pixel.
 *
 * The records are pixels on RecordCanvas, so the pointer is matched against the scene it
 * drew: symbols through a grid of their centres (HitGrid), built when the pointer first
 * asks after a change, so steps without a pointer on the map never pay for it; then the
 * railway lines and the areas, top to bottom in draw order. All in world pixels at the
 * current zoom (RecordProjection).
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	function segmentDistance2(px, py, ax, ay, bx, by) {
		const dx = bx - ax;
		const dy = by - ay;
		let t = 0;
		const len2 = dx * dx + dy * dy;
		if (len2 > 0) { t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)); }
		const x = ax + t * dx - px;
		const y = ay + t * dy - py;
		return x * x + y * y;
	}

	SM.RecordHits = L.Class.extend({

		// @option tolerance: Number = 3
		// Pixels around a symbol or line that still count as on it.
		//
		// @option line, lineUncertain, area, areaUncertain: Object
		// The path styles RecordCanvas draws with (their weight widens the target).
		options: {
			tolerance: 3,
			line: null,
			lineUncertain: null,
			area: null,
			areaUncertain: null
		},

		// @param projection: L.SiberiaMap.RecordProjection
		initialize: function (projection, options) {
			L.setOptions(this, options);
			this._proj = projection;
			this._grid = new SM.HitGrid();
			this._valid = false;
			this._sx = new Float64Array(0);
			this._sy = new Float64Array(0);
		},

		// @method invalidate(): this
		// The scene, the view or the zoom changed: the grid is rebuilt on the next question.
		invalidate: function () {
			this._valid = false;
			return this;
		},

		// @method hitTest(scene: Object, x: Number, y: Number, view: Bounds): Object
		// The topmost record drawn at world pixel (x, y), as `{rec, symbol}` (`symbol`: its
		// index in the scene's symbols, or -1 for a line or an area), or null. `view`: the
		// drawn rectangle in world pixels.
		hitTest: function (s, x, y, view) {
			const tol = this.options.tolerance;
			let best = -1;
			let bestRank = -1;
			this._ensureGrid(s, view);
			const sx = this._sx;
			const sy = this._sy;
			// Events are drawn last, so they are on top; then presence, later over earlier.
			this._grid.each(x, y, this._maxHit + tol, function (k) {
				const r = s.sprite[k].hit + tol;
				const dx = sx[k] - x;
				const dy = sy[k] - y;
				if (dx * dx + dy * dy > r * r) { return; }
				const rank = k < s.split ? s.n + k : k;
				if (rank > bestRank) { bestRank = rank; best = k; }
			});
			if (best >= 0) { return {rec: s.rec[best], symbol: best}; }
			let i;
			let rec;
			for (i = s.tracks.length - 1; i >= 0; i--) {
				if ((rec = this._onTrack(s.tracks[i], x, y))) { return {rec: rec, symbol: -1}; }
			}
			for (i = s.areas.length - 1; i >= 0; i--) {
				if (this._inArea(s.areas[i], x, y)) { return {rec: s.areas[i].rec, symbol: -1}; }
			}
			return null;
		},

		// @method hitAll(scene: Object, x: Number, y: Number, view: Bounds): Array
		// Every record drawn at world pixel (x, y), topmost first, as `{rec, symbol}`: the
		// symbols under it, and all the symbols of a place when the point falls inside the
		// ring or spiral they make there (a click on the place means all of them), then the
		// railway lines and the areas under it.
		hitAll: function (s, x, y, view) {
			const tol = this.options.tolerance;
			const ks = [];
			const out = [];
			const ax = this._proj.ax;
			const ay = this._proj.ay;
			let i;
			this._ensureGrid(s, view);
			const sx = this._sx;
			const sy = this._sy;
			const disc = this._disc;
			// (A place's symbols lie within its disc, so within twice that of a point inside it.)
			this._grid.each(x, y, Math.max(this._maxHit, 2 * this._maxDisc) + tol, function (k) {
				const r = s.sprite[k].hit + tol;
				const dx = sx[k] - x;
				const dy = sy[k] - y;
				const a = s.anchor[k];
				const cx = Math.round(ax[a]) - x;
				const cy = Math.round(ay[a]) - y;
				const d = disc.get(a) || 0;
				if (dx * dx + dy * dy <= r * r || (d > 0 && cx * cx + cy * cy <= (d + tol) * (d + tol))) { ks.push(k); }
			});
			// Top first: events (drawn last), then presence, later over earlier.
			ks.sort(function (a, b) { return (b < s.split ? s.n + b : b) - (a < s.split ? s.n + a : a); });
			for (i = 0; i < ks.length; i++) { out.push({rec: s.rec[ks[i]], symbol: ks[i]}); }
			let rec;
			for (i = s.tracks.length - 1; i >= 0; i--) {
				if ((rec = this._onTrack(s.tracks[i], x, y))) { out.push({rec: rec, symbol: -1}); }
			}
			for (i = s.areas.length - 1; i >= 0; i--) {
				if (this._inArea(s.areas[i], x, y)) { out.push({rec: s.areas[i].rec, symbol: -1}); }
			}
			return out;
		},

		// Symbol centres of the scene, and the grid over them.
		_ensureGrid: function (s, view) {
			if (this._valid) { return; }
			const n = s.n;
			const ax = this._proj.ax;
			const ay = this._proj.ay;
			if (this._sx.length < n) {
				this._sx = new Float64Array(Math.max(n, 2 * this._sx.length));
				this._sy = new Float64Array(this._sx.length);
			}
			this._maxHit = this._maxDisc = 0;
			// Per place with several symbols: how far their centres lie from it (its disc).
			const disc = this._disc = new Map();
			for (let k = 0; k < n; k++) {
				this._sx[k] = Math.round(ax[s.anchor[k]] + s.dx[k]);
				this._sy[k] = Math.round(ay[s.anchor[k]] + s.dy[k]);
				this._maxHit = Math.max(this._maxHit, s.sprite[k].hit);
				if (s.dx[k] || s.dy[k]) {
					const d = Math.sqrt(s.dx[k] * s.dx[k] + s.dy[k] * s.dy[k]);
					if (!(disc.get(s.anchor[k]) >= d)) { disc.set(s.anchor[k], d); }
					if (d > this._maxDisc) { this._maxDisc = d; }
				}
			}
			this._grid.build(this._sx, this._sy, n, view);
			this._valid = true;
		},

		// The record of the track segment at (x, y), or null.
		_onTrack: function (t, x, y) {
			const style = t.uncertain ? this.options.lineUncertain : this.options.line;
			const w = style.weight / 2 + this.options.tolerance;
			const pad = w + Math.abs(t.offset);
			const w2 = w * w;
			for (let c = 0; c < t.chains.length; c++) {
				const chain = this._proj.chain(t.chains[c]);
				if (x < chain.minX - pad || x > chain.maxX + pad || y < chain.minY - pad || y > chain.maxY + pad) { continue; }
				const xy = this._proj.offset(chain.xy, t.offset);
				for (let i = 2; i < xy.length; i += 2) {
					if (segmentDistance2(x, y, xy[i - 2], xy[i - 1], xy[i], xy[i + 1]) <= w2) {
						// The first original segment under this simplified one.
						return t.segmentRecord[t.chainSegments[c][chain.kept[(i >> 1) - 1]]];
					}
				}
			}
			return null;
		},

		// Inside (even-odd, as drawn) or on the outline.
		_inArea: function (area, x, y) {
			const style = area.rec.unc ? this.options.areaUncertain : this.options.area;
			const w = style.weight / 2 + this.options.tolerance;
			const w2 = w * w;
			const shape = this._proj.shape(area.rec.g);
			let inside = false;
			let p;
			let i;
			let j;
			if (x < shape.minX - w || x > shape.maxX + w || y < shape.minY - w || y > shape.maxY + w) { return false; }
			for (p = 0; p < shape.parts.length; p++) {
				const xy = shape.parts[p];
				const n = xy.length;
				for (i = 0, j = n - 2; i < n; j = i, i += 2) {
					const xi = xy[i];
					const yi = xy[i + 1];
					const xj = xy[j];
					const yj = xy[j + 1];
					if (((yi > y) !== (yj > y)) && (x < (xj - xi) * (y - yi) / (yj - yi) + xi)) { inside = !inside; }
					if (segmentDistance2(x, y, xj, yj, xi, yi) <= w2) { return true; }
				}
			}
			return inside;
		}
	});
})(L);
