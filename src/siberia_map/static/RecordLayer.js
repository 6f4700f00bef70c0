/*
 * L.SiberiaMap.RecordLayer: the events and presence records of the current month.
 *
 * Speed: a data set of 10,000 records has to step within a frame, so everything is a
 * vector on the one shared canvas, Leaflet layers are created the first time a record is
 * shown and then kept, and a step only adds and removes the difference between the old and
 * the new month. Popups and tooltips are bound the standard Leaflet way, but their content
 * is built only when one opens.
 *
 * Legibility: presence along the railway is drawn beside the track in lanes, one lane per
 * contingent where contingents share track in that month; records sharing one place are
 * spread into a small ring (a compact spiral when there are many); the draw order is fixed
 * (areas, lines, presence, events) so that events are never buried.
 */
(function (L) {
	'use strict';

	var SM = L.SiberiaMap = L.SiberiaMap || {};

	var PAPER = '#fbf8f0';

	var POPUP = {className: 'sm-popup-wrap', maxWidth: 320, minWidth: 220, autoPanPadding: [30, 30]};
	var TOOLTIP = {sticky: true, direction: 'top', offset: [0, -8], className: 'sm-tooltip', opacity: 1};

	// Up to this many symbols at one place go on a ring, more into a spiral.
	var RING_MAX = 8;
	var GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));

	// @event spread: Event
	// Fired after each redraw with `clearance`: for each place with symbols ("lat,lon"), how
	// many pixels they reach from it, so that PlaceLabels can move labels out of the way.
	SM.RecordLayer = L.Layer.extend({

		// @option renderer: Renderer = null
		// The shared canvas renderer (also used by railways and places, which it stays above).
		//
		// @option laneSpacing: Number = 5
		// Pixels between the centre lines of neighbouring lanes; a little more than the line
		// weight so a hair of the railway shows between lanes.
		//
		// @option ringSpacing: Number = 15
		// Pixels between neighbouring symbols when several records share a place: the width
		// of an event diamond, so that they touch but do not cover each other.
		//
		// @option point, pointUncertain: CircleMarker options
		// Presence at a place: a filled dot, or a hollow dashed one when uncertain.
		//
		// @option event, eventUncertain: CircleMarker options
		// Events: a dark-edged diamond, or a hollow dashed one when uncertain.
		//
		// @option line, lineUncertain: Polyline options
		// Presence along a stretch of railway; dashed when uncertain.
		//
		// @option area, areaUncertain: Polygon options
		// Presence over an area, drawn lightly so it does not hide what lies inside.
		options: {
			renderer: null,
			laneSpacing: 5,
			ringSpacing: 15,
			point: {shape: 'circle', radius: 5, weight: 1.5, opacity: 1, fillOpacity: 0.95, dashArray: null},
			pointUncertain: {shape: 'circle', radius: 5, weight: 2, opacity: 1, fillOpacity: 0.95, dashArray: '3 2'},
			event: {shape: 'diamond', radius: 6, weight: 1.4, opacity: 1, fillOpacity: 1, dashArray: null},
			eventUncertain: {shape: 'diamond', radius: 6, weight: 2.2, opacity: 1, fillOpacity: 0.95, dashArray: '3 2'},
			line: {weight: 4, opacity: 0.9, lineCap: 'butt', lineJoin: 'round', dashArray: null},
			lineUncertain: {weight: 4, opacity: 0.85, lineCap: 'butt', lineJoin: 'round', dashArray: '7 5'},
			area: {weight: 1.5, opacity: 0.8, fillOpacity: 0.12, dashArray: null},
			areaUncertain: {weight: 1.5, opacity: 0.8, fillOpacity: 0.06, dashArray: '5 4'}
		},

		// @param controller: L.SiberiaMap.Controller
		initialize: function (controller, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			this._model = controller.model;
			this._entries = {};
			this._shown = {};
			this._conflicts = {};
		},

		onAdd: function (map) {
			this._group = L.featureGroup().addTo(map);
			map.on({popupopen: this._onPopupOpen, popupclose: this._onPopupClose}, this);
			this._ctl.on('change', this._update, this);
			this._ctl.on('openrecord', this._onOpenRecord, this);
			this._update();
		},

		onRemove: function (map) {
			this._ctl.off('change', this._update, this);
			this._ctl.off('openrecord', this._onOpenRecord, this);
			map.off({popupopen: this._onPopupOpen, popupclose: this._onPopupClose}, this);
			map.removeLayer(this._group);
			this._shown = {};
			this._openEntry = null;
		},

		// The record whose popup is open, or null.
		popupRecord: function () {
			return this._openEntry ? this._openEntry.rec : null;
		},

		// Keys are cached on the record: a step over thousands of records should not build
		// thousands of strings.
		_key: function (rec) {
			return rec._smKey || (rec._smKey = (rec.type === 'event' ? 'e' : 'p') + rec.i);
		},

		_placeKey: function (rec) {
			return rec._smPlace || (rec._smPlace = rec.lat + ',' + rec.lon);
		},

		_entry: function (rec) {
			var key = this._key(rec), e = this._entries[key];
			if (e) { return e; }
			var o = this.options, r = o.renderer, latlng = [rec.lat, rec.lon];
			e = this._entries[key] = {rec: rec, key: key, line: null, area: null, marker: null, colour: null};
			if (rec.type === 'presence' && rec.shape === 'ln') {
				e.line = new SM.OffsetPolyline(this._model.lineLatLngs(rec.g),
					L.extend({renderer: r}, rec.unc ? o.lineUncertain : o.line));
			} else {
				if (rec.type === 'presence' && rec.shape === 'pg') {
					e.area = L.polygon(rec.geom.c, L.extend({renderer: r}, rec.unc ? o.areaUncertain : o.area));
				}
				var style = rec.type === 'event' ? (rec.unc ? o.eventUncertain : o.event) :
					(rec.unc ? o.pointUncertain : o.point);
				e.marker = new SM.SymbolMarker(latlng, L.extend({renderer: r}, style));
			}
			e.layers = [e.area, e.line, e.marker].filter(Boolean);
			var model = this._model;
			var popup = function () { return SM.RecordPopup.content(model, rec); };
			var tip = function () { return SM.RecordPopup.tooltip(model, rec); };
			for (var i = 0; i < e.layers.length; i++) {
				e.layers[i]._smEntry = e;
				e.layers[i].bindPopup(popup, POPUP);
				e.layers[i].bindTooltip(tip, TOOLTIP);
			}
			return e;
		},

		_colour: function (e, colour) {
			if (e.colour === colour) { return; }
			e.colour = colour;
			if (e.line) { e.line.setStyle({color: colour}); }
			if (e.area) { e.area.setStyle({color: colour, fillColor: colour}); }
			if (e.marker) {
				// Filled symbols take the colour inside; hollow (uncertain) ones on the edge.
				var dark = e.rec.type === 'event' ? '#1f1b17' : PAPER;
				e.marker.setStyle(e.rec.unc ? {color: colour, fillColor: PAPER} : {color: dark, fillColor: colour});
			}
		},

		_update: function () {
			if (!this._map) { return; }
			var r = this.options.renderer;
			if (r && r.batch) {
				r.batch(this._apply, this);
			} else {
				this._apply();
			}
		},

		_apply: function () {
			var recs = this._ctl.visibleRecords(), next = {}, groups = {}, offsets = this._laneOffsets(recs),
			    added = false, key, i;
			for (i = 0; i < recs.length; i++) {
				var rec = recs[i], e = this._entry(rec);
				next[e.key] = e;
				this._colour(e, this._ctl.recordColour(rec));
				if (e.line) { e.line.setOffset(offsets[rec.c[0]] || 0); }
				if (e.marker) {
					var g = this._placeKey(rec);
					(groups[g] = groups[g] || []).push(e);
				}
			}
			var clearance = {};
			for (key in groups) { clearance[key] = this._spread(groups[key]); }
			for (key in this._shown) {
				if (!next[key]) { this._removeEntry(this._shown[key]); }
			}
			for (key in next) {
				if (!this._shown[key]) {
					for (i = 0; i < next[key].layers.length; i++) { this._group.addLayer(next[key].layers[i]); }
					added = true;
				}
			}
			this._shown = next;
			if (added) { this._restack(recs); }
			// Place labels step aside for the symbols drawn at their place.
			this.fire('spread', {clearance: clearance});
			// A popup left open on a symbol that moved in its ring follows the symbol.
			var open = this._openEntry;
			if (open && next[open.key] && open.marker && open.marker.isPopupOpen()) {
				open.marker.getPopup().setLatLng(open.marker.getDrawnLatLng());
			}
		},

		// Removing a layer closes its popup and tooltip (Leaflet's bindings do that).
		_removeEntry: function (e) {
			for (var i = 0; i < e.layers.length; i++) { this._group.removeLayer(e.layers[i]); }
		},

		// New layers land on top of the canvas; put every shown layer back in the fixed order.
		_restack: function (recs) {
			var tiers = [[], [], [], []], i, j;
			for (i = 0; i < recs.length; i++) {
				var e = this._shown[this._key(recs[i])];
				if (e.area) { tiers[0].push(e.area); }
				if (e.line) { tiers[1].push(e.line); }
				if (e.marker) { tiers[e.rec.type === 'event' ? 3 : 2].push(e.marker); }
			}
			var r = this.options.renderer;
			if (r && r.stackOnTop) {
				r.stackOnTop([].concat(tiers[0], tiers[1], tiers[2], tiers[3]));
				return;
			}
			for (i = 0; i < tiers.length; i++) {
				for (j = 0; j < tiers[i].length; j++) { tiers[i][j].bringToFront(); }
			}
		},

		// Several symbols on one place: events first, then presence in legend order. A few
		// sit on a ring just wide enough for them (two side by side); more are packed in a
		// sunflower spiral, which keeps a busy place (Vladivostok) a compact disc instead of
		// a ring across half the map.
		_spread: function (entries) {
			var n = entries.length, spacing = this.options.ringSpacing, i, a, r;
			if (n === 1) {
				entries[0].marker.setShift(null);
				return this._extent(entries[0]);
			}
			var extent = 0;
			for (i = 0; i < n; i++) { extent = Math.max(extent, this._extent(entries[i])); }
			entries.sort(function (a, b) {
				if (a.rec.type !== b.rec.type) { return a.rec.type === 'event' ? -1 : 1; }
				return a.rec.type === 'event' ? (a.rec.sort < b.rec.sort ? -1 : a.rec.sort > b.rec.sort ? 1 : a.rec.i - b.rec.i) :
					(a.rec.c[0] - b.rec.c[0] || a.rec.i - b.rec.i);
			});
			if (n <= RING_MAX) {
				r = Math.max(spacing / 2 + 1, n * spacing / (2 * Math.PI));
				var start = n === 2 ? Math.PI : -Math.PI / 2;
				for (i = 0; i < n; i++) {
					a = start + 2 * Math.PI * i / n;
					entries[i].marker.setShift(L.point(Math.round(r * Math.cos(a)), Math.round(r * Math.sin(a))));
				}
				return r + extent;
			}
			for (i = 0; i < n; i++) {
				r = spacing * 0.62 * Math.sqrt(i + 0.5);
				a = i * GOLDEN_ANGLE;
				entries[i].marker.setShift(L.point(Math.round(r * Math.cos(a)), Math.round(r * Math.sin(a))));
			}
			return r + extent;
		},

		// How far a symbol reaches from its centre, outline included.
		_extent: function (entry) {
			var o = entry.marker.options;
			return o.radius * (o.shape === 'diamond' ? 1.3 : 1) + o.weight / 2;
		},

		// Which contingents share a piece of track this month (shown or not), cached per month.
		_monthConflicts: function (month) {
			if (this._conflicts[month]) { return this._conflicts[month]; }
			var bucket = this._model.bucket(month), byGeom = {}, owners = {}, conflicts = {}, g, i, j;
			for (i = 0; i < bucket.length; i++) {
				var rec = bucket[i];
				if (rec.type !== 'presence' || rec.shape !== 'ln') { continue; }
				(byGeom[rec.g] = byGeom[rec.g] || {})[rec.c[0]] = true;
			}
			for (g in byGeom) {
				var keys = this._model.segmentKeys(+g), cs = Object.keys(byGeom[g]);
				for (i = 0; i < keys.length; i++) {
					var set = owners[keys[i]] = owners[keys[i]] || {};
					for (j = 0; j < cs.length; j++) { set[cs[j]] = true; }
				}
			}
			for (var k in owners) {
				var list = Object.keys(owners[k]);
				if (list.length < 2) { continue; }
				for (i = 0; i < list.length; i++) {
					for (j = 0; j < list.length; j++) {
						if (i !== j) { (conflicts[list[i]] = conflicts[list[i]] || {})[list[j]] = true; }
					}
				}
			}
			return (this._conflicts[month] = conflicts);
		},

		// Greedy lane colouring of the shown contingents on track, in legend order, then each
		// group of contingents that share track is centred on the railway. A contingent alone
		// on its stretch runs on the railway itself.
		_laneOffsets: function (recs) {
			var shown = {}, i;
			for (i = 0; i < recs.length; i++) {
				if (recs[i].type === 'presence' && recs[i].shape === 'ln') { shown[recs[i].c[0]] = true; }
			}
			var ids = Object.keys(shown).map(Number).sort(function (a, b) { return a - b; });
			if (ids.length < 2) { return {}; }
			var conflicts = this._monthConflicts(this._ctl.monthIndex()), lane = {}, offsets = {}, seen = {};
			var near = function (ci) {
				return Object.keys(conflicts[ci] || {}).map(Number).filter(function (cj) { return shown[cj]; });
			};
			ids.forEach(function (ci) {
				var used = {};
				near(ci).forEach(function (cj) { if (lane[cj] !== undefined) { used[lane[cj]] = true; } });
				var l = 0;
				while (used[l]) { l++; }
				lane[ci] = l;
			});
			var spacing = this.options.laneSpacing;
			ids.forEach(function (ci) {
				if (seen[ci]) { return; }
				var component = [], queue = [ci], width = 0;
				seen[ci] = true;
				while (queue.length) {
					var cur = queue.shift();
					component.push(cur);
					width = Math.max(width, lane[cur] + 1);
					near(cur).forEach(function (cj) {
						if (!seen[cj]) { seen[cj] = true; queue.push(cj); }
					});
				}
				component.forEach(function (cj) { offsets[cj] = (lane[cj] - (width - 1) / 2) * spacing; });
			});
			return offsets;
		},

		_onOpenRecord: function (e) {
			var entry = this._shown[this._key(e.record)], map = this._map;
			if (!entry || !map) { return; }
			var layer = entry.marker || entry.line || entry.area;
			var latlng = entry.marker ? entry.marker.getLatLng() : L.latLng(entry.rec.lat, entry.rec.lon);
			if (!map.getBounds().pad(-0.05).contains(latlng)) {
				map.once('moveend', function () { layer.openPopup(); });
				map.panTo(latlng);
			} else {
				layer.openPopup();
			}
		},

		_onPopupOpen: function (e) {
			var source = e.popup && e.popup._source, entry = source && source._smEntry;
			if (!entry || this._shown[entry.key] !== entry) { return; }
			this._openEntry = entry;
			this._ctl.fire('recordpopup', {record: entry.rec});
		},

		_onPopupClose: function (e) {
			var source = e.popup && e.popup._source;
			if (!this._openEntry || !source || source._smEntry !== this._openEntry) { return; }
			this._openEntry = null;
			this._ctl.fire('recordpopup', {record: null});
		}
	});

	SM.recordLayer = function (controller, options) {
		return new SM.RecordLayer(controller, options);
	};
})(L);
