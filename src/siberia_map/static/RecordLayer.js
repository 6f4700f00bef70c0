/*
 * L.SiberiaMap.RecordLayer: the events and presence records of the current month.
 *
 * Speed: a data set of 10,000 records has to step within a frame, and one of 100,000
 * within a few. So records are not Leaflet layers: on every change RecordScene works out,
 * in one pass over the month's records and into reused typed arrays, what is drawn where
 * (lanes beside the track, rings at shared places), and RecordCanvas draws it in a fixed
 * order (areas, lines, presence, events) so that events are never buried. This layer ties
 * them to the map and the reader: popups and tooltips are one Leaflet popup and one
 * tooltip, filled when they open; the pointer reaches the records through RecordHitArea
 * and RecordHits.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	const POPUP = {className: 'sm-popup-wrap', maxWidth: 320, minWidth: 220, autoPanPadding: [30, 30]};
	const TOOLTIP = {sticky: true, direction: 'top', offset: [0, -8], className: 'sm-tooltip', opacity: 1};

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
		// @option padding: Number = 0
		// Padding of the records' canvas (see RecordCanvas).
		//
		// @option laneSpacing: Number = 5
		// Pixels between the centre lines of neighbouring lanes; a little more than the line
		// weight so a hair of the railway shows between lanes.
		//
		// @option spreadMax: Number = 10
		// Most pixels a stacked symbol's centre may lie from its place (see RecordScene).
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
			padding: 0,
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
			const palette = this._model.contingents.map(function (c) { return c.colour; });
			palette.push(util.NEUTRAL);
			this._palette = palette;
			this._scenes = new SM.RecordScene(controller, palette,
				{laneSpacing: this.options.laneSpacing, spreadMax: this.options.spreadMax,
				 ringSpacing: this.options.ringSpacing});
			// Not _popup/_tooltip: those belong to Leaflet's bindPopup/bindTooltip on every layer.
			this._recPopup = null;
			this._popupRec = null;
			this._recTip = null;
			this._tipRec = null;
			this._pendingOpen = null;
		},

		onAdd: function (map) {
			const o = this.options;
			util.overlayPane(map, o.pane, 420);
			this._sprites = SM.symbolSprites([o.point, o.pointUncertain, o.event, o.eventUncertain], this._palette,
				{ratio: L.Browser.retina ? 2 : 1});
			this._sprites.warm();
			this._canvas = SM.recordCanvas(this._model, {pane: o.pane, padding: o.padding, line: o.line,
				lineUncertain: o.lineUncertain, area: o.area, areaUncertain: o.areaUncertain,
				tolerance: o.renderer && o.renderer.options.tolerance !== undefined ? o.renderer.options.tolerance : 3});
			map.addLayer(this._canvas);
			const canvas = this._canvas;
			this._scenes.on('recycle', this._onRecycle, this);
			this._stepAhead = new SM.StepAhead(this._ctl, this._scenes, canvas, this._sprites);
			map.on('moveend zoomend viewreset resize', this._scheduleAhead, this);
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
			this._scenes.tracks.stop();
			this._scenes.off('recycle', this._onRecycle, this);
			this._stepAhead.stop();
			map.off('moveend zoomend viewreset resize', this._scheduleAhead, this);
			this._sprites.stop();
			this._cancelPendingOpen();
			this._closeTooltip();
			if (this._recPopup) { map.closePopup(this._recPopup); }
			map.removeLayer(this._hitArea);
			map.removeLayer(this._canvas);
		},

		// @method getCanvas(): L.SiberiaMap.RecordCanvas
		// The canvas the records are drawn on (the movements draw on it too).
		getCanvas: function () {
			return this._canvas;
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
			const rec = this._find(id, type);
			return rec && this._map ? this._openPopup(rec) : null;
		},

		// @method openRecordTooltip(id: String, type?: String): L.Tooltip
		// Shows a record's hover tooltip at its symbol (or its representative point); null
		// when it is not shown this month.
		openRecordTooltip: function (id, type) {
			const rec = this._find(id, type);
			if (!rec || !this._map) { return null; }
			this._showTooltip(rec, this._latLngOf(rec));
			return this._recTip;
		},

		_find: function (id, type) {
			const recs = this._ctl.visibleRecords();
			for (let i = 0; i < recs.length; i++) {
				if (recs[i].id === String(id) && (!type || recs[i].type === type)) { return recs[i]; }
			}
			return null;
		},

		// Everything a step changes: the scene, and what follows it.
		_update: function () {
			if (!this._map) { return; }
			const scenes = this._scenes;
			this._canvas.setScene(scenes.build(this._sprites));
			// Place labels step aside for the symbols drawn at their place.
			this.fire('spread', {clearance: scenes.clearance});
			this._followPopup();
			scenes.tracks.prefetch();
			this._stepAhead.schedule();
		},

		_scheduleAhead: function () {
			this._stepAhead.schedule();
		},

		// A scene about to be reused for another month: its drawing ahead is stale.
		_onRecycle: function (e) {
			this._canvas.forget(e.scene);
		},

		// Where a record is drawn: its symbol's centre (shifted in its ring), or for a line or
		// an area its representative point.
		_latLngOf: function (rec) {
			if (rec.a < 0) { return this._map.getCenter(); }  // no place on the map: mid-view
			const map = this._map;
			const anchor = this._model.anchorLatLngs[rec.a];
			const d = this._scenes.offsetOf(rec);
			if (!d || (!d[0] && !d[1])) { return anchor; }
			return map.layerPointToLatLng(map.latLngToLayerPoint(anchor).add(d));
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
			this._cancelPendingOpen();
			const popup = this._newPopup();
			const map = this._map;
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
			const hits = this._canvas.hitAll(e.layerPoint);
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
			const self = this;
			const popup = this._newPopup();
			const map = this._map;
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
			const hit = this._canvas.hitTest(e.layerPoint);
			if (!hit) {
				this._closeTooltip();
				return;
			}
			this._showTooltip(hit.rec, e.latlng);
		},

		_showTooltip: function (rec, latlng) {
			let tip = this._recTip;
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
		// The pan's end comes early when another popup opens meanwhile (a click on the map, a
		// second entry): it stops the pan to lay itself out. That popup, the reader's later
		// step, stays: opening this one then would close it in the middle of its layout.
		_onOpenRecord: function (e) {
			const rec = e.record;
			const map = this._map;
			const self = this;
			if (!map || !this._isShown(rec)) { return; }
			this._cancelPendingOpen();
			const latlng = this._model.anchorLatLngs[rec.a];
			if (rec.a < 0) {
				this._openPopup(rec);
			} else if (e.pan !== false && !map.getBounds().pad(-0.05).contains(latlng)) {
				// A pan still running (an earlier entry's) ends first, so that its end is not
				// taken for this one's. (Leaflet sets map._popup as a popup starts to open,
				// before its layout.)
				if (map._panAnim) { map._panAnim.stop(); }
				const before = map._popup;
				const open = this._pendingOpen = function () {
					self._pendingOpen = null;
					if (map._popup === before && self._isShown(rec)) { self._openPopup(rec); }
				};
				map.once('moveend', open);
				map.panTo(latlng);
			} else {
				this._openPopup(rec);
			}
		},

		_cancelPendingOpen: function () {
			if (this._pendingOpen && this._map) { this._map.off('moveend', this._pendingOpen); }
			this._pendingOpen = null;
		}
	});

	SM.recordLayer = function (controller, options) {
		return new SM.RecordLayer(controller, options);
	};
})(L);
