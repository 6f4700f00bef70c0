/*
 * L.SiberiaMap.MonthHistogram: how many events (and, fainter, presence records) each month
 * has, as bars under the month slider, so a reader sees where the chronology is dense.
 *
 * The counts come from the model once, at start (from the payload's index, so that no
 * month's bucket is built for them); the bars are drawn on one
 * canvas when it is added and when its width changes, never on a month step. Each bar sits
 * under the slider position of its month. A window of several months is shaded behind its
 * bars by a band of its own (an element placed in percent of the track, so a step or a
 * resize redraws nothing).
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	SM.MonthHistogram = L.Class.extend({

		// @option height: Number = 22
		// CSS pixels of the tallest bar.
		//
		// @option inset: Number = 8
		// CSS pixels from each end of the canvas to the first and last month's bar centre:
		// half the width of the slider's thumb, whose centre marks the month.
		//
		// @option events, presence: String
		// Bar colours.
		options: {
			height: 22,
			inset: 8,
			events: '#6b5634',
			presence: 'rgba(107, 86, 52, 0.22)'
		},

		// @param model: L.SiberiaMap.Model
		initialize: function (model, options) {
			L.setOptions(this, options);
			const n = model.months.length;
			this._events = new Int32Array(n);
			this._presence = new Int32Array(n);
			for (let m = 0; m < n; m++) {
				this._events[m] = model.bucketEvents(m);
				this._presence[m] = model.bucketLength(m) - this._events[m];
			}
			this._width = 0;
		},

		// @method addTo(parent: HTMLElement): this
		addTo: function (parent) {
			const c = this._canvas = SM.util.el('canvas', 'sm-month-histogram', parent);
			c.setAttribute('aria-hidden', 'true');
			c.style.height = this.options.height + 'px';
			this._band = SM.util.el('div', 'sm-month-window-band', null);
			this._band.setAttribute('aria-hidden', 'true');
			this._band.hidden = true;
			parent.insertBefore(this._band, c);
			if (window.ResizeObserver) {
				this._observer = new ResizeObserver(L.bind(this._draw, this));
				this._observer.observe(c);
			}
			this._draw();
			return this;
		},

		remove: function () {
			if (this._observer) { this._observer.disconnect(); }
			if (this._band && this._band.parentNode) { this._band.parentNode.removeChild(this._band); }
			if (this._canvas && this._canvas.parentNode) { this._canvas.parentNode.removeChild(this._canvas); }
			return this;
		},

		// @method setWindow(from: Number, to: Number): this
		// Shades the months from..to (from its first bar's left half-step to its last's
		// right); nothing when they are one month.
		setWindow: function (from, to) {
			const band = this._band;
			const n = this._events.length;
			this._window = [from, to];
			SM.util.setHidden(band, !(from < to) || n < 2);
			if (band.hidden) { return this; }
			const inset = this.options.inset;
			// Month m's bar centre is at inset + m / (n - 1) of the rest of the width.
			const at = function (m) { return 'calc(' + inset + 'px + (100% - ' + 2 * inset + 'px) * ' + (m / (n - 1)) + ')'; };
			const lo = Math.max(0, from - 0.5);
			const hi = Math.min(n - 1, to + 0.5);
			band.style.left = at(lo);
			band.style.width = 'calc((100% - ' + 2 * inset + 'px) * ' + ((hi - lo) / (n - 1)) + ')';
			band.style.height = this.options.height + 'px';
			return this;
		},

		// @method window(): Array
		// `[from, to]` as last set by setWindow (for tests).
		window: function () {
			return this._window ? this._window.slice() : null;
		},

		// @method counts(): Object
		// `{events: [..], presence: [..]}` per month index (for tests and captions).
		counts: function () {
			return {events: Array.prototype.slice.call(this._events), presence: Array.prototype.slice.call(this._presence)};
		},

		_draw: function () {
			const c = this._canvas;
			const w = c.clientWidth;
			const o = this.options;
			if (!w || w === this._width) { return; }
			this._width = w;
			const ratio = window.devicePixelRatio || 1;
			const h = o.height;
			const n = this._events.length;
			c.width = Math.round(w * ratio);
			c.height = Math.round(h * ratio);
			const ctx = c.getContext('2d');
			ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
			ctx.clearRect(0, 0, w, h);
			let maxE = 1;
			let maxP = 1;
			let m;
			for (m = 0; m < n; m++) {
				maxE = Math.max(maxE, this._events[m]);
				maxP = Math.max(maxP, this._presence[m]);
			}
			const step = n > 1 ? (w - 2 * o.inset) / (n - 1) : 0;
			const bar = Math.max(1, Math.min(8, step * 0.7));
			// Presence behind, scaled to its own maximum (it counts a different thing).
			for (let pass = 0; pass < 2; pass++) {
				const counts = pass ? this._events : this._presence;
				const max = pass ? maxE : maxP;
				ctx.fillStyle = pass ? o.events : o.presence;
				for (m = 0; m < n; m++) {
					if (!counts[m]) { continue; }
					const bh = Math.max(1.5, h * counts[m] / max);
					const x = (n > 1 ? o.inset + m * step : w / 2) - bar / 2;
					ctx.fillRect(x, h - bh, bar, bh);
				}
			}
		}
	});

	SM.monthHistogram = function (model, options) {
		return new SM.MonthHistogram(model, options);
	};
})(L);
