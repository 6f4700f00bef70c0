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

	SM.PickMark = SM.RingLayer.extend({

		// @option size: Number = 36
		// Diameter of the ring in pixels.
		//
		// @option pane: String = 'smPick'
		// Created on demand above the symbols and labels, below popups (see RingLayer).
		options: {
			size: 36,
			pane: 'smPick',
			zIndex: 650
		},

		// @method show(map: L.Map, latlng: L.LatLng, label: String): this
		show: function (map, latlng, label) {
			this.remove();
			this._latlng = L.latLng(latlng);
			this._label = label || '';
			return this.addTo(map);
		},

		onAdd: function (map) {
			SM.RingLayer.prototype.onAdd.call(this, map);
			const s = this.options.size;
			const marker = L.marker(this._latlng, {pane: this.options.pane, interactive: false, keyboard: false,
				icon: L.divIcon({className: 'sm-pick', iconSize: [s, s], iconAnchor: [s / 2, s / 2], html: ''})});
			marker.addTo(this._group);
			const el = marker.getElement();
			el.setAttribute('role', 'img');
			el.setAttribute('aria-label', SM.util.t('search.found', {name: this._label}));
			this._listen(true);
			map.on('click', this._onStep, this);
		},

		onRemove: function (map) {
			map.off('click', this._onStep, this);
			SM.RingLayer.prototype.onRemove.call(this, map);
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
