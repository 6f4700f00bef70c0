/*
 * L.SiberiaMap.HitGrid: which drawn symbols are near a pixel.
 *
 * The records are pixels on a canvas, so the pointer has to be matched against their
 * positions. Thousands of symbols per month make a linear scan per mousemove wasteful; a
 * uniform grid of screen cells, filled by a counting sort into two typed arrays, costs one
 * pass to build and a few cells to query, and allocates nothing per item.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	SM.HitGrid = L.Class.extend({

		// @option cellSize: Number = 16
		// Pixels per cell side; about a symbol's diameter plus the pointer tolerance.
		options: {
			cellSize: 16
		},

		initialize: function (options) {
			L.setOptions(this, options);
			this._start = new Int32Array(1);
			this._items = new Int32Array(0);
			this._cols = this._rows = 0;
		},

		// @method build(x: Float64Array, y: Float64Array, n: Number, bounds: Bounds): this
		// Indexes items 0..n-1 at (x[i], y[i]); items outside `bounds` (the drawn area, in
		// the same pixel space) are left out.
		build: function (x, y, n, bounds) {
			const cs = this.options.cellSize;
			const minX = this._minX = bounds.min.x;
			const minY = this._minY = bounds.min.y;
			const cols = this._cols = Math.max(1, Math.ceil((bounds.max.x - minX) / cs));
			const rows = this._rows = Math.max(1, Math.ceil((bounds.max.y - minY) / cs));
			const cells = cols * rows;
			let i;
			let c;
			if (this._start.length < cells + 1) { this._start = new Int32Array(cells + 1); }
			if (this._items.length < n) { this._items = new Int32Array(n); }
			if (!this._cell || this._cell.length < n) { this._cell = new Int32Array(Math.max(n, 16)); }
			const start = this._start;
			const cell = this._cell;
			const items = this._items;
			start.fill(0, 0, cells + 1);
			for (i = 0; i < n; i++) {
				const cx = Math.floor((x[i] - minX) / cs);
				const cy = Math.floor((y[i] - minY) / cs);
				c = cell[i] = cx < 0 || cy < 0 || cx >= cols || cy >= rows ? -1 : cy * cols + cx;
				if (c >= 0) { start[c + 1]++; }
			}
			for (c = 0; c < cells; c++) { start[c + 1] += start[c]; }
			const fill = this._fill = this._fill && this._fill.length >= cells ? this._fill : new Int32Array(cells);
			fill.set(start.subarray(0, cells));
			for (i = 0; i < n; i++) {
				if (cell[i] >= 0) { items[fill[cell[i]]++] = i; }
			}
			return this;
		},

		// @method each(x: Number, y: Number, radius: Number, fn: Function, context?): this
		// Calls fn(i) for every item in the cells within `radius` of (x, y); the caller
		// checks the exact distance.
		each: function (x, y, radius, fn, context) {
			const cs = this.options.cellSize;
			const x0 = Math.max(0, Math.floor((x - radius - this._minX) / cs));
			const x1 = Math.min(this._cols - 1, Math.floor((x + radius - this._minX) / cs));
			const y0 = Math.max(0, Math.floor((y - radius - this._minY) / cs));
			const y1 = Math.min(this._rows - 1, Math.floor((y + radius - this._minY) / cs));
			for (let cy = y0; cy <= y1; cy++) {
				for (let cx = x0; cx <= x1; cx++) {
					const c = cy * this._cols + cx;
					for (let k = this._start[c]; k < this._start[c + 1]; k++) { fn.call(context, this._items[k]); }
				}
			}
			return this;
		}
	});
})(L);
