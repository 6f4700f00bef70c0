/*
 * L.SiberiaMap.FollowCanvas: an L.Canvas with no padding that follows a drag.
 *
 * A canvas painted again on a month step is cleared, copied and composited whole each time,
 * so it should cover the view and nothing beyond: Leaflet's padding of 0.1 makes it 1.44
 * times the window, and a step 5-7% dearer in main-thread CPU. Leaflet's renderers only
 * catch up with the view when a move ends, which with no padding would show a bare edge
 * during a drag; this one follows the move, at most once a frame.
 *
 * Leaflet strokes and fills a path whose opacity is 0 like any other (at an alpha of 0, but
 * traced and rasterised all the same); layers that hide pieces by their style (ControlLayer
 * keeps a path per piece and makes those nobody holds transparent) would pay for every
 * hidden one each time the canvas is redrawn, so this canvas leaves them out.
 *
 * Relies on L.Canvas internals of Leaflet 1.9.4 (_update, _updatePaths, _updatePoly,
 * _updateCircle); the version is pinned.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	SM.FollowCanvas = L.Canvas.extend({

		// @option padding: Number = 0
		// How far beyond the view the canvas reaches, relative to the view's size.
		options: {
			padding: 0
		},

		getEvents: function () {
			const events = L.Canvas.prototype.getEvents.call(this);
			events.move = this._onMove;
			return events;
		},

		onRemove: function () {
			if (this._moveRequest) { L.Util.cancelAnimFrame(this._moveRequest); }
			this._moveRequest = null;
			L.Canvas.prototype.onRemove.call(this);
		},

		_updatePoly: function (layer, closed) {
			if (SM.FollowCanvas.shows(layer.options)) { L.Canvas.prototype._updatePoly.call(this, layer, closed); }
		},

		_updateCircle: function (layer) {
			if (SM.FollowCanvas.shows(layer.options)) { L.Canvas.prototype._updateCircle.call(this, layer); }
		},

		// During a drag or a pan: the view again, at most once a frame (not during a zoom's
		// animation, which L.Canvas follows by its own transform).
		_onMove: function () {
			if (this._moveRequest || !this._map || this._map._animatingZoom) { return; }
			this._moveRequest = L.Util.requestAnimFrame(function () {
				this._moveRequest = null;
				if (!this._map || this._map._animatingZoom) { return; }
				this._update();
				this._updatePaths();
			}, this);
		}
	});

	// @function shows(options: Path options): Boolean
	// Whether a path with these options leaves any mark: a fill or a stroke that is not
	// transparent (Leaflet's own tests for drawing them, plus the opacity).
	SM.FollowCanvas.shows = function (o) {
		return !!(o.fill && o.fillOpacity > 0) || !!(o.stroke && o.weight !== 0 && o.opacity > 0);
	};

	SM.followCanvas = function (options) {
		return new SM.FollowCanvas(options);
	};
})(L);
