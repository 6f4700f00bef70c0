/*
 * L.SiberiaMap.RingLayer: rings round places on the map that last until the reader's step.
 *
 * The base of the search's pick ring (PickMark) and the story's rings (StoryHighlight). Both
 * put a few rings above the records in a pane that never takes the pointer (the symbols
 * under a ring can still be clicked), keep them in one group, and hear the controller only
 * while they are up, so that a month step costs nothing otherwise. A subclass draws its
 * rings into `this._group` and says what a step does to them (`_onStep`).
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	SM.RingLayer = L.Layer.extend({

		// @option pane: String = 'smRings'
		// The pane of the rings, created on demand with pointer events off.
		//
		// @option zIndex: Number = 450
		// The pane's place among the map's panes (records 420, labels 450, popups 700).
		options: {
			pane: 'smRings',
			zIndex: 450
		},

		// @param controller: L.SiberiaMap.Controller
		initialize: function (controller, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			this._listening = false;
			this._group = null;
		},

		onAdd: function (map) {
			util.overlayPane(map, this.options.pane, this.options.zIndex);
			this._group = L.layerGroup().addTo(map);
		},

		onRemove: function () {
			this._listen(false);
			this._group.remove();
			this._group = null;
		},

		// While `on`, every change of month or filter goes to `_onStep`.
		_listen: function (on) {
			if (on === this._listening) { return; }
			this._listening = on;
			this._ctl[on ? 'on' : 'off']('change', this._onStep, this);
		}
	});
})(L);
