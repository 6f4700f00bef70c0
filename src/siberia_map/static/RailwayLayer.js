/*
 * L.SiberiaMap.RailwayLayer: the railways, shown in every month.
 *
 * The intervention was fought along the railway, so it is the skeleton of the map: drawn in
 * the classic railway style (dark casing, light dashes) and always visible. It shares the
 * records' canvas renderer because a canvas only receives pointer events when it is the
 * top one; a second canvas would make either the railways or the records deaf.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	SM.RailwayLayer = L.Layer.extend({

		// @option renderer: Renderer = null
		// The shared canvas renderer; records drawn later on it stay on top.
		//
		// @option casing: Path options
		// The dark body of the line, which also carries the tooltip.
		//
		// @option ties: Path options
		// The light dashes over the casing that make it read as a railway and not a road.
		options: {
			renderer: null,
			casing: {color: '#3a3631', weight: 3.4, opacity: 0.9, lineCap: 'butt', lineJoin: 'round'},
			ties: {color: '#f6f1e4', weight: 1.4, opacity: 1, dashArray: '5 5', lineCap: 'butt',
				interactive: false}
		},

		// @param railways: Array
		// `payload.railways`: `{id, line, name, coords | c}` with [lat, lon] coordinates.
		initialize: function (railways, options) {
			L.setOptions(this, options);
			this._railways = Array.isArray(railways) ? railways : [];
		},

		onAdd: function (map) {
			const casings = [];
			const ties = [];
			const o = this.options;
			for (let i = 0; i < this._railways.length; i++) {
				const r = this._railways[i] || {};
				const coords = r.coords || r.c;
				if (!Array.isArray(coords) || !coords.length) { continue; }
				const casing = L.polyline(coords, L.extend({renderer: o.renderer}, o.casing));
				casing.bindTooltip(this._tooltipContent(r), {sticky: true, className: 'sm-tooltip', direction: 'top'});
				casings.push(casing);
				ties.push(L.polyline(coords, L.extend({renderer: o.renderer}, o.ties)));
			}
			// All casings before all ties, so junctions do not cut the dashes of the other line.
			this._group = L.layerGroup(casings.concat(ties)).addTo(map);
		},

		onRemove: function (map) {
			map.removeLayer(this._group);
			this._group = null;
		},

		_tooltipContent: function (r) {
			return function () {
				const box = util.el('div', 'sm-tip');
				util.el('strong', null, box, r.line || util.t('railway.untitled'));
				if (r.name) {
					box.appendChild(document.createTextNode(' '));
					util.el('span', null, box, r.name);
				}
				return box;
			};
		}
	});

	SM.railwayLayer = function (railways, options) {
		return new SM.RailwayLayer(railways, options);
	};
})(L);
