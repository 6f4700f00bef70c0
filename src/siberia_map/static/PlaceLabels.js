/*
 * L.SiberiaMap.PlaceLabels: the gazetteer on the map, in 1918 names.
 *
 * Places marked `label` get a permanent label; every point place gets a small dot that
 * explains itself on hover and click (other spellings, modern name, source), because a
 * reader meeting "Novonikolaevsk" needs to find Novosibirsk. Lakes, rivers and regions that
 * come with a shape are drawn faintly: they orient, they are not data.
 *
 * Labels are DOM (crisp text, real fonts) in a pane above the canvas that ignores the
 * pointer, so they never block clicks on the records beneath them. Which labels show is
 * decided on every zoom, pan and month: the places where this month's records sit first,
 * then by kind (cities and ports, then lakes, towns, stations; regions and rivers last)
 * and by how many records a place has over the whole chronology. Each label takes the
 * first of right, left, above and below its place where it covers no label already
 * placed, no symbol of the month and no control; a label with no such room, or that the
 * symbols would push more than about a label's height from its place, is hidden.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	const AREA_KINDS = {lake: 1, river: 1, region: 1, country: 1};
	// Pixels from a place's point to the start of its label (matches .sm-label-text in CSS).
	const LABEL_GAP = 6;
	// Pixels kept between a label and the symbols drawn at any place: the pointer's
	// tolerance around a symbol (RecordCanvas), so a label never lies on a symbol's target.
	const SYMBOL_MARGIN = 3;

	// Kind -> tier (lower wins). A place with records this month moves up two tiers, so a
	// town where something is happening wins over a quiet city, and over any region.
	const TIER = {city: 1, port: 1, lake: 2, town: 3, station: 4, village: 5, site: 5, region: 6,
		country: 6, river: 7};

	function flatten(c, out) {
		out = out || [];
		if (Array.isArray(c) && typeof c[0] === 'number') {
			out.push([c[0], c[1]]);
		} else if (Array.isArray(c)) {
			for (let i = 0; i < c.length; i++) { flatten(c[i], out); }
		}
		return out;
	}

	// Whether two clearances (see setClearance) name the same places with the same reach.
	function sameClearance(a, b) {
		if (!a || !b) { return false; }
		let n = 0;
		for (const key in b) {
			if (a[key] !== b[key]) { return false; }
			n++;
		}
		return Object.keys(a).length === n;
	}

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
		//
		// @option layout: L.SiberiaMap.Layout = null
		// Where the controls are: place popups open clear of them, labels stay out from
		// under them.
		//
		// @option weights: Object = {}
		// "lat,lon" of a place -> how many records it has in all months: the tie-breaker
		// between places of one tier.
		//
		// @option maxDrift: Number = 1.6
		// Most label heights between a place and the near edge of its label: a name pushed
		// further out by the symbols there would read as another spot's, so it is not drawn.
		options: {
			maxDrift: 1.6,
			renderer: null,
			layout: null,
			weights: {},
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
			const o = this.options;
			util.overlayPane(map, o.labelPane, 450);
			const shapes = [];
			const dots = [];
			this._labels = [];
			for (let i = 0; i < this._places.length; i++) {
				const place = this._places[i] || {};
				const geom = this._geoms[place.g];
				const latlng = this._position(place, geom);
				if (!latlng) { continue; }
				const area = !!AREA_KINDS[place.kind];
				if (geom && geom.t === 'pg') {
					shapes.push(L.polygon(geom.c, L.extend({renderer: o.renderer}, o.area)));
				} else if (geom && geom.t === 'ln') {
					shapes.push(L.polyline(geom.c, L.extend({renderer: o.renderer}, o.line)));
				}
				// Lakes, rivers, regions and countries are named, not pinned: a dot in the
				// middle of "MONGOLIA" would claim a precision the name does not have.
				if (!area) {
					const dot = L.circleMarker(latlng, L.extend({renderer: o.renderer},
						place.label ? o.dot : o.minorDot));
					dot.bindTooltip(this._tooltipContent(place), {direction: 'top', offset: [0, -4],
						className: 'sm-tooltip'});
					dot.bindPopup(SM.popup({className: 'sm-popup-wrap', maxWidth: 300, layout: o.layout})
						.setContent(this._popupContent(place)));
					dots.push(dot);
				}
				// Lakes are named whether or not the data marks them (Baikal orients the east).
				if (place.label || (place.kind === 'lake' && geom && geom.t === 'pg')) {
					this._labels.push(this._label(place, latlng, area, i));
				}
			}
			this._shapes = L.layerGroup(shapes).addTo(map);
			this._dots = L.layerGroup(dots).addTo(map);
			this._labelGroup = L.layerGroup(this._labels.map(function (l) { return l.marker; })).addTo(map);
			this._obstacles = [];
			this._busy = {};
			this._anchors = new Map();
			// (A zoom ends with a moveend too. The side sheet opening, folding or changing tab
			// covers or frees labels as a control folding does.)
			map.on('moveend resize', this._onMove, this);
			L.DomEvent.on(map.getContainer(), 'sm-toggle sm-sheet', this._onMove, this);
			this._onMove();
		},

		onRemove: function (map) {
			map.off('moveend resize', this._onMove, this);
			L.DomEvent.off(map.getContainer(), 'sm-toggle sm-sheet', this._onMove, this);
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
			const c = geom.t === 'pt' ? geom.c : geom.p;
			return Array.isArray(c) && c.length >= 2 ? L.latLng(+c[0], +c[1]) : null;
		},

		// @method setClearance(clearance: Object): this
		// What this month draws: `clearance` maps "lat,lon" of each place with symbols (as in
		// the geometry) to how many pixels they reach from it. Labels of those places move
		// up in importance and out beyond their symbols; no label covers the others.
		setClearance: function (clearance) {
			// (Consecutive months often draw at the same places: a third of the default map's
			// steps. The labels then stay where they are.)
			if (sameClearance(this._busy, clearance)) { return this; }
			const obstacles = [];
			const keys = Object.keys(clearance);
			for (let i = 0; i < keys.length; i++) {
				obstacles.push({key: keys[i], anchor: this._anchor(keys[i]), r: clearance[keys[i]] + SYMBOL_MARGIN, p: null});
			}
			this._obstacles = obstacles;
			this._busy = clearance;
			this._declutter();
			return this;
		},

		// A place with symbols, by its "lat,lon" key: parsed once, projected once per view.
		_anchor: function (key) {
			let a = this._anchors.get(key);
			if (!a) {
				const comma = key.indexOf(',');
				a = {latlng: L.latLng(+key.slice(0, comma), +key.slice(comma + 1)), p: null, view: null};
				this._anchors.set(key, a);
			}
			return a;
		},

		// Which view layer pixels are for: they change with the zoom and the pixel origin (a
		// pan far enough, a zoom), never with the month.
		_viewKey: function () {
			const o = this._map.getPixelOrigin();
			return this._map.getZoom() + ':' + o.x + ':' + o.y;
		},

		// The controls' boxes change with a pan (in layer pixels) or a resize; read them here,
		// not on every month step.
		_onMove: function () {
			if (!this._map) { return; }
			const layout = this.options.layout;
			const map = this._map;
			this._controls = layout ? layout.boxes().map(function (b) {
				const min = map.containerPointToLayerPoint([b.x0, b.y0]);
				const max = map.containerPointToLayerPoint([b.x1, b.y1]);
				return L.bounds(min, max);
			}) : [];
			// A label cut by the window's edge is no label.
			this._view = L.bounds(map.containerPointToLayerPoint([0, 0]), map.containerPointToLayerPoint(map.getSize()));
			this._declutter();
		},

		_label: function (place, latlng, area, order) {
			const kind = /^[a-z]+$/.test(place.kind) ? place.kind : 'other';
			const text = util.el('span', 'sm-label-text', null, SM.i18n.placeName(place));
			const icon = L.divIcon({
				html: text,
				className: 'sm-label sm-label-' + kind + (area ? ' sm-label-area' : ''),
				iconSize: [0, 0],
				iconAnchor: [0, 0]
			});
			const key = latlng.lat + ',' + latlng.lng;
			const geom = this._geoms[place.g];
			return {
				// An area's extent: its name is shown first while the area is big on screen.
				bounds: area && geom && geom.t !== 'pt' ? L.latLngBounds(flatten(geom.c)) : null,
				marker: L.marker(latlng, {icon: icon, pane: this.options.labelPane, interactive: false,
					keyboard: false}),
				latlng: latlng,
				area: area,
				text: text,
				tier: TIER[kind] === undefined ? 8 : TIER[kind],
				weight: +this.options.weights[key] || 0,
				key: key,
				order: order,
				size: null,
				spot: null,
				// Layer pixels of the place (and an area's extent) for the view `view`.
				p: null,
				extent: 0,
				view: null
			};
		},

		// Greedy placement, most important first: a label goes to the first spot around its
		// place whose box (padded a little) meets no label placed so far, no symbol and no
		// control. Text sizes are measured once; only the spot and the hidden class are
		// written, and only when they change.
		_declutter: function () {
			if (!this._map || !this._labels) { return; }
			const map = this._map;
			const pad = this.options.labelGap;
			const busy = this._busy;
			const shown = [];
			let i;
			let j;
			const obstacles = this._obstacles.slice();
			const controls = this._controls || [];
			const all = this._labels;
			// (Projected again only when the view changed: a month step moves no place.)
			const view = this._viewKey();
			for (i = 0; i < obstacles.length; i++) {
				const a = obstacles[i].anchor;
				if (a.view !== view) {
					a.p = map.latLngToLayerPoint(a.latlng);
					a.view = view;
				}
				obstacles[i].p = a.p;
			}
			for (i = 0; i < all.length; i++) {
				const lab = all[i];
				if (!lab.size || !lab.size.x) { lab.size = L.point(lab.text.offsetWidth, lab.text.offsetHeight); }
				if (lab.view !== view) {
					lab.p = map.latLngToLayerPoint(lab.latlng);
					if (lab.bounds) {
						const ne = map.latLngToLayerPoint(lab.bounds.getNorthEast());
						const sw = map.latLngToLayerPoint(lab.bounds.getSouthWest());
						lab.extent = Math.max(ne.x - sw.x, sw.y - ne.y);
					}
					lab.view = view;
				}
				lab.rank = lab.tier - (busy[lab.key] !== undefined ? 2 : 0);
				if (lab.bounds) {
					// A lake big on the screen (Baikal) is named before the quiet cities, which
					// have more spots around them to go to; an area smaller than its name waits
					// until everything else is placed.
					lab.rank = lab.extent >= 0.6 * lab.size.x ? (lab.tier <= 2 ? 0.5 : lab.tier) : 9;
				} else {
					// Another place's dot is no place for a label.
					obstacles.push({key: lab.key, p: lab.p, r: 4});
				}
			}
			const labels = all.slice().sort(function (a, b) {
				return a.rank - b.rank || b.weight - a.weight || a.order - b.order;
			});
			for (i = 0; i < labels.length; i++) {
				const l = labels[i];
				const icon = l.marker._icon;
				if (!icon) { continue; }
				const p = l.p;
				const spots = this._spots(l, busy[l.key]);
				let found = null;
				for (j = 0; j < spots.length && !found; j++) {
					const box = L.bounds(p.add(spots[j].min).subtract([pad, pad]), p.add(spots[j].max).add([pad, pad]));
					if (this._clear(box, shown, obstacles, controls, l.key)) { found = {spot: spots[j], box: box}; }
				}
				const hidden = !found;
				if (hidden !== l.hidden) {
					L.DomUtil[hidden ? 'addClass' : 'removeClass'](icon, 'sm-label-hidden');
					l.hidden = hidden;
				}
				if (!found) { continue; }
				shown.push(found.box);
				if (l.spot !== found.spot.name + found.spot.min.x + ',' + found.spot.min.y) {
					l.spot = found.spot.name + found.spot.min.x + ',' + found.spot.min.y;
					l.text.style.left = found.spot.min.x + 'px';
					l.text.style.top = found.spot.min.y + 'px';
				}
			}
		},

		// Where a label may go, as boxes relative to its place, in order of preference: an
		// area's name on its middle; a place's right, left, above, below, then diagonally,
		// beyond the symbols drawn there (`reach` pixels) and the place's dot.
		_spots: function (l, reach) {
			const w = l.size.x;
			const h = l.size.y;
			if (l.area) {
				// On its middle, or a line above or below it, or a third of its width aside.
				const spots = [];
				[[0, 0], [0, -1], [0, 1], [-1, 0], [1, 0], [-1, -1], [1, -1]].forEach(function (k) {
					const left = -Math.round(w / 2) + Math.round(k[0] * w / 3);
					const top = -Math.round(h / 2) + k[1] * h;
					spots.push({name: 'c' + k[0] + k[1], min: L.point(left, top), max: L.point(left + w, top + h)});
				});
				return spots;
			}
			const g = Math.max(LABEL_GAP, Math.ceil((reach || 0) + SYMBOL_MARGIN));
			const half = Math.round(h / 2);
			const c = Math.round(w / 2);
			const d = Math.round(g * 0.7);
			if (g > this.options.maxDrift * h) { return []; }
			return [
				{name: 'r', min: L.point(g, -half), max: L.point(g + w, h - half)},
				{name: 'l', min: L.point(-g - w, -half), max: L.point(-g, h - half)},
				{name: 't', min: L.point(-c, -g - h), max: L.point(w - c, -g)},
				{name: 'b', min: L.point(-c, g), max: L.point(w - c, g + h)},
				{name: 'tr', min: L.point(d, -d - h), max: L.point(d + w, -d)},
				{name: 'br', min: L.point(d, d), max: L.point(d + w, d + h)},
				{name: 'tl', min: L.point(-d - w, -d - h), max: L.point(-d, -d)},
				{name: 'bl', min: L.point(-d - w, d), max: L.point(-d, d + h)}
			];
		},

		_clear: function (box, shown, obstacles, controls, key) {
			let i;
			const view = this._view;
			if (view && (box.min.x < view.min.x || box.min.y < view.min.y || box.max.x > view.max.x || box.max.y > view.max.y)) {
				// (Places off the screen keep their first spot: nothing to see either way.)
				if (view.overlaps(box)) { return false; }
			}
			for (i = 0; i < shown.length; i++) { if (shown[i].overlaps(box)) { return false; } }
			for (i = 0; i < controls.length; i++) { if (controls[i].overlaps(box)) { return false; } }
			for (i = 0; i < obstacles.length; i++) {
				const o = obstacles[i];
				if (o.key === key) { continue; }
				// Circle against rectangle: the nearest point of the box to the centre.
				const dx = Math.max(box.min.x - o.p.x, 0, o.p.x - box.max.x);
				const dy = Math.max(box.min.y - o.p.y, 0, o.p.y - box.max.y);
				if (dx * dx + dy * dy < o.r * o.r) { return false; }
			}
			return true;
		},

		_tooltipContent: function (place) {
			return function () {
				return util.el('div', 'sm-tip', null, SM.i18n.placeName(place));
			};
		},

		_popupContent: function (place) {
			return function () {
				const box = util.el('div', 'sm-popup sm-popup-place');
				util.el('div', 'sm-popup-kind', box, SM.i18n.term('kind.', place.kind));
				util.el('h3', 'sm-popup-title', box, SM.i18n.placeName(place));
				const dl = util.el('dl', 'sm-popup-facts', box);
				const names = SM.i18n.otherNames(place);
				util.row(dl, util.t('place.otherNames'), names.join(', '));
				util.row(dl, util.t('place.modern'), place.modern || place.modern_name);
				if (isFinite(place.precision_km) && place.precision_km !== null && place.precision_km !== '') {
					util.row(dl, util.t('place.precision'), util.t('place.within', {km: +place.precision_km}));
				}
				util.row(dl, util.t('popup.note'), place.note);
				if (util.str(place.source)) {
					util.row(dl, util.t('popup.source'), null, function (dd) { util.appendSource(dd, place.source); });
				}
				return box;
			};
		}
	});

	SM.placeLabels = function (places, geoms, options) {
		return new SM.PlaceLabels(places, geoms, options);
	};
})(L);
