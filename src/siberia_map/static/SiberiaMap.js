/*
 * L.SiberiaMap.start: puts the payload on a Leaflet map and exposes `window.siberiaMap`.
 *
 * The Python side renders one HTML file with the payload embedded as JSON and this code
 * inlined, then calls `L.SiberiaMap.start(map, "siberia-map-data")` once. Everything here
 * is wiring; the behaviour lives in the classes it assembles.
 */
(function (L) {
	'use strict';

	var SM = L.SiberiaMap = L.SiberiaMap || {};

	// The public browser API, exactly as in docs/architecture.md ("Browser API"): tests and
	// embedding pages use it, so it stays small and returns plain copies, never internals.
	function api(ctl) {
		var model = ctl.model;
		return {
			months: function () { return ctl.months(); },
			month: function () { return ctl.month(); },
			setMonth: function (ym) {
				var i = model.monthIndexOf(ym);
				if (i < 0) { throw new RangeError('siberia-map: no month ' + ym); }
				ctl.setMonthIndex(i);
			},
			contingents: function () {
				return model.contingents.map(function (c) {
					return {id: c.id, name: c.name, visible: !ctl.isHidden(c.index)};
				});
			},
			setContingentVisible: function (id, visible) {
				var ci = model.contingentIndex[id];
				if (ci === undefined) { throw new RangeError('siberia-map: no contingent ' + id); }
				ctl.setHidden(ci, !visible);
			},
			visible: function () {
				return ctl.visibleRecords().map(function (r) {
					return {
						id: r.id,
						type: r.type,
						contingents: r.c.map(function (ci) { return model.contingents[ci].id; }),
						lat: r.lat,
						lon: r.lon
					};
				});
			}
		};
	}

	// Lets tests and embedding pages follow the month without polling the API.
	function announceMonth(map, ctl, initial) {
		document.body.dataset.month = ctl.month();
		var detail = {month: ctl.month(), index: ctl.monthIndex(), label: ctl.monthLabel(),
			events: ctl.visibleEvents().length, initial: !!initial};
		map.getContainer().dispatchEvent(new CustomEvent('siberia-map:month', {bubbles: true, detail: detail}));
	}

	// On a wide screen the panels stand over the map's edges; keep the data out from under
	// them. On a narrow one they fold away, so only the time bar is allowed for.
	function viewPadding(map, title, events, legend, bar) {
		var size = map.getSize(), wide = size.x >= 900;
		var left = wide ? Math.max(title.getContainer().offsetWidth, events.getContainer().offsetWidth) + 10 : 0;
		var right = wide ? legend.getContainer().offsetWidth + 10 : 0;
		return {
			paddingTopLeft: [left, 10],
			paddingBottomRight: [right, bar.getContainer().offsetHeight + 20]
		};
	}

	// @function start(map: L.Map, dataElementId?: String, options?: Object): L.SiberiaMap.Controller
	// Reads the JSON payload from the element with id `dataElementId` (default
	// 'siberia-map-data') and builds the map. Options:
	// `fitBounds` (default true): fit the view to `payload.bounds`, clear of the panels;
	// `zoomSnap` (default 0.25): set on the map, so the fitted view uses the room it has
	// (there are no tiles to blur at fractional zooms); null leaves the map's own;
	// `hash` (default true): keep month and hidden contingents in the URL hash;
	// `keyboard` (default true): Left/Right step through the months.
	SM.start = function (map, dataElementId, options) {
		options = L.extend({fitBounds: true, zoomSnap: 0.25, hash: true, keyboard: true}, options);
		var id = dataElementId || 'siberia-map-data', node = document.getElementById(id);
		if (!node) { throw new Error('siberia-map: no element #' + id); }

		var model = new SM.Model(JSON.parse(node.textContent));
		var ctl = new SM.Controller(model);
		var hash = options.hash ? new SM.HashState(ctl) : null;
		// The linked month and filter are in place before anything draws, so nothing flashes.
		if (hash) { hash.read(); }

		L.DomUtil.addClass(map.getContainer(), 'sm-map');
		if (options.zoomSnap) { map.options.zoomSnap = options.zoomSnap; }
		// The top corners hold the title, events and legend; zoom goes with the attribution.
		if (map.zoomControl) { map.zoomControl.setPosition('bottomright'); }

		// Controls first: the initial view is fitted into the space they leave free.
		var title = SM.titleControl(model).addTo(map);
		var events = SM.eventsPanel(ctl).addTo(map);
		var basemap = SM.basemapLayer(model.basemap);
		var legend = SM.contingentControl(ctl, {bordersNote: basemap.hasBorders(),
			basemapSource: basemap.getSourceText()}).addTo(map);
		var bar = SM.monthControl(ctl, {keyboard: options.keyboard}).addTo(map);

		if (options.fitBounds && model.bounds) {
			map.fitBounds(model.bounds, viewPadding(map, title, events, legend, bar));
		} else if (!map._loaded) {
			map.setView([55, 100], 3);
		}

		// One canvas for everything that reacts to the pointer: only the top canvas hears it.
		var renderer = SM.batchCanvas({padding: 0.3, tolerance: 3});
		basemap.addTo(map);
		SM.railwayLayer(model.railways, {renderer: renderer}).addTo(map);
		var places = SM.placeLabels(model.places, model.geoms, {renderer: renderer}).addTo(map);
		var records = SM.recordLayer(ctl, {renderer: renderer});
		records.on('spread', function (e) { places.setClearance(e.clearance); });
		records.addTo(map);

		if (hash) { hash.enable(); }
		SM.printView(map).enable();
		ctl.on('change', function (e) {
			if (e.monthChanged) { announceMonth(map, ctl, false); }
		});
		announceMonth(map, ctl, true);

		window.siberiaMap = api(ctl);
		return ctl;
	};
})(L);
