/*
 * L.SiberiaMap.OcclusionMask: which pixels are already hidden under opaque symbols.
 *
 * In a busy month most symbols are drawn on top of others: places a few pixels apart
 * spread their rings over each other, and at 100,000 records about two thirds of all
 * symbols end up entirely under opaque event diamonds drawn later. Copying them costs as
 * much as copying the visible ones (a few microseconds each, far more than anything else
 * a step does), so RecordCanvas walks the symbols from the top down, skips each one whose
 * whole footprint is already covered, and marks the opaque core of the rest. The picture
 * is exactly the same; only invisible work is left out.
 *
 * The count badges mark theirs the same way, so that the movements under them leave out
 * what they hide (CountBadgeLayer.cover).
 *
 * One bit per pixel, a row of 32 pixels per word: a symbol's test and mark cost a few word
 * operations per row.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	// Bits lo..hi (inclusive) of a 32-bit word.
	function bitsBetween(lo, hi) {
		return ((0xffffffff >>> (31 - hi)) & ~((1 << lo) - 1)) >>> 0;
	}

	SM.OcclusionMask = L.Class.extend({

		initialize: function () {
			this._bits = new Uint32Array(0);
			this._w = this._h = this._words = 0;
		},

		// @method reset(width: Number, height: Number): this
		// An empty mask of the given size in pixels.
		reset: function (width, height) {
			this._w = width;
			this._h = height;
			this._words = (width + 31) >> 5;
			const n = this._words * height;
			if (this._bits.length < n) { this._bits = new Uint32Array(n); } else { this._bits.fill(0, 0, n); }
			return this;
		},

		// @method covered(x: Number, y: Number, spans: Int16Array): Boolean
		// Whether a shape with its top left at (x, y) lies entirely on covered pixels.
		// `spans` holds per row [from, to) pixel columns (see SymbolSprites: `footprint`).
		// Parts outside the mask count as not covered.
		covered: function (x, y, spans) {
			const rows = spans.length >> 1;
			if (x < 0 || y < 0 || y + rows > this._h) { return false; }
			for (let r = 0; r < rows; r++) {
				const x0 = x + spans[2 * r];
				const x1 = x + spans[2 * r + 1];
				if (x1 <= x0) { continue; }
				if (x1 > this._w) { return false; }
				if (!this._full((y + r) * this._words, x0, x1)) { return false; }
			}
			return true;
		},

		// @method cover(x: Number, y: Number, spans: Int16Array): this
		// Marks the pixels of a shape (its opaque `core` spans) as covered.
		cover: function (x, y, spans) {
			const rows = spans.length >> 1;
			const bits = this._bits;
			for (let r = 0; r < rows; r++) {
				const row = y + r;
				if (row < 0 || row >= this._h) { continue; }
				const x0 = Math.max(0, x + spans[2 * r]);
				const x1 = Math.min(this._w, x + spans[2 * r + 1]);
				if (x1 <= x0) { continue; }
				const base = row * this._words;
				const w0 = x0 >> 5;
				const w1 = (x1 - 1) >> 5;
				for (let w = w0; w <= w1; w++) {
					bits[base + w] |= bitsBetween(w === w0 ? x0 & 31 : 0, w === w1 ? (x1 - 1) & 31 : 31);
				}
			}
			return this;
		},

		// @method coveredRect(x0: Number, y0: Number, x1: Number, y1: Number): Boolean
		// Whether the pixels [x0, x1) x [y0, y1) are all covered (parts outside the mask
		// count as not covered).
		coveredRect: function (x0, y0, x1, y1) {
			if (x0 < 0 || y0 < 0 || x1 > this._w || y1 > this._h) { return false; }
			if (x1 <= x0) { return true; }
			for (let row = y0; row < y1; row++) {
				if (!this._full(row * this._words, x0, x1)) { return false; }
			}
			return true;
		},

		// @method coveredConvex(pts: Array, r: Number, ox: Number, oy: Number): Boolean
		// Whether every pixel within `r` of the convex polygon `pts` ([x, y] points; two make
		// a line) is covered, the polygon's coordinates measured from (ox, oy) at the mask's
		// top left. Row by row: the polygon's extent across the band of rows within r of the
		// row, widened by r (a square around each point, which holds the circle).
		coveredConvex: function (pts, r, ox, oy) {
			let top = Infinity;
			let bottom = -Infinity;
			for (let i = 0; i < pts.length; i++) {
				top = Math.min(top, pts[i][1] - oy);
				bottom = Math.max(bottom, pts[i][1] - oy);
			}
			const y0 = Math.floor(top - r);
			const y1 = Math.ceil(bottom + r);
			if (!(y0 >= 0 && y1 <= this._h)) { return false; }
			for (let row = y0; row < y1; row++) {
				const lo = row - r;
				const hi = row + 1 + r;
				let left = Infinity;
				let right = -Infinity;
				for (let i = 0; i < pts.length; i++) {
					const p = pts[i];
					const q = pts[(i + 1) % pts.length];
					const py = p[1] - oy;
					const qy = q[1] - oy;
					// The edge's part within the band, by its two ends' x.
					const ta = py === qy ? 0 : Math.max(0, Math.min(1, ((py < qy ? lo : hi) - py) / (qy - py)));
					const tb = py === qy ? 1 : Math.max(0, Math.min(1, ((py < qy ? hi : lo) - py) / (qy - py)));
					if (Math.max(py, qy) < lo || Math.min(py, qy) > hi || tb < ta) { continue; }
					const xa = p[0] + (q[0] - p[0]) * ta;
					const xb = p[0] + (q[0] - p[0]) * tb;
					left = Math.min(left, xa, xb);
					right = Math.max(right, xa, xb);
				}
				if (!(left <= right)) { continue; }
				const x0 = Math.floor(left - ox - r);
				const x1 = Math.ceil(right - ox + r);
				if (x0 < 0 || x1 > this._w) { return false; }
				if (x1 > x0 && !this._full(row * this._words, x0, x1)) { return false; }
			}
			return true;
		},

		// @method coverRect(x0: Number, y0: Number, x1: Number, y1: Number): this
		// Marks the pixels [x0, x1) x [y0, y1) as covered (as far as they are in the mask).
		coverRect: function (x0, y0, x1, y1) {
			const bits = this._bits;
			const a = Math.max(0, x0);
			const b = Math.min(this._w, x1);
			if (b <= a) { return this; }
			const w0 = a >> 5;
			const w1 = (b - 1) >> 5;
			for (let row = Math.max(0, y0); row < Math.min(this._h, y1); row++) {
				const base = row * this._words;
				for (let w = w0; w <= w1; w++) {
					bits[base + w] |= bitsBetween(w === w0 ? a & 31 : 0, w === w1 ? (b - 1) & 31 : 31);
				}
			}
			return this;
		},

		_full: function (base, x0, x1) {
			const bits = this._bits;
			const w0 = x0 >> 5;
			const w1 = (x1 - 1) >> 5;
			for (let w = w0; w <= w1; w++) {
				const m = bitsBetween(w === w0 ? x0 & 31 : 0, w === w1 ? (x1 - 1) & 31 : 31);
				if (((bits[base + w] & m) >>> 0) !== m) { return false; }
			}
			return true;
		}
	});
})(L);
