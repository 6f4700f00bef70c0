/*
 * L.SiberiaMap.start: puts the payload on a Leaflet map and exposes `window.siberiaMap`.
 *
 * The Python side renders one HTML file with the payload embedded as JSON (or, for big data
 * sets, as gzipped JSON in base64) and this code inlined, then calls
 * `L.SiberiaMap.start(map, "siberia-map-data")` once. Everything here is wiring; the
 * behaviour lives in the classes it assembles.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	// The public browser API, exactly as in docs/architecture.md ("Browser API"): tests and
	// embedding pages use it, so it stays small and returns plain copies, never internals.
	function api(ctl, layers) {
		const model = ctl.model;
		const control = layers.control;
		const movements = layers.movements;
		const story = layers.story;
		return {
			months: function () { return ctl.months(); },
			month: function () { return ctl.month(); },
			// Shows that month alone (whatever window was shown).
			setMonth: function (ym) {
				const i = model.monthIndexOf(ym);
				if (i < 0) { throw new RangeError('siberia-map: no month ' + ym); }
				ctl.setWindow('month', null, i);
			},
			// `{mode: "month"|"upto"|"range", from, to}` (months as "YYYY-MM").
			window: function () {
				const w = ctl.window();
				return {mode: w.mode, from: model.months[w.from], to: model.months[w.to]};
			},
			// setWindow("1919-06", "1919-08") shows those months together; setWindow(null,
			// "1919-08") everything up to August 1919; the same month twice, that month.
			setWindow: function (from, to) {
				const t = model.monthIndexOf(to);
				const f = from === null || from === undefined || from === '' ? 0 : model.monthIndexOf(from);
				if (t < 0) { throw new RangeError('siberia-map: no month ' + to); }
				if (f < 0) { throw new RangeError('siberia-map: no month ' + from); }
				if (f > t) { throw new RangeError('siberia-map: the window ' + from + '..' + to + ' ends before it begins'); }
				const upto = from === null || from === undefined || from === '';
				ctl.setWindow(upto ? 'upto' : f === t ? 'month' : 'range', f, t);
			},
			contingents: function () {
				return model.contingents.map(function (c) {
					return {id: c.id, name: c.name, visible: !ctl.isHidden(c.index)};
				});
			},
			setContingentVisible: function (id, visible) {
				const ci = model.contingentIndex[id];
				if (ci === undefined) { throw new RangeError('siberia-map: no contingent ' + id); }
				ctl.setHidden(ci, !visible);
			},
			// In data order (events, then presence, each as in the CSV, then movements),
			// whatever order the map keeps them in internally.
			visible: function () {
				const out = ctl.visibleRecords().slice().sort(function (a, b) {
					return a.type === b.type ? a.i - b.i : (a.type === 'event' ? -1 : 1);
				}).map(function (r) {
					return {
						id: r.id,
						type: r.type,
						contingents: r.c.map(function (ci) { return model.contingents[ci].id; }),
						lat: r.lat,
						lon: r.lon
					};
				});
				const moving = movements ? movements.shown() : [];
				for (let i = 0; i < moving.length; i++) {
					out.push({id: moving[i].id, type: 'movement', contingents: [model.contingents[moving[i].c].id],
						lat: moving[i].lat, lon: moving[i].lon});
				}
				return out;
			},
			// The authority holding that spot this month (the nearest controlled place's
			// holder, within the approximate areas), or null.
			controlAt: function (lat, lon) {
				if (!control) { return null; }
				const p = control.placeAt(L.latLng(+lat, +lon));
				const h = p < 0 ? null : control.holderAt(p);
				return h ? {id: h.authority.id, name: h.authority.name, side: h.authority.side,
					contested: h.contested} : null;
			},
			// The story's chapters, `[{id, title, month}]` ([] without a story).
			chapters: function () { return story ? story.chapters() : []; },
			showChapter: function (id) {
				if (!story || !story.has(id)) { throw new RangeError('siberia-map: no chapter ' + id); }
				story.show(id);
			},
			// The chapter the map shows (its month and toggles), or null.
			chapter: function () { return story ? story.current() : null; }
		};
	}

	// Lets tests and embedding pages follow the month without polling the API.
	function announceMonth(map, ctl, initial) {
		document.body.dataset.month = ctl.month();
		const w = ctl.window();
		const detail = {month: ctl.month(), index: ctl.monthIndex(), label: ctl.monthLabel(),
			window: {mode: w.mode, from: ctl.model.months[w.from], to: ctl.model.months[w.to], label: ctl.windowLabel()},
			events: ctl.visibleEventCount(), initial: !!initial};
		map.getContainer().dispatchEvent(new CustomEvent('siberia-map:month', {bubbles: true, detail: detail}));
	}

	// The story, when the data set tells one: a tab of the sheet, rings on the map.
	// `getMovements` and `getLayout` hand over what is built after it.
	function storyPanel(map, ctl, model, getMovements, getLayout) {
		if (!Array.isArray(model.story) || !model.story.length) { return null; }
		const highlight = SM.storyHighlight(ctl, function (ids) {
			const want = {};
			const out = [];
			let i;
			const recs = ctl.visibleRecords();
			const movements = getMovements();
			for (i = 0; i < ids.length; i++) { want[ids[i]] = true; }
			for (i = 0; i < recs.length; i++) {
				if (want[recs[i].id]) { out.push({id: recs[i].id, lat: recs[i].lat, lon: recs[i].lon}); }
			}
			const moving = movements ? movements.shown() : [];
			for (i = 0; i < moving.length; i++) {
				if (want[moving[i].id]) { out.push({id: moving[i].id, lat: moving[i].lat, lon: moving[i].lon}); }
			}
			return out;
		});
		const story = SM.storyPanel(ctl, model.story, {highlight: highlight,
			fitOptions: function () { return getLayout().fitOptions(24); }});
		if (!story.chapters().length) { return null; }
		highlight.addTo(map);
		story.addTo(map);
		return story;
	}

	// The first focusable thing on the page: a link, shown when focused, that takes the
	// keyboard straight to the month slider past the map and the lists.
	function skipLink(map, slider) {
		const container = map.getContainer();
		const link = SM.util.el('a', 'sm-skip', null, SM.util.t('skip'));
		link.href = '#' + slider.id;
		container.parentNode.insertBefore(link, container);
		L.DomEvent.on(link, 'click', function (e) {
			L.DomEvent.preventDefault(e);
			slider.focus();
		});
		return link;
	}

	// @function openingMonth(model): Number
	// Where a page without a link opens: the first month whose events name at least three
	// contingents (something to see), else at least two, else the first month with any event.
	function openingMonth(model) {
		const seen = model.months.map(function () { return {}; });
		const counts = model.months.map(function () { return 0; });
		for (let r = 0; r < model.records.length; r++) {
			const rec = model.records[r];
			if (rec.type !== 'event') { continue; }
			for (let m = rec.m0; m <= rec.m1; m++) {
				for (let k = 0; k < rec.c.length; k++) {
					if (!seen[m][rec.c[k]]) { seen[m][rec.c[k]] = true; counts[m]++; }
				}
				if (!counts[m]) { counts[m] = 0.5; }
			}
		}
		for (let need = 3; need > 0; need--) {
			for (let i = 0; i < counts.length; i++) {
				if (counts[i] >= need || (need === 1 && counts[i] > 0)) { return i; }
			}
		}
		return 0;
	}

	// @function theatre(model, share?: Number): LatLngBounds|null
	// What the first view frames: where the records are, the few farthest out left aside
	// (by default the outer 5 % of the record positions on each side, each way), so that one
	// outlying place does not shrink the whole war to a strip. Small data sets keep all.
	function theatre(model, share) {
		const q = share === undefined ? 0.05 : share;
		// Records at one place share its anchor: the quantiles of the records' positions are
		// those of the anchors weighted by their records, found without sorting a million
		// numbers.
		const weight = new Float64Array(model.anchorLatLngs.length);
		let n = 0;
		for (let r = 0; r < model.records.length; r++) {
			const a = model.records[r].a;
			if (a < 0 || !isFinite(model.anchorLatLngs[a].lat) || !isFinite(model.anchorLatLngs[a].lng)) { continue; }
			weight[a]++;
			n++;
		}
		if (!n) { return model.recordBounds() || model.bounds; }
		const lo = Math.floor(q * (n - 1));
		const hi = Math.ceil((1 - q) * (n - 1));
		const lat = function (a) { return model.anchorLatLngs[a].lat; };
		const lon = function (a) { return model.anchorLatLngs[a].lng; };
		const b = L.latLngBounds([weightedAt(weight, lat, lo), weightedAt(weight, lon, lo)],
			[weightedAt(weight, lat, hi), weightedAt(weight, lon, hi)]);
		// (A data set in one spot still gets a view of its surroundings.)
		return b.getNorth() - b.getSouth() < 0.5 && b.getEast() - b.getWest() < 0.5 ? b.pad(2) : b;
	}

	// The value at position `k` of the sorted list holding each anchor's `value(a)`
	// `weight[a]` times.
	function weightedAt(weight, value, k) {
		const order = [];
		for (let a = 0; a < weight.length; a++) {
			if (weight[a]) { order.push(a); }
		}
		order.sort(function (x, y) { return value(x) - value(y); });
		let seen = 0;
		for (let i = 0; i < order.length; i++) {
			seen += weight[order[i]];
			if (seen > k) { return value(order[i]); }
		}
		return value(order[order.length - 1]);
	}

	// The sheet of tabs: events, the story when there is one, the legend. It opens on the
	// events, or folded to its tabs where the window has no room beside the map for it.
	function sideSheet(ctl, panels) {
		const sheet = panels.sheet;
		sheet.addPanel(panels.events, SM.util.t('events.tab'), function () { return ctl.visibleEventCount(); });
		if (panels.story) { sheet.addPanel(panels.story, SM.util.t('story.tab')); }
		sheet.addPanel(panels.legend, SM.util.t('legend.tab'));
		ctl.on('change', function () { sheet.refresh(); });
		return sheet;
	}

	const NEEDS_COMPRESSION_STREAMS = 'This map needs a browser with the Compression Streams API (2023 or later)';

	// A message in the map's place when it cannot start; text only, like everything else.
	function showError(map, message) {
		const box = SM.util.el('div', 'sm-error', map.getContainer(), message);
		box.setAttribute('role', 'alert');
		L.DomEvent.disableClickPropagation(box);
		return box;
	}

	// base64 text -> bytes (both decoders skip whitespace). atob gives a "binary string",
	// one char per byte.
	function base64Bytes(text) {
		if (typeof Uint8Array.fromBase64 === 'function') { return Uint8Array.fromBase64(text); }
		const bin = atob(text);
		const bytes = new Uint8Array(bin.length);
		for (let i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
		return bytes;
	}

	// @function inflate(text: String): Promise
	// The payload of a `data-encoding="gzip+base64"` block: base64 -> gzip -> UTF-8 JSON ->
	// object. The browser's own DecompressionStream does the work (no inflater shipped in
	// the page, no eval); Response only collects the stream into text, nothing is fetched.
	SM.inflate = function (text) {
		const stream = new Blob([base64Bytes(text)]).stream().pipeThrough(new DecompressionStream('gzip'));
		return new Response(stream).text().then(JSON.parse);
	};

	// @property current: Object
	// `{map, controller, records}` of the map started last on the page, or null: a handle
	// for tests and embedding pages on what `window.siberiaMap` deliberately hides, e.g.
	// `L.SiberiaMap.current.records.openRecordPopup(id, type)` (see RecordLayer).
	SM.current = null;

	// @function start(map: L.Map, dataElementId?: String, options?: Object): L.SiberiaMap.Controller|Promise
	// Reads the payload from the element with id `dataElementId` (default
	// 'siberia-map-data') and builds the map. Plain JSON (`type="application/json"`) starts
	// at once and returns the controller; a block with `data-encoding="gzip+base64"` is
	// inflated first, so the map (and `window.siberiaMap`) appear a little later and a
	// Promise of the controller is returned. If the payload cannot be read, a message says
	// so in the map's place. Options:
	// `fitBounds` (default true): fit the view to the theatre, the bounds of every record
	// (`payload.bounds` when there are none), clear of the panels;
	// `zoomSnap` (default 0.125): set on the map, so the fitted view uses the room it has
	// (there are no tiles to blur at fractional zooms); null leaves the map's own;
	// `hash` (default true): keep month and hidden contingents in the URL hash;
	// `keyboard` (default true): Left/Right, PageUp/PageDown, Home/End step through the months;
	// `month` ("1919-06") and `hidden` (contingent ids): the view it opens on, unless the
	// URL hash names one;
	// `openingMonth` (default true): without a link in the address (or `month`), open on the
	// first month whose events name three contingents (see openingMonth), else on the first.
	// `lang` ("ru"): the language to open in, when the file holds it; a link's `#lang=` wins
	// (default: the file's own, the first of `build --lang`);
	// `badgeThreshold` (default 20000; 0: never): a month of more records than this is drawn
	// as a count badge per place (CountBadgeLayer), not a symbol per record (see
	// Controller.summarized). No map of fewer records changes.
	SM.start = function (map, dataElementId, options) {
		options = L.extend({fitBounds: true, zoomSnap: 0.125, hash: true, keyboard: true, openingMonth: true,
			badgeThreshold: 20000}, options);
		const id = dataElementId || 'siberia-map-data';
		const node = document.getElementById(id);
		if (!node) { throw new Error('siberia-map: no element #' + id); }
		const encoding = node.getAttribute('data-encoding');
		if (!encoding) { return build(map, JSON.parse(node.textContent), options); }
		if (encoding !== 'gzip+base64') {
			showError(map, 'This map\'s data is in an encoding it cannot read (' + encoding + ').');
			return Promise.reject(new Error('siberia-map: unknown data-encoding ' + encoding));
		}
		if (typeof DecompressionStream !== 'function' || typeof Blob.prototype.stream !== 'function') {
			showError(map, NEEDS_COMPRESSION_STREAMS);
			return Promise.reject(new Error('siberia-map: no DecompressionStream'));
		}
		const text = node.textContent;
		// (Inside the promise, so that bad base64 ends up in the same message as bad gzip.)
		return new Promise(function (resolve) { resolve(SM.inflate(text)); }).then(function (payload) {
			// The text is parsed; let the page drop its copy of the block.
			node.textContent = '';
			return build(map, payload, options);
		}, function (err) {
			// The browser's own message says little ("Failed to fetch" for a broken gzip
			// stream); the error itself still reaches the console.
			showError(map, 'This map\'s embedded data could not be read; the file may be damaged or incomplete.');
			throw err;
		});
	};

	// `options.month` ("1919-06") and `options.hidden` (contingent ids) as the opening state;
	// unknown ones are ignored, as in a hash.
	function startState(ctl, options) {
		const model = ctl.model;
		const state = {};
		const m = options.month ? model.monthIndexOf(options.month) : -1;
		if (m >= 0) { state.month = m; }
		if (options.hidden && options.hidden.length) {
			state.hidden = options.hidden.map(function (id) { return model.contingentIndex[id]; })
				.filter(function (ci) { return ci !== undefined; });
		}
		ctl.setState(state);
	}

	// The page's language: the one a link names (`#lang=ru`, when the map keeps the
	// address) if the file holds it, else `options.lang`, else the file's own.
	function language(map, payload, options) {
		const wanted = options.hash ? SM.HashState.parse(window.location.hash).lang : null;
		SM.i18n = new SM.I18n(payload.i18n, wanted || options.lang);
		const lang = SM.i18n.lang();
		map.getContainer().setAttribute('lang', lang);
		// (A map that owns the address owns the page: its text is in that language.)
		if (options.hash) { document.documentElement.lang = lang; }
		// Leaflet's zoom buttons: their titles for the next time the control is added (build
		// moves it, which adds it again), and for the buttons already there.
		const zoom = map.zoomControl;
		if (zoom) {
			zoom.options.zoomInTitle = SM.util.t('zoom.in');
			zoom.options.zoomOutTitle = SM.util.t('zoom.out');
			[[zoom._zoomInButton, 'zoom.in'], [zoom._zoomOutButton, 'zoom.out']].forEach(function (b) {
				if (b[0]) {
					b[0].title = SM.util.t(b[1]);
					b[0].setAttribute('aria-label', SM.util.t(b[1]));
				}
			});
		}
	}

	function build(map, payload, options) {
		language(map, payload, options);
		const model = new SM.Model(payload);
		const ctl = new SM.Controller(model, {badgeThreshold: options.badgeThreshold});
		const notice = SM.notice(map, {controller: ctl});
		const hash = options.hash ? new SM.HashState(ctl, {notify: function (text) { notice.show(text); }}) : null;
		// The view asked for by the page's maker (explore's month= and hidden=); a link's
		// hash, read next, still wins.
		startState(ctl, options);
		// The linked month and filter are in place before anything draws, so nothing flashes.
		if (hash) { hash.read(); }

		L.DomUtil.addClass(map.getContainer(), 'sm-map');
		SM.reducedMotion(map).enable();
		if (options.zoomSnap) { map.options.zoomSnap = options.zoomSnap; }
		// The top left corner holds the title and the search, the top right the sheet; zoom
		// goes with the attribution, the time bar along the bottom. The markup follows the
		// screen (top left, top right, bottom), and so does Tab.
		if (map.zoomControl) { map.zoomControl.setPosition('bottomright'); }
		// Nothing beyond the basemap is ever in view (set before the first view is fitted).
		const limits = SM.viewLimits(map, model.basemap);
		if (limits) { limits.enable(); }

		// Controls first: the initial view is fitted into the space they leave free.
		const title = SM.titleControl(model).addTo(map);
		// The languages the file holds, beside the title; only where the map owns the address
		// it writes the choice into.
		if (options.hash) {
			SM.languageSwitcher(SM.i18n).addTo(title.getContainer().querySelector('.sm-title-line') || title.getContainer());
		}
		const search = SM.searchControl(ctl).addTo(map);
		const sheet = SM.sideSheet().addTo(map);
		const events = SM.eventsPanel(ctl).addTo(map);
		const basemap = SM.basemapLayer(model.basemap);
		const legend = SM.contingentControl(ctl, {bordersNote: basemap.hasBorders(),
			basemapSource: basemap.getSourceText()}).addTo(map);
		const bar = SM.monthControl(ctl, {keyboard: options.keyboard}).addTo(map);
		// Troop strength month by month, in the legend's colours: in the legend, under the
		// contingents, when the data gives numbers.
		let strength = model.payload.strength ? SM.strengthChart(ctl, model.payload.strength, {legend: legend}) : null;
		if (strength && strength.hasData()) {
			strength.addTo(legend.getBody());
			const list = legend.getBody().querySelector('.sm-contingent-list');
			if (list) { list.parentNode.insertBefore(legend.getBody().querySelector('.sm-strength'), list.nextSibling); }
		} else {
			strength = null;
		}
		let movements = null;
		let layout = null;
		const story = storyPanel(map, ctl, model, function () { return movements; }, function () { return layout; });
		if (story && hash) { hash.setStory(story); }
		sideSheet(ctl, {sheet: sheet, events: events, story: story, legend: legend});
		skipLink(map, bar.getSlider());
		layout = SM.layout(map, sheet, bar);
		if (story && story.current()) {
			sheet.select(story);
		} else if (!layout.isShort()) {
			sheet.select(events);
		}
		layout.enable();
		search.setLayout(layout);
		// A page opened without a link it can follow (a month it has, or a chapter) opens on a
		// month with something to see; a link it cannot follow is corrected to that month.
		const linked = !!((hash && hash.followed()) || (story && story.current()));
		if (!linked && !options.month && options.openingMonth) { ctl.setMonthIndex(openingMonth(model)); }

		const frame = theatre(model);
		if (options.fitBounds && frame) {
			// Without the zoom animation: the layers below are then drawn once, at the fitted
			// view, instead of at folium's initial view and again when the animation ends.
			map.fitBounds(frame, L.extend({animate: false}, layout.fitOptions(layout.isShort() ? 8 : 24)));
		} else if (!map._loaded) {
			map.setView([55, 100], 3);
		}

		// One canvas for everything that hears the pointer (only the top canvas does):
		// railways, places and, through their stand-in, the records. Its padding is small
		// for the reason given at BasemapLayer's.
		const renderer = SM.bitmapCanvas({padding: 0.1, tolerance: 3});
		basemap.addTo(map);
		SM.railwayLayer(model.railways, {renderer: renderer}).addTo(map);
		const weights = {};
		for (let r = 0; r < model.records.length; r++) {
			if (model.records[r].a < 0) { continue; }
			const key = model.anchorKeys[model.records[r].a];
			weights[key] = (weights[key] || 0) + 1;
		}
		const places = SM.placeLabels(model.places, model.geoms, {renderer: renderer, layout: layout,
			weights: weights}).addTo(map);
		const records = SM.recordLayer(ctl, {renderer: renderer, layout: layout});
		records.on('spread', function (e) { places.setClearance(e.clearance, e.month); });
		records.addTo(map);
		// A busy month's records as a count per place (nothing below the threshold).
		const badges = SM.countBadgeLayer(ctl, {records: records}).addTo(map);
		SM.popupFocus(map).enable();

		// The war's shape: who held the railway, and the journeys along it.
		let control = model.payload.control ? SM.controlLayer(ctl) : null;
		if (control && control.hasData()) {
			control.addTo(map);
			SM.controlLegend(ctl, control, {layout: layout, legend: legend}).addTo(legend.getBody(), map);
		} else {
			control = null;
		}
		movements = SM.movementLayer(ctl, {canvas: records.getCanvas(),
			isPlaying: function () { return bar.isPlaying(); },
			cover: function (at) { return badges.cover(at); }}).addTo(map);
		// In a window of months, where each contingent went (under the records).
		const trail = SM.trailLayer(ctl).addTo(map);

		if (hash) { hash.enable(); }
		SM.printView(map, ctl).enable();
		// The slide view: on with `#present` (or present.enable()), over everything above.
		const present = SM.presentView(map, ctl, {story: story, hash: !!hash}).watch();
		// Measured again now that every layer is in: the attribution they bring moves the
		// buttons of the bottom right corner, which the sheet must stop above.
		layout.update();
		map.on('baselayerchange', function () { layout.update(); });
		ctl.on('change', function (e) {
			if (e.monthChanged) { announceMonth(map, ctl, false); }
		});
		announceMonth(map, ctl, true);

		SM.current = {map: map, controller: ctl, records: records, badges: badges, control: control, movements: movements,
			layout: layout, sheet: sheet, bar: bar, limits: limits, places: places, histogram: bar.getHistogram(),
			search: search, story: story, strength: strength, present: present, notice: notice, trail: trail,
			window: bar.getWindowControl()};
		window.siberiaMap = api(ctl, {control: control, movements: movements, story: story});
		return ctl;
	}
})(L);
