/*
 * L.SiberiaMap.ControlLegend: the key to the control layer, its switch, and its popup.
 *
 * It goes inside the legend panel (below the contingents) rather than in a panel of its
 * own, so it can never cover the map or another control. It lists the authorities holding
 * something this month with their colours, says how the areas are made (they are an
 * approximation), and turns the layer on and off. A click on the map where no record
 * answered tells who held that spot this month, since when, and the source.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	SM.ControlLegend = L.Class.extend({

		// @option method: String
		// How the areas are derived; shown under the key.
		//
		// @option layout: L.SiberiaMap.Layout = null
		// So that its popup opens clear of the panels (see Popup).
		//
		// @option legend: L.SiberiaMap.ContingentControl = null
		// The legend it sits in: while that is folded, a step does not touch the key (see
		// ContingentControl.whenShown).
		options: {
			layout: null,
			legend: null,
			method: null
		},

		// @param layer: L.SiberiaMap.ControlLayer
		initialize: function (controller, layer, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			this._layer = layer;
		},

		// @method addTo(parent: HTMLElement, map: L.Map): this
		addTo: function (parent, map) {
			const box = this._box = util.el('section', 'sm-control-legend', parent);
			const self = this;
			box.setAttribute('aria-label', util.t('control.aria'));
			util.el('h2', 'sm-panel-title', box, util.t('control.title'));
			const label = util.el('label', 'sm-control-toggle', box);
			const input = this._input = util.el('input', null, label);
			input.type = 'checkbox';
			input.checked = true;
			input.setAttribute('data-layer', 'control');
			util.el('span', null, label, util.t('control.show'));
			this._list = util.el('ul', 'sm-authority-list', box);
			const key = util.el('ul', 'sm-symbols', box);
			let li = util.el('li', null, key);
			util.el('span', 'sm-sym sm-sym-front', li).setAttribute('aria-hidden', 'true');
			util.el('span', null, li, util.t('control.front'));
			li = util.el('li', null, key);
			util.el('span', 'sm-sym sm-sym-contested', li).setAttribute('aria-hidden', 'true');
			util.el('span', null, li, util.t('control.contested'));
			util.el('p', 'sm-control-method', box, this.options.method || util.t('control.method'));
			this._map = map;
			L.DomEvent.on(input, 'change', function () { self.setShown(input.checked); });
			const render = L.bind(this._render, this);
			this._update = this.options.legend ? this.options.legend.whenShown(render) : render;
			this._ctl.on('change', this._update);
			map.on('click', this._onMapClick, this);
			this._render();
			return this;
		},

		setShown: function (shown) {
			this._input.checked = !!shown;
			if (shown && !this._map.hasLayer(this._layer)) { this._layer.addTo(this._map); }
			if (!shown && this._map.hasLayer(this._layer)) { this._map.removeLayer(this._layer); }
			L.DomUtil[shown ? 'removeClass' : 'addClass'](this._box, 'sm-off');
		},

		isShown: function () {
			return this._map.hasLayer(this._layer);
		},

		// The authorities holding anything this month, in the table's order. Rebuilt only
		// when that list changes: most steps keep it, and a rebuilt list costs the page a
		// style, layout and paint of the panel.
		_render: function () {
			const layer = this._layer;
			const m = this._ctl.monthIndex();
			const seen = new Map();
			for (let p = 0; p < layer._places.length; p++) {
				const h = layer.holderAt(p, m);
				if (h) { seen.set(h.authority.id, true); }
			}
			const shown = layer.authorities().filter(function (a) { return seen.has(a.id); });
			const key = shown.map(function (a) { return a.id; }).join('\n');
			if (key === this._shownKey) { return; }
			this._shownKey = key;
			this._list.textContent = '';
			const list = this._list;
			shown.forEach(function (a) {
				const li = util.el('li', 'sm-authority', list);
				li.setAttribute('data-authority', a.id);
				util.swatch(li, a.colour);
				util.el('span', null, li, a.name);
			});
		},

		// A click that no record or popup answered: who held this spot (after the click's
		// own handlers ran, so a record's popup wins).
		_onMapClick: function (e) {
			if (!this.isShown()) { return; }
			const map = this._map;
			const self = this;
			setTimeout(function () {
				if (map._popup && map.hasLayer(map._popup)) { return; }
				self.openAt(e.latlng);
			}, 0);
		},

		// @method openAt(latlng: LatLng): L.Popup|null
		openAt: function (latlng) {
			const p = this._layer.placeAt(latlng);
			const h = p < 0 ? null : this._layer.holderAt(p);
			if (!h) { return null; }
			const box = util.el('div', 'sm-popup sm-control-popup');
			const model = this._ctl.model;
			const pid = this._layer._places[p];
			const place = model.places.filter(function (x) { return x.id === pid; })[0];
			util.el('h3', 'sm-popup-title', box, h.authority.name);
			const dl = util.el('dl', null, box);
			util.row(dl, util.t('control.nearest'), place ? SM.i18n.placeName(place) : pid);
			util.row(dl, util.t('control.side'), SM.i18n.term('side.', h.authority.side));
			util.row(dl, util.t('control.since'), h.since >= 0 ? util.monthLabel(model.months[h.since]) : '');
			const row = this._layer.row(h.row);
			util.row(dl, util.t('control.record'), row.where + ', ' + (model.dateWords(row.date) || row.when));
			if (h.contested) { util.row(dl, util.t('control.status'), util.t('control.statusContested')); }
			util.row(dl, util.t('popup.note'), row.note);
			if (row.cite.length && model.sources.length) {
				util.row(dl, util.t(row.cite.length === 1 ? 'popup.source' : 'popup.sources'), null, function (dd) {
					SM.RecordPopup.citations(dd, model.sources, row.cite);
				});
			} else {
				util.row(dl, util.t('popup.source'), row.src, function (dd) { util.appendSource(dd, row.src); });
			}
			util.el('p', 'sm-control-method', box, util.t('control.area'));
			return SM.popup({className: 'sm-popup-wrap', maxWidth: 320, layout: this.options.layout})
				.setLatLng(latlng).setContent(box).openOn(this._map);
		}
	});

	SM.controlLegend = function (controller, layer, options) {
		return new SM.ControlLegend(controller, layer, options);
	};
})(L);
