/*
 * L.SiberiaMap.PlaceLabels: the gazetteer on the map, in 1918 names.
 *
 * Places marked `label` get a permanent label; every point place gets a small dot that
 * explains itself on hover and click (other spellings, modern name, source), because a
 * reader meeting "Novonikolaevsk" needs to find Novosibirsk. Lakes, rivers and regions that
 * come with a shape are drawn faintly: they orient, they are not data.
 *
 * Labels are DOM (crisp text, real fonts) in a pane above the canvas that ignores the
 * pointer, so they never block clicks on the records beneath them. Overlapping labels are
 * thinned on every zoom, the more important kinds winning.
 */
(function (L) {
	'use strict';

	var SM = L.SiberiaMap = L.SiberiaMap || {};
	var util = SM.util;

	var AREA_KINDS = {lake: 1, river: 1, region: 1, country: 1};
	// Pixels from a place's point to the start of its label (matches .sm-label-text in CSS).
	var LABEL_GAP = 6;

	var RANK = {country: 0, city: 1, port: 2, region: 3, town: 4, lake: 5, station: 6,
		river: 7, village: 8, site: 9};

	SM.PlaceLabels = L.Layer.extend({

		// @option renderer: Renderer = null
		// The shared canvas renderer for the dots and shapes.
		//
		// @option labelPane: String = 'smLabels'
		// Pane for the DOM labels, created above the overlay pane with pointer events off.
		//
		// @option dot, minorDot: CircleMarker options
		// Dots for labelled places and for all other point places.
		//
		// @option area, line: Path options
		// Faint styles for polygon places (lakes, regions) and line places (rivers).
		//
		// @option labelGap: Number = 3
		// Pixels of clear space kept around each label when thinning overlaps.
		options: {
			renderer: null,
			labelPane: 'smLabels',
			dot: {radius: 3.2, color: '#fbf8f0', weight: 1.2, fillColor: '#2e2a26', fillOpacity: 1},
			minorDot: {radius: 2.4, color: '#4a453f', weight: 1, fillColor: '#fbf8f0', fillOpacity: 1},
			area: {color: '#7f95a3', weight: 0.8, opacity: 0.7, dashArray: '2 3', fillColor: '#9db4c2',
				fillOpacity: 0.08, interactive: false},
			line: {color: '#7f9fb3', weight: 1.2, opacity: 0.7, interactive: false},
			labelGap: 3
		},

		// @param places: Array
		// `payload.places`; position from `lat`/`lon` or from `geoms[g]` (its `p` for shapes).
		// @param geoms: Array
		// `payload.geoms`.
		initialize: function (places, geoms, options) {
			L.setOptions(this, options);
			this._places = Array.isArray(places) ? places : [];
			this._geoms = Array.isArray(geoms) ? geoms : [];
		},

		onAdd: function (map) {
			var o = this.options;
			if (!map.getPane(o.labelPane)) {
				var pane = map.createPane(o.labelPane);
				pane.style.zIndex = 450;
				pane.style.pointerEvents = 'none';
			}
			var shapes = [], dots = [];
			this._labels = [];
			for (var i = 0; i < this._places.length; i++) {
				var place = this._places[i] || {}, geom = this._geoms[place.g],
				    latlng = this._position(place, geom);
				if (!latlng) { continue; }
				var area = !!AREA_KINDS[place.kind];
				if (geom && geom.t === 'pg') {
					shapes.push(L.polygon(geom.c, L.extend({renderer: o.renderer}, o.area)));
				} else if (geom && geom.t === 'ln') {
					shapes.push(L.polyline(geom.c, L.extend({renderer: o.renderer}, o.line)));
				}
				// Lakes, rivers, regions and countries are named, not pinned: a dot in the
				// middle of "MONGOLIA" would claim a precision the name does not have.
				if (!area) {
					var dot = L.circleMarker(latlng, L.extend({renderer: o.renderer},
						place.label ? o.dot : o.minorDot));
					dot.bindTooltip(this._tooltipContent(place), {direction: 'top', offset: [0, -4],
						className: 'sm-tooltip'});
					dot.bindPopup(this._popupContent(place), {className: 'sm-popup-wrap', maxWidth: 300});
					dots.push(dot);
				}
				if (place.label) { this._labels.push(this._label(place, latlng, area, i)); }
			}
			this._shapes = L.layerGroup(shapes).addTo(map);
			this._dots = L.layerGroup(dots).addTo(map);
			this._labelGroup = L.layerGroup(this._labels.map(function (l) { return l.marker; })).addTo(map);
			this._labels.sort(function (a, b) { return a.rank - b.rank || a.order - b.order; });
			map.on('zoomend', this._declutter, this);
			this._declutter();
		},

		onRemove: function (map) {
			map.off('zoomend', this._declutter, this);
			map.removeLayer(this._shapes);
			map.removeLayer(this._dots);
			map.removeLayer(this._labelGroup);
			this._labels = [];
		},

		_position: function (place, geom) {
			if (isFinite(place.lat) && isFinite(place.lon) && place.lat !== null && place.lon !== null) {
				return L.latLng(+place.lat, +place.lon);
			}
			if (!geom) { return null; }
			var c = geom.t === 'pt' ? geom.c : geom.p;
			return Array.isArray(c) && c.length >= 2 ? L.latLng(+c[0], +c[1]) : null;
		},

		// @method setClearance(clearance: Object): this
		// Moves point labels right of whatever is drawn at their place: `clearance` maps
		// "lat,lon" (as in the geometry) to pixels. Places not listed get the default gap.
		setClearance: function (clearance) {
			var changed = false;
			for (var i = 0; i < this._labels.length; i++) {
				var l = this._labels[i];
				if (l.area) { continue; }
				var gap = Math.max(LABEL_GAP, Math.ceil((clearance[l.key] || 0) + 2));
				if (gap !== l.gap) {
					l.gap = gap;
					l.text.style.left = gap + 'px';
					changed = true;
				}
			}
			if (changed) { this._declutter(); }
			return this;
		},

		_label: function (place, latlng, area, order) {
			var kind = /^[a-z]+$/.test(place.kind) ? place.kind : 'other';
			var text = util.el('span', 'sm-label-text', null, place.name);
			var icon = L.divIcon({
				html: text,
				className: 'sm-label sm-label-' + kind + (area ? ' sm-label-area' : ''),
				iconSize: [0, 0],
				iconAnchor: [0, 0]
			});
			return {
				marker: L.marker(latlng, {icon: icon, pane: this.options.labelPane, interactive: false,
					keyboard: false}),
				latlng: latlng,
				area: area,
				text: text,
				rank: RANK[kind] === undefined ? 10 : RANK[kind],
				key: latlng.lat + ',' + latlng.lng,
				gap: LABEL_GAP,
				order: order,
				size: null
			};
		},

		// Greedy thinning: a label is shown if its box, padded a little, hits no box already
		// shown. Boxes are measured once; text size does not change with zoom.
		_declutter: function () {
			if (!this._map) { return; }
			var shown = [], gap = this.options.labelGap, map = this._map;
			for (var i = 0; i < this._labels.length; i++) {
				var l = this._labels[i], icon = l.marker._icon;
				if (!icon) { continue; }
				if (!l.size || !l.size.x) { l.size = L.point(l.text.offsetWidth, l.text.offsetHeight); }
				var p = map.latLngToLayerPoint(l.latlng), min, max;
				if (l.area) {
					min = p.subtract(l.size.divideBy(2));
					max = min.add(l.size);
				} else {
					// Matches the CSS: text starts right of the dot, vertically centred on it;
					// the box includes the dot so a label never covers another place's dot.
					min = L.point(p.x - 4, p.y - l.size.y / 2);
					max = L.point(p.x + l.gap + l.size.x, p.y + l.size.y / 2);
				}
				var box = L.bounds(min.subtract([gap, gap]), max.add([gap, gap])), clear = true;
				for (var j = 0; j < shown.length && clear; j++) {
					if (shown[j].overlaps(box)) { clear = false; }
				}
				L.DomUtil[clear ? 'removeClass' : 'addClass'](icon, 'sm-label-hidden');
				if (clear) { shown.push(box); }
			}
		},

		_tooltipContent: function (place) {
			return function () {
				return util.el('div', 'sm-tip', null, place.name);
			};
		},

		_popupContent: function (place) {
			return function () {
				var box = util.el('div', 'sm-popup sm-popup-place');
				util.el('div', 'sm-popup-kind', box, place.kind);
				util.el('h3', 'sm-popup-title', box, place.name);
				var dl = util.el('dl', 'sm-popup-facts', box);
				var names = Array.isArray(place.names) ? place.names.map(util.str).filter(Boolean) : [];
				util.row(dl, 'Other names', names.join(', '));
				util.row(dl, 'Modern name', place.modern || place.modern_name);
				if (isFinite(place.precision_km) && place.precision_km !== null && place.precision_km !== '') {
					util.row(dl, 'Precision', 'within about ' + (+place.precision_km) + ' km');
				}
				util.row(dl, 'Note', place.note);
				if (util.str(place.source)) {
					util.row(dl, 'Source', null, function (dd) { util.appendSource(dd, place.source); });
				}
				return box;
			};
		}
	});

	SM.placeLabels = function (places, geoms, options) {
		return new SM.PlaceLabels(places, geoms, options);
	};
})(L);
