/*
 * L.SiberiaMap.RecordLayer: the events and presence records of the current month.
 *
 * Speed: a data set of 10,000 records has to step within a frame, and one of 100,000
 * within a few. So records are not Leaflet layers: on every change this works out, in one
 * pass over the month's records and into reused typed arrays, what is drawn where (a
 * scene), and RecordCanvas draws it. Popups and tooltips are one Leaflet popup and one
 * tooltip, filled when they open; the pointer reaches the records through RecordHitArea.
 *
 * Legibility: presence along the railway is drawn beside the track in lanes, one lane per
 * contingent where contingents share track in that month; records sharing one place are
 * spread into a small ring (a compact spiral when there are many); the draw order is fixed
 * (areas, lines, presence, events) so that events are never buried.
 */
(function (L) {
	'use strict';

	var SM = L.SiberiaMap = L.SiberiaMap || {};

	var POPUP = {className: 'sm-popup-wrap', maxWidth: 320, minWidth: 220, autoPanPadding: [30, 30]};
	var TOOLTIP = {sticky: true, direction: 'top', offset: [0, -8], className: 'sm-tooltip', opacity: 1};

	// Symbol kinds, in the order of SymbolSprites' styles.
	var POINT = 0, POINT_UNC = 1, EVENT = 2, EVENT_UNC = 3;

	// Up to this many symbols at one place go on a ring, more into a spiral.
	var RING_MAX = 8;
	var GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));

	// @event spread: Event
	// Fired after each change with `clearance`: for each place with symbols ("lat,lon"), how
	// many pixels they reach from it, so that PlaceLabels can move labels out of the way.
	SM.RecordLayer = L.Layer.extend({

		// @option renderer: Renderer = null
		// The shared canvas renderer (railways and places), which hears the pointer for the
		// records too (see RecordHitArea).
		//
		// @option layout: L.SiberiaMap.Layout = null
		// Where the panels are, so that popups open clear of them (see Popup).
		//
		// @option pane: String = 'smRecords'
		// Pane of the records' own canvas, created above the overlay pane (so above the
		// railways) and below the place labels, with pointer events off.
		//
		// @option padding: Number = 0.1
		// Padding of the records' canvas (see RecordCanvas).
		//
		// @option laneSpacing: Number = 5
		// Pixels between the centre lines of neighbouring lanes; a little more than the line
		// weight so a hair of the railway shows between lanes.
		//
		// @option spreadMax: Number = 10
		// Most pixels a symbol's centre may lie from its place when several share it: the
		// stack stays on its town at every zoom, never on the next town or out at sea.
		// Past what a ring of `ringSpacing` holds in it, the symbols overlap (a click
		// inside the disc lists them all in the chooser).
		//
		// @option ringSpacing: Number = 15
		// Pixels between neighbouring symbols when several records share a place: the width
		// of an event diamond, so that they touch but do not cover each other.
		//
		// @option point, pointUncertain: Object
		// Presence at a place: a filled dot, or a hollow dashed one when uncertain.
		//
		// @option event, eventUncertain: Object
		// Events: a dark-edged diamond, or a hollow dashed one when uncertain.
		//
		// @option line, lineUncertain: Object
		// Presence along a stretch of railway; dashed when uncertain.
		//
		// @option area, areaUncertain: Object
		// Presence over an area, drawn lightly so it does not hide what lies inside.
		options: {
			renderer: null,
			layout: null,
			pane: 'smRecords',
			padding: 0.1,
			laneSpacing: 5,
			spreadMax: 10,
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
			this._lanes = new SM.TrackLanes(this._model, {spacing: this.options.laneSpacing});
			this._union = new SM.TrackUnion(this._model);
			this._trackMemos = [];
			this._trackMemo = null;
			this._idle = null;
			var palette = this._model.contingents.map(function (c) { return c.colour; });
			palette.push(SM.util.NEUTRAL);
			this._palette = palette;
			this._neutral = palette.length - 1;
			// Per anchor: symbols there this month, and how far the largest reaches.
			this._count = new Int32Array(this._model.anchorKeys.length);
			this._reach = new Float64Array(this._model.anchorKeys.length);
			// The scene: symbols in the bucket's order (events first, `split` of them), then
			// the lines and areas. Arrays are reused from step to step.
			this._scene = {n: 0, split: 0, rec: [], sprite: [], anchor: new Int32Array(0), slot: new Int32Array(0),
				dx: new Float64Array(0), dy: new Float64Array(0), tracks: [], areas: []};
			// Not _popup/_tooltip: those belong to Leaflet's bindPopup/bindTooltip on every layer.
			this._recPopup = null;
			this._popupRec = null;
			this._recTip = null;
			this._tipRec = null;
		},

		onAdd: function (map) {
			var o = this.options;
			if (!map.getPane(o.pane)) {
				var pane = map.createPane(o.pane);
				pane.style.zIndex = 420;
				pane.style.pointerEvents = 'none';
			}
			this._sprites = SM.symbolSprites([o.point, o.pointUncertain, o.event, o.eventUncertain], this._palette,
				{ratio: L.Browser.retina ? 2 : 1});
			this._canvas = SM.recordCanvas(this._model, {pane: o.pane, padding: o.padding, line: o.line,
				lineUncertain: o.lineUncertain, area: o.area, areaUncertain: o.areaUncertain,
				tolerance: o.renderer && o.renderer.options.tolerance !== undefined ? o.renderer.options.tolerance : 3});
			map.addLayer(this._canvas);
			var canvas = this._canvas;
			this._hitArea = SM.recordHitArea(function (p) { return canvas.hitTest(p); }, {renderer: o.renderer});
			this._hitArea.on({mouseover: this._onHover, mousemove: this._onHover, mouseout: this._closeTooltip,
				click: this._onClick}, this);
			map.addLayer(this._hitArea);
			this._ctl.on('change', this._update, this);
			this._ctl.on('openrecord', this._onOpenRecord, this);
			this._update();
		},

		onRemove: function (map) {
			this._ctl.off('change', this._update, this);
			this._ctl.off('openrecord', this._onOpenRecord, this);
			if (this._idle) {
				if (window.cancelIdleCallback) { window.cancelIdleCallback(this._idle); } else { clearTimeout(this._idle); }
				this._idle = null;
			}
			this._closeTooltip();
			if (this._recPopup) { map.closePopup(this._recPopup); }
			map.removeLayer(this._hitArea);
			map.removeLayer(this._canvas);
		},

		// @method popupRecord(): Object
		// The record whose popup is open, or null.
		popupRecord: function () {
			return this._popupRec;
		},

		// @method openRecordPopup(id: String, type?: String): L.Popup
		// Opens the popup of a record shown this month (`type` "event" or "presence" when
		// ids repeat across the two), where it is drawn, without panning; null when it is
		// not shown. For tests and embedding pages: every record's popup can be opened.
		openRecordPopup: function (id, type) {
			var rec = this._find(id, type);
			return rec && this._map ? this._openPopup(rec) : null;
		},

		// @method openRecordTooltip(id: String, type?: String): L.Tooltip
		// Shows a record's hover tooltip at its symbol (or its representative point); null
		// when it is not shown this month.
		openRecordTooltip: function (id, type) {
			var rec = this._find(id, type);
			if (!rec || !this._map) { return null; }
			this._showTooltip(rec, this._latLngOf(rec));
			return this._recTip;
		},

		_find: function (id, type) {
			var recs = this._ctl.visibleRecords();
			for (var i = 0; i < recs.length; i++) {
				if (recs[i].id === String(id) && (!type || recs[i].type === type)) { return recs[i]; }
			}
			return null;
		},

		// Everything a step changes, in one pass over the month's records (which come events
		// first, in date order, then presence by contingent: see Model).
		_update: function () {
			if (!this._map) { return; }
			var ctl = this._ctl, recs = ctl.visibleRecords(), s = this._scene, tracks = this._trackCache(), lineRecs = [],
			    count = this._count, reach = this._reach, touched = [], seenArea = new Map(), anyHidden = ctl.hiddenIndices().length,
			    nColours = this._palette.length, i, k, a;
			this._reserve(recs.length);
			s.n = s.split = 0;
			s.areas = [];
			for (i = 0; i < recs.length; i++) {
				var rec = recs[i], ci = anyHidden ? ctl.recordColourIndex(rec) : (rec.c.length ? rec.c[0] : -1),
				    colour = ci < 0 ? this._neutral : ci;
				if (rec.type === 'presence' && rec.shape === 'ln') {
					lineRecs.push(rec);
					continue;
				}
				if (rec.shape === 'none') { continue; }  // listed in the events panel, not drawn
				if (rec.type === 'presence' && rec.shape === 'pg') {
					// One drawing per area, contingent and style: the rest would be drawn
					// exactly on top of it. The later record is the one on top, as before.
					var key = (rec.g * nColours + colour) * 2 + (rec.unc ? 1 : 0), at = seenArea.get(key),
					    item = {rec: rec, colour: colour, colourValue: this._palette[colour]};
					if (at === undefined) {
						seenArea.set(key, s.areas.length);
						s.areas.push(item);
					} else {
						s.areas[at] = item;
					}
				}
				var kind = rec.type === 'event' ? (rec.unc ? EVENT_UNC : EVENT) : (rec.unc ? POINT_UNC : POINT);
				var sprite = this._sprites.get(kind, colour);
				k = s.n++;
				if (rec.type === 'event') { s.split = s.n; }
				a = rec.a;
				s.rec[k] = rec;
				s.sprite[k] = sprite;
				s.anchor[k] = a;
				if (!count[a]) {
					touched.push(a);
					reach[a] = 0;
				}
				s.slot[k] = count[a]++;
				if (sprite.extent > reach[a]) { reach[a] = sprite.extent; }
			}
			s.rec.length = s.sprite.length = s.n;
			if (!tracks.groups) { tracks.groups = this._buildTracks(ctl.monthIndex(), lineRecs); }
			s.tracks = tracks.groups;
			for (k = 0; k < s.n; k++) { this._shift(s, k, count[s.anchor[k]]); }
			var clearance = {}, keys = this._model.anchorKeys;
			for (i = 0; i < touched.length; i++) {
				a = touched[i];
				clearance[keys[a]] = this._radius(count[a]) + reach[a];
				count[a] = 0;
			}
			this._canvas.setScene(s);
			// Place labels step aside for the symbols drawn at their place.
			this.fire('spread', {clearance: clearance});
			this._followPopup();
			this._prefetch();
		},

		// Readers step month by month (buttons, arrow keys, play), so the railway lines of the
		// other months are worked out while the browser is idle, nearest months first, a few
		// at a time: the first steps through busy months then cost no more than the later
		// ones. Nothing is done while there is no idle time (no timeout): the step that needs
		// a month's lines builds them itself.
		_prefetch: function () {
			if (this._idle) { return; }
			var self = this, run = function (deadline) {
				self._idle = null;
				if (!self._map || !self._trackMemo) { return; }
				var m = self._ctl.monthIndex(), n = self._ctl.monthCount(), built = 0;
				for (var d = 1; d < n; d++) {
					for (var month = m + d; month >= m - d; month -= 2 * d) {
						if (month < 0 || month >= n || self._trackMemo.months[month]) { continue; }
						// (setTimeout has no deadline: two months, then yield.)
						if (deadline ? deadline.timeRemaining() < 10 : built === 2) {
							self._prefetch();
							return;
						}
						self._tracksFor(month);
						built++;
					}
				}
			};
			this._idle = window.requestIdleCallback ? window.requestIdleCallback(run) : setTimeout(run, 100);
		},

		// The railway lines depend on the month and the hidden contingents only: built once
		// per month while the same contingents are hidden, for readers stepping back and forth.
		// The last few sets of hidden contingents are kept, so that unticking a contingent
		// and ticking it again finds the lines still there.
		_trackCache: function () {
			var ctl = this._ctl, hidden = ctl.hiddenIndices().join(), memos = this._trackMemos, cache = memos[0];
			if (!cache || cache.hidden !== hidden) {
				cache = null;
				for (var i = 0; i < memos.length; i++) {
					if (memos[i].hidden === hidden) {
						cache = memos.splice(i, 1)[0];
						break;
					}
				}
				memos.unshift(cache = cache || {hidden: hidden, months: {}});
				memos.length = Math.min(memos.length, 4);
			}
			this._trackMemo = cache;
			var m = ctl.monthIndex();
			return cache.months[m] || (cache.months[m] = {groups: null});
		},

		// The railway lines of another month with the current contingents hidden (what
		// _update would build there), into the cache.
		_tracksFor: function (month) {
			var ctl = this._ctl, cache = this._trackMemo;
			if (!cache || cache.hidden !== ctl.hiddenIndices().join() || cache.months[month]) { return; }
			var bucket = this._model.bucket(month), recs = [];
			for (var i = 0; i < bucket.length; i++) {
				if (bucket[i].type === 'presence' && bucket[i].shape === 'ln' && ctl.isRecordVisible(bucket[i])) { recs.push(bucket[i]); }
			}
			cache.months[month] = {groups: this._buildTracks(month, recs)};
		},

		// The shown presence records along the railway of a month -> TrackUnion groups, in
		// their lanes. A presence record takes its contingent's colour.
		_buildTracks: function (month, recs) {
			var offsets = this._lanes.offsets(month, recs), lines = [];
			for (var i = 0; i < recs.length; i++) {
				var c = recs[i].c[0];
				lines.push({rec: recs[i], colour: c, colourValue: this._palette[c], offset: offsets[c] || 0});
			}
			return this._union.build(lines);
		},

		_reserve: function (n) {
			var s = this._scene;
			if (s.anchor.length >= n) { return; }
			n = Math.max(n, 2 * s.anchor.length, 64);
			s.anchor = new Int32Array(n);
			s.slot = new Int32Array(n);
			s.dx = new Float64Array(n);
			s.dy = new Float64Array(n);
		},

		// Several symbols on one place: events first, then presence in legend order (the
		// order they come in). A few sit on a ring just wide enough for them (two side by
		// side); more are packed in a sunflower spiral, in a disc of at most `spreadMax`
		// pixels, so a busy place (Vladivostok) stays a compact pile on its town.
		_shift: function (s, k, n) {
			var i = s.slot[k], r, a;
			if (n === 1) {
				s.dx[k] = s.dy[k] = 0;
				return;
			}
			if (n <= RING_MAX) {
				r = this._radius(n);
				a = (n === 2 ? Math.PI : -Math.PI / 2) + 2 * Math.PI * i / n;
			} else {
				r = this.options.spreadMax * Math.sqrt((i + 0.5) / n);
				a = i * GOLDEN_ANGLE;
			}
			s.dx[k] = Math.round(r * Math.cos(a));
			s.dy[k] = Math.round(r * Math.sin(a));
		},

		// How far from the place the centres of `n` symbols there lie (the outermost one).
		_radius: function (n) {
			var spacing = this.options.ringSpacing, max = this.options.spreadMax;
			if (n <= 1) { return 0; }
			if (n <= RING_MAX) { return Math.min(max, Math.max(spacing / 2 + 1, n * spacing / (2 * Math.PI))); }
			return max * Math.sqrt((n - 0.5) / n);
		},

		// Where a record is drawn: its symbol's centre (shifted in its ring), or for a line or
		// an area its representative point.
		_latLngOf: function (rec) {
			if (rec.a < 0) { return this._map.getCenter(); }  // no place on the map: mid-view
			var s = this._scene, map = this._map, anchor = this._model.anchorLatLngs[rec.a];
			for (var k = 0; k < s.n; k++) {
				if (s.rec[k] === rec) {
					if (!s.dx[k] && !s.dy[k]) { return anchor; }
					return map.layerPointToLatLng(map.latLngToLayerPoint(anchor).add([s.dx[k], s.dy[k]]));
				}
			}
			return anchor;
		},

		_isShown: function (rec) {
			return this._ctl.visibleRecords().indexOf(rec) >= 0;
		},

		// After a step a popup left open follows its symbol to its new place in the ring; a
		// record no longer shown takes its popup and tooltip with it.
		_followPopup: function () {
			// A chooser lists the records of the month it was opened in.
			if (this._chooser && this._map.hasLayer(this._chooser)) { this._map.closePopup(this._chooser); }
			if (this._popupRec) {
				if (!this._isShown(this._popupRec)) {
					this._map.closePopup(this._recPopup);
				} else if (this._popupAtSymbol) {
					this._recPopup.setLatLng(this._latLngOf(this._popupRec));
				}
			}
			if (this._tipRec && !this._isShown(this._tipRec)) { this._closeTooltip(); }
		},

		_newPopup: function () {
			return SM.popup(L.extend({layout: this.options.layout}, POPUP));
		},

		_openPopup: function (rec, latlng) {
			var popup = this._newPopup(), map = this._map;
			this._popupAtSymbol = !latlng && rec.a >= 0;
			popup.setLatLng(latlng || this._latLngOf(rec)).setContent(SM.RecordPopup.content(this._model, rec));
			popup.on('remove', function () {
				if (this._recPopup !== popup) { return; }
				this._recPopup = this._popupRec = null;
				this._ctl.fire('recordpopup', {record: null});
			}, this);
			this._recPopup = popup;
			this._popupRec = rec;
			map.openPopup(popup);
			this._ctl.fire('recordpopup', {record: rec});
			return popup;
		},

		// A click on a symbol opens its popup at the symbol; on a line or an area, where the
		// click was (the stretch may be long). Where several records lie under the click (or
		// it falls inside the ring of a place's symbols), a chooser lists them all.
		_onClick: function (e) {
			var hits = this._canvas.hitAll(e.layerPoint);
			if (!hits.length) { return; }
			L.DomEvent.stop(e);
			if (hits.length === 1) {
				this._openPopup(hits[0].rec, hits[0].symbol < 0 ? e.latlng : null);
			} else {
				this.openChooser(hits.map(function (h) { return h.rec; }), e.latlng);
			}
		},

		// @method openChooser(recs: Array, latlng: LatLng): L.Popup
		// A popup at `latlng` listing `recs`; each entry opens its record's popup in its place.
		openChooser: function (recs, latlng) {
			var self = this, popup = this._newPopup(), map = this._map;
			popup.setLatLng(latlng).setContent(SM.RecordChooser.content(this._ctl, recs, function (rec) {
				if (self._isShown(rec)) { self._openPopup(rec, rec.shape === 'pt' ? null : latlng); }
			}));
			this._chooser = popup;
			map.openPopup(popup);
			return popup;
		},

		// @method chooserAt(layerPoint: Point): Array
		// The records a click at this point would list (for tests): `[{id, type, symbol}]`,
		// `symbol` true for a symbol (false for a line or an area).
		chooserAt: function (layerPoint) {
			return this._canvas.hitAll(L.point(layerPoint)).map(function (h) {
				return {id: h.rec.id, type: h.rec.type, symbol: h.symbol >= 0};
			});
		},

		_onHover: function (e) {
			var hit = this._canvas.hitTest(e.layerPoint);
			if (!hit) {
				this._closeTooltip();
				return;
			}
			this._showTooltip(hit.rec, e.latlng);
		},

		_showTooltip: function (rec, latlng) {
			var tip = this._recTip;
			if (!tip) { tip = this._recTip = L.tooltip(TOOLTIP); }
			if (rec !== this._tipRec) {
				tip.setContent(SM.RecordPopup.tooltip(this._model, rec));
				this._tipRec = rec;
			}
			tip.setLatLng(latlng);
			if (!this._map.hasLayer(tip)) { this._map.openTooltip(tip); }
		},

		_closeTooltip: function () {
			if (this._recTip && this._map && this._map.hasLayer(this._recTip)) { this._map.closeTooltip(this._recTip); }
			this._tipRec = null;
		},

		// From the events list: pan the record into view if needed, then open its popup.
		_onOpenRecord: function (e) {
			var rec = e.record, map = this._map, self = this;
			if (!map || !this._isShown(rec)) { return; }
			var latlng = this._model.anchorLatLngs[rec.a];
			if (rec.a < 0) {
				this._openPopup(rec);
			} else if (e.pan !== false && !map.getBounds().pad(-0.05).contains(latlng)) {
				map.once('moveend', function () {
					if (self._isShown(rec)) { self._openPopup(rec); }
				});
				map.panTo(latlng);
			} else {
				this._openPopup(rec);
			}
		}
	});

	SM.recordLayer = function (controller, options) {
		return new SM.RecordLayer(controller, options);
	};
})(L);
