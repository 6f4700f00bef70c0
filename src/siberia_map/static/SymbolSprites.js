/*
 * L.SiberiaMap.SymbolSprites: each record symbol drawn once, then copied.
 *
 * A busy month shows thousands of outlined circles and diamonds, many of them dashed.
 * Stroking them one by one is what made a step miss its frame (dashes are expensive, and
 * in software rendering everything is). There are only a few distinct symbols (four kinds
 * times one colour per contingent), so each is rendered once into a small offscreen canvas
 * and the map copies it with drawImage, at whole pixels so the copy is a plain blit.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	const PAPER = '#fbf8f0';
	const INK = '#1f1b17';

	// A diamond with the circle's radius looks smaller than the circle; this evens the area.
	const DIAMOND = 1.3;

	SM.SymbolSprites = L.Class.extend({

		// @option ratio: Number = 1
		// Device pixels per CSS pixel of the canvas the sprites are copied to (L.Canvas
		// doubles its resolution on retina screens); sprites are rendered at that resolution.
		options: {
			ratio: 1
		},

		// @param styles: Array
		// One style per symbol kind (RecordLayer's point, pointUncertain, event,
		// eventUncertain): `{shape: 'circle'|'diamond', radius, weight, opacity, fillOpacity,
		// dashArray}`.
		// @param palette: Array
		// Colours (`#rrggbb`) by colour index.
		initialize: function (styles, palette, options) {
			L.setOptions(this, options);
			this._styles = styles;
			this._palette = palette;
			this._cache = [];
		},

		// @method get(kind: Number, colour: Number): Object
		// The sprite for a symbol kind in a palette colour: `{canvas, w, h, ox, oy, extent,
		// hit, footprint, core}` (`canvas`: an ImageBitmap, or a canvas in browsers without
		// OffscreenCanvas). Draw it with its centre at (x, y) as drawImage(canvas, x - ox,
		// y - oy, w, h). `extent` is how far it reaches from its centre (outline included),
		// `hit` the radius a pointer counts as on it (before the renderer's tolerance).
		// `footprint` and `core` give per row of CSS pixels the columns [from, to) it
		// touches at all, and a run it covers completely (opaque), for OcclusionMask.
		get: function (kind, colour) {
			const i = kind * this._palette.length + colour;
			return this._cache[i] || (this._cache[i] = this._render(this._styles[kind], kind, this._palette[colour]));
		},

		// @method warm(): this
		// Renders every sprite not made yet while the browser is idle, a few at a time, so
		// that no step pays for the first appearance of a kind in a colour (each is drawn,
		// then read back for its footprint: a fraction of a millisecond, but dozens of them
		// fall on the first steps). Does nothing where requestIdleCallback is missing.
		warm: function () {
			if (typeof window.requestIdleCallback !== 'function' || this._warming) { return this; }
			const total = this._styles.length * this._palette.length;
			let next = 0;
			const run = L.bind(function (deadline) {
				this._warming = null;
				while (next < total && deadline.timeRemaining() > 2) {
					this.get(Math.floor(next / this._palette.length), next % this._palette.length);
					next++;
				}
				if (next < total) { this._warming = window.requestIdleCallback(run); }
			}, this);
			this._warming = window.requestIdleCallback(run);
			return this;
		},

		// @method stop(): this
		// Stops warm().
		stop: function () {
			if (this._warming) { window.cancelIdleCallback(this._warming); }
			this._warming = null;
			return this;
		},

		// Both symbols are convex, so each row touches one run of columns. A CSS pixel
		// counts as touched if any of its device pixels is, as covered only if all are
		// opaque.
		_spans: function (ctx, size, ratio) {
			const footprint = new Int16Array(2 * size);
			const core = new Int16Array(2 * size);
			let data;
			try {
				data = ctx.getImageData(0, 0, size * ratio, size * ratio).data;
			} catch (e) {
				// No pixels to read (should not happen for our own drawing): claim the whole
				// box as footprint and nothing as core, so nothing is ever skipped.
				for (let i = 0; i < size; i++) { footprint[2 * i + 1] = size; }
				return {footprint: footprint, core: core};
			}
			const stride = size * ratio * 4;
			for (let y = 0; y < size; y++) {
				let first = -1;
				let last = -1;
				let run = 0;
				let bestFrom = 0;
				let bestTo = 0;
				let from = 0;
				for (let x = 0; x < size; x++) {
					let any = false;
					let all = true;
					for (let dy = 0; dy < ratio; dy++) {
						for (let dx = 0; dx < ratio; dx++) {
							const a = data[(y * ratio + dy) * stride + (x * ratio + dx) * 4 + 3];
							if (a) { any = true; }
							if (a !== 255) { all = false; }
						}
					}
					if (any) {
						if (first < 0) { first = x; }
						last = x;
					}
					if (all) {
						if (!run) { from = x; }
						run++;
						if (run > bestTo - bestFrom) { bestFrom = from; bestTo = x + 1; }
					} else {
						run = 0;
					}
				}
				if (first >= 0) {
					footprint[2 * y] = first;
					footprint[2 * y + 1] = last + 1;
				}
				core[2 * y] = bestFrom;
				core[2 * y + 1] = bestTo;
			}
			return {footprint: footprint, core: core};
		},

		_render: function (style, kind, colour) {
			const diamond = style.shape === 'diamond';
			const event = kind >= 2;
			const uncertain = kind % 2 === 1;
			// Filled symbols take the colour inside; hollow (uncertain) ones on the edge.
			const stroke = uncertain ? colour : (event ? INK : PAPER);
			const fill = uncertain ? PAPER : colour;
			const r = Math.max(Math.round(style.radius), 1);
			const s = Math.round(style.radius * DIAMOND);
			const reach = (diamond ? s : r) + style.weight / 2;
			const half = Math.ceil(reach + 1);
			const ratio = this.options.ratio;
			const size = 2 * half * ratio;
			const self = this;
			let spans;
			const image = util.sprite(size, size, function (ctx) {
				ctx.scale(ratio, ratio);
				ctx.beginPath();
				if (diamond) {
					ctx.moveTo(half, half - s);
					ctx.lineTo(half + s, half);
					ctx.lineTo(half, half + s);
					ctx.lineTo(half - s, half);
					ctx.closePath();
				} else {
					ctx.arc(half, half, r, 0, Math.PI * 2, false);
				}
				ctx.globalAlpha = style.fillOpacity;
				ctx.fillStyle = fill;
				ctx.fill();
				if (style.weight) {
					ctx.setLineDash(style.dashArray ? String(style.dashArray).split(/[, ]+/).map(Number) : []);
					ctx.globalAlpha = style.opacity;
					ctx.lineWidth = style.weight;
					ctx.strokeStyle = stroke;
					ctx.lineCap = ctx.lineJoin = 'round';
					ctx.stroke();
				}
				spans = self._spans(ctx, 2 * half, ratio);
			});
			return {
				footprint: spans.footprint,
				core: spans.core,
				canvas: image,
				w: 2 * half,
				h: 2 * half,
				ox: half,
				oy: half,
				extent: style.radius * (diamond ? DIAMOND : 1) + style.weight / 2,
				hit: style.radius + style.weight / 2
			};
		}
	});

	SM.symbolSprites = function (styles, palette, options) {
		return new SM.SymbolSprites(styles, palette, options);
	};
})(L);
