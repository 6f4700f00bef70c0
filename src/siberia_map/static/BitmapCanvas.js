/*
 * L.SiberiaMap.BitmapCanvas: an L.Canvas renderer that draws off the page (CanvasSurface).
 *
 * For the canvases that change only when the view moves (the basemap's, and the shared one
 * with the railway and the places), so that they are not copied again on every frame a
 * month step changes the page (see CanvasSurface for why that matters). Since a presented
 * drawing leaves a blank bitmap behind, a redraw is always whole: Leaflet's partial redraw
 * (clearing and repainting only around the paths that changed) would keep nothing of the
 * rest. These canvases redraw whole anyway on a pan or a zoom; what changes piecemeal (a
 * hovered path's style) is small beside that.
 *
 * Relies on L.Canvas internals of Leaflet 1.9.4 (_initContainer, _update, _reset,
 * _updateTransform, _postponeUpdatePaths, _redraw, _clear, _redrawBounds); the version is
 * pinned.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	SM.BitmapCanvas = L.Canvas.extend({

		// A pan's or a zoom's end, and a jump (setView or setZoom without animation), draw the
		// view again once the browser is idle, not in the frame that ends the move: the
		// drawing off the page costs more than a 2D canvas's, and until it comes the last
		// drawing stands where it was, scaled by L.Renderer's transform after a zoom, as
		// during the zoom's animation. Jumps in a row are drawn once.
		getEvents: function () {
			const events = L.Canvas.prototype.getEvents.call(this);
			events.moveend = this._updateWhenIdle;
			return events;
		},

		// L.Canvas's reset (viewreset, after a jump), with the drawing left for later: the
		// last one is moved and scaled onto the new view meanwhile.
		_reset: function () {
			this._postponeUpdatePaths = false;
			this._updateTransform(this._map.getCenter(), this._map.getZoom());
			for (const id in this._layers) { this._layers[id]._reset(); }
			this._updateWhenIdle();
		},

		onRemove: function () {
			this._cancelIdleUpdate();
			L.Canvas.prototype.onRemove.call(this);
		},

		_updateWhenIdle: function () {
			if (typeof window.requestIdleCallback !== 'function') {
				this._update();
				return;
			}
			if (this._idleUpdate) { return; }
			this._idleUpdate = window.requestIdleCallback(L.bind(function () {
				this._idleUpdate = null;
				if (this._map) { this._update(); }
			}, this), {timeout: 100});
		},

		_cancelIdleUpdate: function () {
			if (this._idleUpdate) { window.cancelIdleCallback(this._idleUpdate); }
			this._idleUpdate = null;
		},

		onAdd: function () {
			// L.Canvas draws its paths once here, outside _redraw.
			L.Canvas.prototype.onAdd.call(this);
			this._surface.present();
		},

		// L.Canvas's own, on a surface instead of the canvas's 2D context.
		_initContainer: function () {
			const container = this._container = document.createElement('canvas');
			L.DomEvent.on(container, 'mousemove', this._onMouseMove, this);
			L.DomEvent.on(container, 'click dblclick mousedown mouseup contextmenu', this._onClick, this);
			L.DomEvent.on(container, 'mouseout', this._handleMouseOut, this);
			container._leaflet_disable_events = true;
			this._surface = SM.canvasSurface(container);
			this._ctx = this._surface.ctx;
		},

		_destroyContainer: function () {
			L.Canvas.prototype._destroyContainer.call(this);
			delete this._surface;
		},

		// L.Canvas's own, with the surface sized instead of the canvas alone.
		_update: function () {
			if (this._map._animatingZoom && this._bounds) { return; }
			this._cancelIdleUpdate();
			L.Renderer.prototype._update.call(this);
			const b = this._bounds;
			const size = b.getSize();
			const m = L.Browser.retina ? 2 : 1;
			L.DomUtil.setPosition(this._container, b.min);
			this._surface.resize(m * size.x, m * size.y);
			this._container.style.width = size.x + 'px';
			this._container.style.height = size.y + 'px';
			if (L.Browser.retina) { this._ctx.scale(2, 2); }
			this._ctx.translate(-b.min.x, -b.min.y);
			this.fire('update');
		},

		_redraw: function () {
			this._redrawBounds = null;
			L.Canvas.prototype._redraw.call(this);
			this._surface.present();
		},

		// Nothing to clear off the page: each drawing starts on a blank bitmap.
		_clear: function () {
			if (!this._surface.offscreen()) { L.Canvas.prototype._clear.call(this); }
		}
	});

	SM.bitmapCanvas = function (options) {
		return new SM.BitmapCanvas(options);
	};
})(L);
