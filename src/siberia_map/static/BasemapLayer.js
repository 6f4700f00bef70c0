/*
 * L.SiberiaMap.BasemapLayer: the offline basemap (land, lakes, rivers, modern borders).
 *
 * The file must work with no network, so there are no tiles: the basemap is vector data
 * from the payload, drawn on its own canvas in a pane under everything else. It is not
 * interactive, so it never steals clicks or hover from the records drawn above it.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	SM.BasemapLayer = L.Layer.extend({

		// @option pane: String = 'smBasemap'
		// Created on demand just above the (empty) tile pane, below every overlay.
		//
		// @option padding: Number = 0.1
		// Of the basemap's canvas. In software compositing (no GPU) Chromium copies every
		// canvas of the page on every frame that changes anything, so a canvas much bigger
		// than the view slows every month step, not only pans.
		//
		// @option wrapBelow: Number = -30
		// Longitudes west of this are drawn 360 degrees further east. Natural Earth cuts
		// Eurasia at the 180th meridian, so Chukotka comes as lon -180..-169; unshifted, its
		// edges would streak across the whole map. Shifted, the map is one continuous
		// Pacific-centred world (Alaska east of Chukotka), as a map of Siberia should be.
		//
		// @option sea: Path options
		// The sea, drawn under the land over the basemap's box and far beyond it: the
		// page's own background never shows through, whatever a canvas has not yet drawn.
		// (ViewLimits keeps the box's edges, where the land is cut, out of the window.)
		//
		// @option land, lakes, rivers, borders, coastline: Path options
		// One style per basemap layer; the colours are muted so the records carry the colour.
		// Borders are modern and only for orientation, hence dashed and light.
		options: {
			pane: 'smBasemap',
			padding: 0.1,
			wrapBelow: -30,
			land: {stroke: true, color: '#b9ae95', weight: 0.6, fillColor: '#efe8d6', fillOpacity: 1},
			lakes: {stroke: true, color: '#8fa9b8', weight: 0.5, fillColor: '#c3d3dc', fillOpacity: 1},
			rivers: {stroke: true, color: '#8fadc0', weight: 0.9, fill: false},
			borders: {stroke: true, color: '#8d8678', weight: 0.8, dashArray: '5 4', fill: false},
			coastline: {stroke: true, color: '#a49a82', weight: 0.7, fill: false},
			sea: {stroke: false, fillColor: '#c5d3d8', fillOpacity: 1}
		},

		// @param basemap: Object
		// `payload.basemap`: GeoJSON per layer name, plus an optional `_meta`.
		initialize: function (basemap, options) {
			L.setOptions(this, options);
			this._basemap = basemap || {};
			this._layers = [];
		},

		onAdd: function (map) {
			if (!map.getPane(this.options.pane)) {
				map.createPane(this.options.pane).style.zIndex = 150;
			}
			this._renderer = SM.bitmapCanvas({pane: this.options.pane, padding: this.options.padding});
			const wrap = this.options.wrapBelow;
			const toLatLng = function (c) {
				return L.latLng(c[1], c[0] < wrap ? c[0] + 360 : c[0]);
			};
			const sea = this._sea();
			if (sea) {
				sea.addTo(map);
				this._layers.push(sea);
			}
			const order = ['land', 'lakes', 'rivers', 'coastline', 'borders'];
			for (let i = 0; i < order.length; i++) {
				const data = this._basemap[order[i]];
				if (!data || typeof data !== 'object') { continue; }
				const layer = L.geoJSON(data, {
					style: L.extend({interactive: false}, this.options[order[i]]),
					pane: this.options.pane,
					renderer: this._renderer,
					interactive: false,
					coordsToLatLng: toLatLng,
					// Point features (e.g. label anchors) have no place in the basemap.
					filter: function (f) {
						return !!(f && f.geometry && !/Point$/.test(f.geometry.type));
					}
				});
				layer.addTo(map);
				this._layers.push(layer);
			}
		},

		_sea: function () {
			const meta = this._basemap._meta || {};
			const box = (meta.processing || {}).clip_box;
			if (!box || !isFinite(box.west) || !isFinite(box.east)) { return null; }
			const outer = [[-85, box.west - 360], [85, box.west - 360], [85, box.east + 360],
				[-85, box.east + 360]];
			return L.polygon(outer, L.extend({
				pane: this.options.pane, renderer: this._renderer, interactive: false
			}, this.options.sea));
		},

		onRemove: function (map) {
			for (let i = 0; i < this._layers.length; i++) { map.removeLayer(this._layers[i]); }
			this._layers = [];
		},

		hasBorders: function () {
			return !!this._basemap.borders;
		},

		// Attribution of the basemap source (e.g. Natural Earth), as plain text for the legend.
		getSourceText: function () {
			const meta = this._basemap._meta || {};
			return SM.util.str(meta.source || meta.attribution || '');
		}
	});

	SM.basemapLayer = function (basemap, options) {
		return new SM.BasemapLayer(basemap, options);
	};
})(L);
