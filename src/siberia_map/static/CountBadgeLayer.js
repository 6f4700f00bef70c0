/*
 * L.SiberiaMap.CountBadgeLayer: in a busy month, one count badge per place instead of a
 * symbol per record.
 *
 * At a million records a month shows about 100,000 of them at a few hundred places: a
 * symbol each is unreadable and costs a pass over every record on each step. When the
 * controller says the window is such a month (`Controller.summarized`: one month, more
 * records than its `badgeThreshold`), the record layer draws none of them and this layer
 * draws a badge per place from the counts Python made (the payload's `counts`, per month,
 * place and contingent list: output/columns.py, place_counts), so a step costs the places, not the
 * records. A badge counts the records the legend leaves shown and takes the colour of the
 * contingent with most of them. Clicking it lists the place's records of the month (the
 * first `listSize`, found then and not before), each opening its own popup. Below the
 * threshold the layer draws nothing and the map is as it always was.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	SM.CountBadgeLayer = L.Layer.extend({

		// @option records: L.SiberiaMap.RecordLayer = null
		// The record layer, whose chooser lists a badge's records and opens their popups.
		//
		// @option pane: String = 'markerPane'
		// Pane of the badges: above the records' canvas and the place labels' dots.
		//
		// @option listSize: Number = 50
		// Most records a badge's list shows: a badge can stand for thousands of them, and a
		// list that long would cost more than the step it replaces.
		options: {
			records: null,
			pane: 'markerPane',
			listSize: 50
		},

		initialize: function (controller, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			this._model = controller.model;
			// Per geometry index, its badge (kept from step to step, only its text and colour
			// changed) and its position.
			this._badges = new Map();
			this._total = new Float64Array(this._model.geoms.length);
		},

		onAdd: function () {
			this._ctl.on('change', this._update, this);
			this._update();
		},

		onRemove: function () {
			this._ctl.off('change', this._update, this);
			this._clear();
		},

		// @method counts(): Array
		// The badges drawn, `[{g, count}]` by geometry index (for tests and embedding pages).
		counts: function () {
			const out = [];
			this._badges.forEach(function (badge, g) { out.push({g: g, count: badge.count}); });
			return out.sort(function (a, b) { return a.g - b.g; });
		},

		// @method openList(g: Number): L.Popup
		// Lists the records of the month at geometry `g`, as a click on its badge does; null
		// when it has no badge.
		openList: function (g) {
			const badge = this._badges.get(g);
			const layer = this.options.records;
			if (!badge || !layer || !this._map) { return null; }
			const recs = this._ctl.visibleRecords();
			const shown = [];
			let total = 0;
			for (let i = 0; i < recs.length; i++) {
				if (recs[i].g !== g) { continue; }
				total++;
				if (shown.length < this.options.listSize) { shown.push(recs[i]); }
			}
			const popup = layer.openChooser(shown, badge.marker.getLatLng());
			if (total > shown.length) {
				util.el('p', 'sm-badge-more', popup.getContent(), util.t('badge.more', {shown: shown.length, total: total}));
				popup.update();
			}
			return popup;
		},

		_update: function () {
			if (!this._map) { return; }
			if (!this._ctl.summarized()) {
				this._clear();
				return;
			}
			const counts = this._model.counts;
			const ctl = this._ctl;
			const m = ctl.monthIndex();
			// Per contingent list: the colour its records take now, or -2 when the legend
			// hides them all (an event of no contingent is always shown, in neutral grey).
			const colour = counts.lists.map(function (list) {
				if (!ctl.isRecordVisible({c: list, type: 'event'})) { return -2; }
				return ctl.recordColourIndex({c: list});
			});
			const total = this._total;
			const best = new Map();
			const places = [];
			for (let e = counts.start[m]; e < counts.start[m + 1]; e++) {
				const ci = colour[counts.k[e]];
				if (ci === -2) { continue; }
				const g = counts.g[e];
				const n = counts.n[e];
				if (!total[g]) { places.push(g); }
				total[g] += n;
				// The colour of the contingent with most records here.
				const top = best.get(g);
				if (!top || n > top.n) { best.set(g, {n: n, ci: ci}); }
			}
			const seen = new Set();
			for (let i = 0; i < places.length; i++) {
				const g = places[i];
				const ci = best.get(g).ci;
				this._show(g, total[g], ci < 0 ? util.NEUTRAL : this._model.contingents[ci].colour);
				total[g] = 0;
				seen.add(g);
			}
			this._badges.forEach(function (badge, g) {
				if (!seen.has(g)) { this._remove(g); }
			}, this);
		},

		_show: function (g, count, colour) {
			let badge = this._badges.get(g);
			if (!badge) {
				const anchor = SM.Model.anchorOf(this._model.geoms[g]);
				if (!anchor) { return; }
				const node = util.el('span', 'sm-badge-count');
				const marker = L.marker(anchor, {pane: this.options.pane, keyboard: true, riseOnHover: true,
					icon: L.divIcon({className: 'sm-badge', html: node, iconSize: null})});
				badge = {marker: marker, node: node, count: -1, colour: ''};
				marker.on('click', function (e) {
					L.DomEvent.stop(e);
					this.openList(g);
				}, this);
				this._badges.set(g, badge);
				marker.addTo(this._map);
				marker.getElement().setAttribute('data-g', g);
			}
			if (badge.count !== count) {
				badge.count = count;
				badge.node.textContent = SM.i18n.number(count);
				const label = util.t('chooser.records', {count: count});
				badge.marker.getElement().setAttribute('aria-label', label);
				badge.marker.getElement().title = label;
			}
			if (badge.colour !== colour) {
				badge.colour = colour;
				badge.node.style.backgroundColor = colour;
			}
		},

		_remove: function (g) {
			const badge = this._badges.get(g);
			if (this._map) { this._map.removeLayer(badge.marker); }
			this._badges.delete(g);
		},

		_clear: function () {
			Array.from(this._badges.keys()).forEach(this._remove, this);
		}
	});

	SM.countBadgeLayer = function (controller, options) {
		return new SM.CountBadgeLayer(controller, options);
	};
})(L);
