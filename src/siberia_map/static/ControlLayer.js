/*
 * L.SiberiaMap.ControlLayer: who held each station and town in the current month.
 *
 * The control chronology (`payload.control`, see docs/architecture.md) comes already sliced
 * into months by the Python side: per controlled place, runs of months with one holder. This
 * layer only looks the month up and colours what it has: a band along the railway in the
 * holder's colour (under the railway line and the records, so both stay legible), hatched
 * where the place was contested, a front mark where neighbouring stations were held by
 * opposite camps, and faint approximate areas around the held places.
 *
 * Speed: the holders of every place in every month are worked out once, at start, into one
 * typed array; a step re-styles only the pieces whose holder changed since the last month
 * drawn, so a quiet month costs nothing and Leaflet's canvas redraws only where they lie.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;
	const CAMP = {allied: 1, white: 1, red: 2};

	SM.ControlLayer = L.Layer.extend({

		// @option pane: String = 'smControl'
		// Created on demand above the basemap and below the overlay pane (railways, records).
		//
		// @option band: Path options
		// The holder's colour along the railway, wider than the railway line drawn over it.
		//
		// @option hatch: Path options
		// Dashes over the band where the place was contested that month.
		//
		// @option area: Path options
		// The approximate areas of control: faint, because they are an approximation.
		//
		// @option front: Path options
		// The mark between two stations held by opposite camps.
		options: {
			pane: 'smControl',
			band: {weight: 9, opacity: 0.55, lineCap: 'butt', lineJoin: 'round', interactive: false},
			hatch: {weight: 9, opacity: 0.9, color: '#ffffff', dashArray: '2 5', lineCap: 'butt', interactive: false},
			area: {stroke: false, fillOpacity: 0.13, interactive: false},
			front: {radius: 6, weight: 2.5, color: '#111111', fillColor: '#ffffff', fillOpacity: 1, interactive: false}
		},

		// @param controller: L.SiberiaMap.Controller
		initialize: function (controller, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			const c = controller.model.payload.control || {};
			this._authorities = (Array.isArray(c.authorities) ? c.authorities : []).map(function (a) {
				a = a || {};
				return {id: util.str(a.id), name: util.str(a.name), side: util.str(a.side),
					colour: util.colour(a.colour), note: util.str(a.note), source: util.str(a.source)};
			});
			// Per authority: 1 allied or white, 2 red, 0 neither (fronts are between 1 and 2).
			this._camps = this._authorities.map(function (a) { return CAMP[a.side] || 0; });
			this._places = Array.isArray(c.places) ? c.places : [];
			this._pieces = Array.isArray(c.pieces) ? c.pieces : [];
			this._cells = Array.isArray(c.cells) ? c.cells : [];
			this._rows = c.rows || {};
			this._holders(Array.isArray(c.runs) ? c.runs : []);
			this._drawn = -1;
		},

		hasData: function () {
			return this._places.length > 0 && this._authorities.length > 0;
		},

		authorities: function () {
			return this._authorities;
		},

		// Per month and place: the authority index (-1: nobody recorded), whether contested,
		// and the control row behind it; one typed array each, filled once.
		_holders: function (runs) {
			const months = this._ctl.model.months.length;
			const n = this._places.length;
			this._held = new Int16Array(months * n).fill(-1);
			this._contested = new Uint8Array(months * n);
			this._row = new Int32Array(months * n).fill(-1);
			this._since = new Int32Array(months * n).fill(-1);
			for (let p = 0; p < n; p++) {
				const seq = Array.isArray(runs[p]) ? runs[p] : [];
				let start = -1;
				let prevA = -2;
				for (let k = 0; k < seq.length; k++) {
					const r = seq[k];
					const a = r[2] | 0;
					if (!this._authorities[a]) { continue; }
					// "Since": the first month of an unbroken hold by the same authority.
					if (a !== prevA || (k && seq[k - 1][1] !== r[0] - 1)) { start = r[0]; }
					prevA = a;
					for (let m = Math.max(0, r[0]); m <= Math.min(months - 1, r[1]); m++) {
						this._held[m * n + p] = a;
						this._contested[m * n + p] = r[3] ? 1 : 0;
						this._row[m * n + p] = r[4];
						this._since[m * n + p] = start;
					}
				}
			}
		},

		// @method holderAt(placeIndex: Number, month?: Number): Object|null
		// `{authority, contested, since (month index), row}` for a controlled place.
		holderAt: function (p, month) {
			const m = month === undefined ? this._ctl.monthIndex() : month;
			const k = m * this._places.length + p;
			const a = this._held[k];
			if (a === undefined || a < 0) { return null; }
			return {authority: this._authorities[a], contested: !!this._contested[k], since: this._since[k], row: this._row[k]};
		},

		// @method placeAt(latlng: LatLng): Number
		// The controlled place whose area holds the point, or -1.
		placeAt: function (latlng) {
			for (let i = 0; i < this._cells.length; i++) {
				const cell = this._cells[i];
				if (cell && SM.ControlLayer.inPolygons(cell.c, latlng.lat, latlng.lng)) { return cell.p; }
			}
			return -1;
		},

		row: function (i) {
			const col = function (name) { return Array.isArray(this._rows[name]) ? util.str(this._rows[name][i]) : ''; };
			return {where: col.call(this, 'where'), date: col.call(this, 'date'), when: col.call(this, 'when'),
				note: col.call(this, 'note'), src: col.call(this, 'src'),
				cite: Array.isArray(this._rows.cite) && Array.isArray(this._rows.cite[i]) ? this._rows.cite[i] : []};
		},

		onAdd: function (map) {
			const o = this.options;
			util.overlayPane(map, o.pane, 300);
			// Redrawn in the months its holders change: no padding (see FollowCanvas).
			this._renderer = SM.followCanvas({pane: o.pane});
			const base = {pane: o.pane, renderer: this._renderer};
			this._areaLayers = [];
			this._bandLayers = [];
			this._hatchLayers = [];
			this._frontLayers = [];
			let i;
			for (i = 0; i < this._cells.length; i++) {
				this._areaLayers.push(L.polygon(this._cells[i].c || [], L.extend({}, base, o.area, {fillOpacity: 0})));
			}
			for (i = 0; i < this._pieces.length; i++) {
				const piece = this._pieces[i];
				this._bandLayers.push(L.polyline(piece.c || [], L.extend({}, base, o.band, {opacity: 0})));
				this._hatchLayers.push(L.polyline(piece.c || [], L.extend({}, base, o.hatch, {opacity: 0})));
				// One mark per front, at the middle of the railway between the two stations: the
				// piece is halved there (output/blocks.py), and only the first half says where
				// (`m`); the second half, ending at the other station, has none.
				this._frontLayers.push(piece.m ? L.circleMarker(piece.m, L.extend({}, base, o.front, {opacity: 0, fillOpacity: 0})) : null);
			}
			this._group = L.layerGroup([].concat(this._areaLayers, this._bandLayers, this._hatchLayers,
				this._frontLayers.filter(Boolean))).addTo(map);
			this._drawn = -1;
			this._state = null;  // the layers are new: every one gets its style
			this._ctl.on('change', this._update, this);
			this._update();
		},

		onRemove: function (map) {
			this._ctl.off('change', this._update, this);
			map.removeLayer(this._group);
			// The canvas goes too: an empty one would still be composited on every frame.
			map.removeLayer(this._renderer);
			this._group = this._renderer = null;
		},

		// Re-styles only what changed since the month drawn last.
		_update: function () {
			const m = this._ctl.monthIndex();
			if (m === this._drawn) { return; }
			const n = this._places.length;
			const o = this.options;
			const nc = this._cells.length;
			let i;
			// One small integer per area and piece (holder, contested, front): a quiet month
			// compares numbers and re-styles nothing.
			const state = this._state && this._state.length === nc + this._pieces.length ? this._state :
				new Int32Array(nc + this._pieces.length).fill(-9);
			for (i = 0; i < nc; i++) {
				const p = this._cells[i].p;
				const a = this._held[m * n + p];
				const c = this._contested[m * n + p];
				const key = a * 2 + c;
				if (state[i] === key) { continue; }
				state[i] = key;
				const auth = this._authorities[a];
				this._areaLayers[i].setStyle(auth ? {fillColor: auth.colour,
					fillOpacity: c ? o.area.fillOpacity / 2 : o.area.fillOpacity} : {fillOpacity: 0});
			}
			for (i = 0; i < this._pieces.length; i++) {
				const piece = this._pieces[i];
				const own = this._held[m * n + piece.a];
				const other = this._held[m * n + piece.b];
				const contested = this._contested[m * n + piece.a] || this._contested[m * n + piece.b] ? 1 : 0;
				const front = own >= 0 && other >= 0 && this._camps[own] && this._camps[other] &&
					this._camps[own] !== this._camps[other] ? 1 : 0;
				const k = own * 4 + contested * 2 + front;
				if (state[nc + i] === k) { continue; }
				state[nc + i] = k;
				const holder = this._authorities[own];
				this._bandLayers[i].setStyle(holder ? {color: holder.colour, opacity: o.band.opacity} : {opacity: 0});
				this._hatchLayers[i].setStyle({opacity: holder && contested ? o.hatch.opacity : 0});
				if (this._frontLayers[i]) {
					this._frontLayers[i].setStyle(front ? {opacity: 1, fillOpacity: 1} : {opacity: 0, fillOpacity: 0});
				}
			}
			this._state = state;
			this._drawn = m;
			this.fire('update', {month: m});
		}
	});

	// Even-odd test of [lat, lon] polygons (Leaflet's nested multi-polygon form).
	SM.ControlLayer.inPolygons = function (polys, lat, lon) {
		let inside = false;
		for (let p = 0; p < (polys || []).length; p++) {
			const rings = polys[p] || [];
			for (let r = 0; r < rings.length; r++) {
				const ring = rings[r] || [];
				for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
					const yi = ring[i][0];
					const xi = ring[i][1];
					const yj = ring[j][0];
					const xj = ring[j][1];
					if ((yi > lat) !== (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi) { inside = !inside; }
				}
			}
		}
		return inside;
	};

	SM.controlLayer = function (controller, options) {
		return new SM.ControlLayer(controller, options);
	};
})(L);
