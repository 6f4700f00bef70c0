/*
 * L.SiberiaMap.RecordHitArea: the records' stand-in on the shared canvas.
 *
 * Only the top canvas of a map hears the pointer, and L.Canvas decides which of its paths
 * is under it by asking each one in draw order, the last to say yes winning. The records
 * are drawn on a canvas of their own (RecordCanvas) that lets the pointer through; this
 * invisible path, kept last on the shared canvas, answers for all of them. So a record
 * wins over the railway or the place dot beneath it, the cursor and Leaflet's events
 * (mouseover, mousemove, mouseout, click, with latlng and layerPoint) behave as for any
 * path, and nothing about Leaflet's pointer handling is reimplemented.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	SM.RecordHitArea = L.Path.extend({

		// Draws nothing; listens to the pointer.
		options: {
			stroke: false,
			fill: false,
			interactive: true,
			bubblingMouseEvents: true
		},

		// @param test: Function
		// test(layerPoint) -> truthy when a record is drawn there (RecordCanvas.hitTest).
		initialize: function (test, options) {
			L.setOptions(this, options);
			this._test = test;
		},

		onAdd: function () {
			L.Path.prototype.onAdd.call(this);
			this.bringToFront();
		},

		_project: function () {},

		_update: function () {},

		_updatePath: function () {},

		_containsPoint: function (p) {
			return !!this._test(p);
		}
	});

	SM.recordHitArea = function (test, options) {
		return new SM.RecordHitArea(test, options);
	};
})(L);
