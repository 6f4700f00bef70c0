/*
 * L.SiberiaMap.PickMark: a ring on the place or event just chosen in the search.
 *
 * Without it a pick only moves the view, and the reader is left to find the town among the
 * others. The ring stays until the reader's next step (a change of month or filter, a click
 * on the map) and never takes the pointer, so the symbols under it can still be clicked.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	SM.PickMark = L.Layer.extend({

		// @option size: Number = 36
		// Diameter of the ring in pixels.
		//
		// @option pane: String = 'smPick'
		// Created on demand above the symbols and labels, below popups.
		options: {
			size: 36,
			pane: 'smPick'
		},

		initialize: function (controller, options) {
			L.setOptions(this, options);
			this._ctl = controller;
		},

		// @method show(map: L.Map, latlng: L.LatLng, label: String): this
		show: function (map, latlng, label) {
			this.remove();
			this._latlng = L.latLng(latlng);
			this._label = label || '';
			return this.addTo(map);
		},

		onAdd: function (map) {
			util.overlayPane(map, this.options.pane, 650);
			const s = this.options.size;
			this._marker = L.marker(this._latlng, {pane: this.options.pane, interactive: false, keyboard: false,
				icon: L.divIcon({className: 'sm-pick', iconSize: [s, s], iconAnchor: [s / 2, s / 2], html: ''})}).addTo(map);
			const el = this._marker.getElement();
			el.setAttribute('role', 'img');
			el.setAttribute('aria-label', SM.util.t('search.found', {name: this._label}));
			this._ctl.on('change', this._onStep, this);
			map.on('click', this._onStep, this);
		},

		onRemove: function (map) {
			this._ctl.off('change', this._onStep, this);
			map.off('click', this._onStep, this);
			map.removeLayer(this._marker);
			this._marker = null;
		},

		// @method getLatLng(): L.LatLng
		getLatLng: function () {
			return this._latlng;
		},

		_onStep: function () {
			this.remove();
		}
	});

	SM.pickMark = function (controller, options) {
		return new SM.PickMark(controller, options);
	};
})(L);
