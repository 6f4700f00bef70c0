/*
 * L.SiberiaMap.BatchCanvas: a canvas renderer that can take many changes as one.
 *
 * Stepping a month adds, removes, restyles and reorders hundreds or thousands of paths.
 * Leaflet's canvas tracks a dirty rectangle per change, which is the right thing for one
 * change and a waste for a thousand: the rectangle grows to the whole map anyway, and
 * tracking it allocates on every call. Inside `batch()` nothing is tracked and the whole
 * canvas is redrawn once, on the next frame.
 *
 * Relies on the internals of L.Canvas in Leaflet 1.9.4 (_redrawBounds, _requestRedraw,
 * the _drawFirst/_drawLast list); the version is pinned.
 */
(function (L) {
	'use strict';

	var SM = L.SiberiaMap = L.SiberiaMap || {};

	SM.BatchCanvas = L.Canvas.extend({

		// Runs `fn` with per-change redraw tracking off, then schedules one full redraw.
		batch: function (fn, context) {
			if (this._batching) { return fn.call(context); }
			this._batching = true;
			try {
				return fn.call(context);
			} finally {
				this._batching = false;
				if (this._map) {
					this._fullRedraw = true;
					this._redrawRequest = this._redrawRequest || L.Util.requestAnimFrame(this._redraw, this);
				}
			}
		},

		// Puts `layers` (already on this renderer) on top, in the given order, relinking the
		// draw list in one pass instead of one bringToFront (and one dirty rectangle) each.
		stackOnTop: function (layers) {
			var i, order;
			for (i = 0; i < layers.length; i++) {
				order = layers[i]._order;
				if (!order) { continue; }
				if (order.prev) { order.prev.next = order.next; } else { this._drawFirst = order.next; }
				if (order.next) { order.next.prev = order.prev; } else { this._drawLast = order.prev; }
				order.prev = order.next = null;
				order._smDetached = true;
			}
			for (i = 0; i < layers.length; i++) {
				order = layers[i]._order;
				if (!order || !order._smDetached) { continue; }
				order._smDetached = false;
				order.prev = this._drawLast;
				if (this._drawLast) { this._drawLast.next = order; } else { this._drawFirst = order; }
				this._drawLast = order;
			}
			this._requestRedraw();
		},

		_extendRedrawBounds: function (layer) {
			if (!this._batching) { L.Canvas.prototype._extendRedrawBounds.call(this, layer); }
		},

		_requestRedraw: function (layer) {
			if (!this._map) { return; }
			if (this._batching || !layer) {
				this._fullRedraw = true;
				this._redrawRequest = this._redrawRequest || L.Util.requestAnimFrame(this._redraw, this);
				return;
			}
			L.Canvas.prototype._requestRedraw.call(this, layer);
		},

		_redraw: function () {
			// No dirty rectangle means "everything" to L.Canvas.
			if (this._fullRedraw) { this._redrawBounds = null; }
			this._fullRedraw = false;
			L.Canvas.prototype._redraw.call(this);
		}
	});

	SM.batchCanvas = function (options) {
		return new SM.BatchCanvas(options);
	};
})(L);
