/*
 * L.SiberiaMap.FollowCanvas: an L.Canvas with no padding that follows a drag.
 *
 * A canvas painted again on a month step is cleared, copied and composited whole each time,
 * so it should cover the view and nothing beyond: Leaflet's padding of 0.1 makes it 1.44
 * times the window, and a step 5-7% dearer in main-thread CPU. Leaflet's renderers only
 * catch up with the view when a move ends, which with no padding would show a bare edge
 * during a drag; this one follows the move, at most once a frame.
 *
 * Relies on L.Canvas internals of Leaflet 1.9.4 (_update, _updatePaths); the version is
 * pinned.
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

	SM.followCanvas = function (options) {
		return new SM.FollowCanvas(options);
	};
})(L);
