/*
 * L.SiberiaMap.CountBadgeLayer: in a busy month, one count badge per place instead of a
 * symbol per record.
 *
 * At a million records a month shows about 100,000 of them at a few hundred places: a
 * symbol each is unreadable and costs a pass over every record on each step. When the
 * controller says the window is such a month (`Controller.summarized`: one month, more
 * records than its `badgeThreshold`), the record layer draws none of them and this layer
 * draws a badge per place from the counts Python made (the payload's `counts`, per month,
 * place and contingent list: output/columns.py, place_counts), so a step costs the places, not the
 * records. A badge counts the records the legend leaves shown and takes the colour of the
 * contingent with most of them. Clicking it lists the place's records of the month (the
 * first `listSize`, found then and not before), each opening its own popup; the events list
 * stays the keyboard's way to them. Below the threshold the layer draws nothing and the map
 * is as it always was.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	// Badge geometry in CSS pixels: text height, padding around the text, outline.
	const FONT = 'bold 11px system-ui, sans-serif';
	const HALF_HEIGHT = 9;
	const PAD = 6;
	// Room around a pill's sprite for its outline (half of 1.5 px) and antialiasing.
	const PILL_MARGIN = 2;
	// A pill's opaque inside, row by row: the rows from CORE_TOP down (relative to the
	// pill's middle), and for each how far its whole pixels reach beyond the centre of the
	// end's half-circle. The pill is opaque out to HALF_HEIGHT and its white outline's
	// half width (0.75): along its straight top and bottom, every pixel inside that is
	// opaque; along the half-circles the antialiasing leaves pixels up to a pixel inside
	// at 253 or 254 of 255, so there the inside is taken 1.25 px short of the edge
	// (checked on the page's own badges: test_badges_browser).
	const CORE_EDGE = HALF_HEIGHT + 0.75;
	const CORE_RADIUS = CORE_EDGE - 1.25;
	const CORE_TOP = -Math.floor(CORE_EDGE);
	const CORE_REACH = (function () {
		const out = [];
		for (let row = CORE_TOP; row < -CORE_TOP; row++) {
			const dy = Math.max(Math.abs(row), Math.abs(row + 1));
			out.push(dy <= CORE_RADIUS ? Math.floor(Math.sqrt(CORE_RADIUS * CORE_RADIUS - dy * dy)) : 0);
		}
		return out;
	})();

	SM.CountBadgeLayer = L.Layer.extend({

		// @option records: L.SiberiaMap.RecordLayer = null
		// The record layer, whose chooser lists a badge's records and opens their popups.
		//
		// @option pane: String = 'smBadges'
		// Pane of the badges' canvas, created above the records and the place labels, with
		// pointer events off (a click on the map is matched to a badge with `badgeAt`).
		//
		// @option listSize: Number = 50
		// Most records a badge's list shows: a badge can stand for thousands of them, and a
		// list that long would cost more than the step it replaces.
		options: {
			records: null,
			pane: 'smBadges',
			listSize: 50
		},

		initialize: function (controller, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			this._model = controller.model;
			// The month's badges, `{g, count, colour, latlng}`, and where each was drawn
			// (container pixels: centre and half width) for the pointer.
			this._items = [];
			this._itemsKey = null;
			this._boxes = [];
			this._total = new Float64Array(this._model.geoms.length);
			// What a step would otherwise work out again for each of a thousand badges: per
			// count its label and half width (Intl's formatting and measureText), per place
			// its projected point at the zoom they were projected at (`_projectedZoom`).
			this._labels = new Map();
			this._pills = new Map();
			this._cores = new Map();
			this._projected = new Map();
			this._projectedZoom = null;
		},

		onAdd: function (map) {
			// One canvas, not a DOM marker per place: a million records stand at over a
			// thousand places and stretches, and as many elements cost more to restyle and
			// lay out on each step than the badges do to draw.
			this._canvas = L.DomUtil.create('canvas', 'sm-badges leaflet-zoom-hide', util.overlayPane(map, this.options.pane, 640));
			map.on('moveend zoomend viewreset resize', this._draw, this);
			// On the container itself: a click on the shared canvas goes to the records' hit
			// area (RecordHitArea), not to the map.
			L.DomEvent.on(map.getContainer(), 'click', this._onClick, this);
			this._ctl.on('change', this._update, this);
			this._update();
		},

		onRemove: function (map) {
			map.off('moveend zoomend viewreset resize', this._draw, this);
			L.DomEvent.off(map.getContainer(), 'click', this._onClick, this);
			this._ctl.off('change', this._update, this);
			L.DomUtil.remove(this._canvas);
			this._canvas = null;
			this._items = [];
			this._itemsKey = null;
			this._boxes = [];
		},

		// @method counts(): Array
		// The badges drawn, `[{g, count}]` by geometry index (for tests and embedding pages).
		counts: function () {
			return this._items.map(function (it) { return {g: it.g, count: it.count}; })
				.sort(function (a, b) { return a.g - b.g; });
		},

		// @method pointOf(g: Number): Point
		// Where geometry g's badge is drawn, in container pixels; null when it has none.
		pointOf: function (g) {
			for (let i = 0; i < this._boxes.length; i++) {
				if (this._boxes[i].g === g) { return L.point(this._boxes[i].x, this._boxes[i].y); }
			}
			return null;
		},

		// @method badgeAt(containerPoint: Point): Number
		// The geometry index of the badge drawn at that point (the one on top), or -1.
		badgeAt: function (p) {
			for (let i = this._boxes.length - 1; i >= 0; i--) {
				const b = this._boxes[i];
				if (Math.abs(p.x - b.x) <= b.w && Math.abs(p.y - b.y) <= HALF_HEIGHT) { return b.g; }
			}
			return -1;
		},

		// @method openList(g: Number): L.Popup
		// Lists the records of the month at geometry `g`, as a click on its badge does; null
		// when it has no badge.
		openList: function (g) {
			const layer = this.options.records;
			const item = this._items.filter(function (it) { return it.g === g; })[0];
			if (!item || !layer || !this._map) { return null; }
			const recs = this._ctl.visibleRecords();
			const shown = [];
			let total = 0;
			for (let i = 0; i < recs.length; i++) {
				if (recs[i].g !== g) { continue; }
				total++;
				if (shown.length < this.options.listSize) { shown.push(recs[i]); }
			}
			const popup = layer.openChooser(shown, item.latlng);
			if (total > shown.length) {
				util.el('p', 'sm-badge-more', popup.getContent(), util.t('badge.more', {shown: shown.length, total: total}));
				popup.update();
			}
			return popup;
		},

		// Only clicks on the map itself (its panes), never on a panel or control over it.
		_onClick: function (e) {
			if (!this._items.length || !this._map.getPane('mapPane').contains(e.target)) { return; }
			const g = this.badgeAt(this._map.mouseEventToContainerPoint(e));
			if (g >= 0) { this.openList(g); }
		},

		_update: function () {
			if (!this._map) { return; }
			this._items = this._ctl.summarized() ? this._collect(this._ctl) : [];
			this._itemsKey = this._stateKey(this._ctl);
			this._draw();
		},

		// @method cover(at?: Object): Object
		// What the badges hide of the map beneath them, now or at `at` (a Controller.at
		// view): `{mask, x, y}`, an OcclusionMask of the map's view in world pixels at its
		// zoom, (x, y) its top left, with the opaque inside of every badge that state shows
		// marked (see CORE_REACH); null when it shows none, or when the map pane stands at
		// a fraction of a pixel. The movements drawn under the records leave out what lies
		// entirely beneath (MovementLayer `cover`).
		cover: function (at) {
			const map = this._map;
			const ctl = at || this._ctl;
			if (!map || !ctl.summarized()) { return null; }
			// A map pane at a fraction of a pixel (a touch drag) shows the records' canvas
			// resampled, each pixel blended into its neighbours: then nothing is left out.
			const pane = L.DomUtil.getPosition(map.getPane('mapPane'));
			if (pane.x !== Math.round(pane.x) || pane.y !== Math.round(pane.y)) { return null; }
			const key = this._stateKey(ctl);
			const items = key === this._itemsKey ? this._items : this._collect(ctl);
			if (!items.length) { return null; }
			const size = map.getSize();
			const topLeft = map.containerPointToLayerPoint([0, 0]).add(map.getPixelOrigin()).floor();
			const mask = (this._mask = this._mask || new SM.OcclusionMask()).reset(size.x + 2, size.y + 2);
			const ctx = this._canvas.getContext('2d');
			ctx.font = FONT;
			this._project(map.getZoom());
			for (let i = 0; i < items.length; i++) {
				const it = items[i];
				const p = this._projectedOf(it, map);
				const w = this._label(ctx, it.count).w;
				const x = p.x - topLeft.x;
				const y = p.y - topLeft.y;
				mask.cover(x, y + CORE_TOP, this._core(w));
			}
			return {mask: mask, x: topLeft.x, y: topLeft.y};
		},

		// What the badges of a state depend on besides the counts: its month, whether it
		// shows badges at all, and the hidden contingents.
		_stateKey: function (ctl) {
			return ctl.summarized() ? ctl.monthIndex() + ':' + ctl.hiddenIndices().join() : '';
		},

		// The month's badges from the counts: per place, the records the legend leaves
		// shown, in the colour of the contingent with most of them there.
		_collect: function (ctl) {
			const counts = this._model.counts;
			const m = ctl.monthIndex();
			// Per contingent list: the colour its records take now, or -2 when the legend
			// hides them all (an event of no contingent is always shown, in neutral grey).
			const colour = counts.lists.map(function (list) {
				if (!ctl.isRecordVisible({c: list, type: 'event'})) { return -2; }
				return ctl.recordColourIndex({c: list});
			});
			const total = this._total;
			const best = new Map();
			const places = [];
			for (let e = counts.start[m]; e < counts.start[m + 1]; e++) {
				const ci = colour[counts.k[e]];
				if (ci === -2) { continue; }
				const g = counts.g[e];
				const n = counts.n[e];
				if (!total[g]) { places.push(g); }
				total[g] += n;
				const top = best.get(g);
				if (!top || n > top.n) { best.set(g, {n: n, ci: ci}); }
			}
			const items = [];
			for (let i = 0; i < places.length; i++) {
				const g = places[i];
				const at = SM.Model.anchorOf(this._model.geoms[g]);
				const ci = best.get(g).ci;
				if (at) {
					items.push({g: g, count: total[g], latlng: L.latLng(at[0], at[1]),
						colour: ci < 0 ? util.NEUTRAL : this._model.contingents[ci].colour});
				}
				total[g] = 0;
			}
			// Smaller counts first, so the busiest places are drawn on top.
			return items.sort(function (a, b) { return a.count - b.count || a.g - b.g; });
		},

		_draw: function () {
			const map = this._map;
			const canvas = this._canvas;
			if (!map || !canvas) { return; }
			const size = map.getSize();
			const ratio = window.devicePixelRatio || 1;
			const ctx = canvas.getContext('2d');
			L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
			if (canvas.width !== size.x * ratio || canvas.height !== size.y * ratio) {
				canvas.width = size.x * ratio;
				canvas.height = size.y * ratio;
				canvas.style.width = size.x + 'px';
				canvas.style.height = size.y + 'px';
			} else if (this._boxes.length) {
				ctx.setTransform(1, 0, 0, 1, 0, 0);
				ctx.clearRect(0, 0, canvas.width, canvas.height);
			}
			this._boxes = [];
			// Not on the page while empty: Chromium copies every visible canvas on every frame
			// it composites in software, drawn on or not (see CanvasSurface).
			util.setHidden(canvas, !this._items.length);
			if (!this._items.length) { return; }
			ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
			ctx.font = FONT;
			ctx.textAlign = 'center';
			ctx.textBaseline = 'middle';
			ctx.fillStyle = '#fff';
			this._project(map.getZoom());
			// (Below: latLngToContainerPoint, with the projection kept per place.)
			const origin = map.getPixelOrigin();
			for (let i = 0; i < this._items.length; i++) {
				const it = this._items[i];
				const p = map.layerPointToContainerPoint(this._projectedOf(it, map).subtract(origin));
				if (p.x < -50 || p.y < -20 || p.x > size.x + 50 || p.y > size.y + 20) { continue; }
				const label = this._label(ctx, it.count);
				const w = label.w;
				// Whole pixels, so the pill's copy is a plain blit.
				const x = Math.round(p.x);
				const y = Math.round(p.y);
				const pill = this._pill(it.colour, w, ratio);
				ctx.drawImage(pill, x - w - PILL_MARGIN, y - HALF_HEIGHT - PILL_MARGIN,
					2 * (w + PILL_MARGIN), 2 * (HALF_HEIGHT + PILL_MARGIN));
				ctx.fillText(label.text, x, y + 0.5);
				this._boxes.push({g: it.g, x: x, y: y, w: w});
			}
		},

		// Places' points are kept per zoom: a thousand badges a step would otherwise each
		// be projected again.
		_project: function (zoom) {
			if (zoom !== this._projectedZoom) {
				this._projected.clear();
				this._projectedZoom = zoom;
			}
		},

		// A badge's place in world pixels, whole, at the zoom of the last _project.
		_projectedOf: function (it, map) {
			let at = this._projected.get(it.g);
			if (!at) { this._projected.set(it.g, at = map.project(it.latlng, this._projectedZoom)._round()); }
			return at;
		},

		// A badge's pill (filled in `colour`, outlined in white) of half width `w` CSS
		// pixels, rendered once at `ratio` device pixels per CSS pixel, with PILL_MARGIN
		// pixels around it for the outline. A busy month has over a thousand badges in a
		// few colours and widths: filling and stroking each pill's curves took most of
		// the badges' part of a step, copying them a fraction.
		_pill: function (colour, w, ratio) {
			const key = colour + ' ' + w + ' ' + ratio;
			let pill = this._pills.get(key);
			if (!pill) {
				const cx = w + PILL_MARGIN;
				const cy = HALF_HEIGHT + PILL_MARGIN;
				pill = util.sprite(2 * cx * ratio, 2 * cy * ratio, function (ctx) {
					ctx.scale(ratio, ratio);
					ctx.beginPath();
					ctx.moveTo(cx - w + HALF_HEIGHT, cy - HALF_HEIGHT);
					ctx.arc(cx + w - HALF_HEIGHT, cy, HALF_HEIGHT, -Math.PI / 2, Math.PI / 2);
					ctx.arc(cx - w + HALF_HEIGHT, cy, HALF_HEIGHT, Math.PI / 2, Math.PI * 1.5);
					ctx.closePath();
					ctx.fillStyle = colour;
					ctx.fill();
					ctx.lineWidth = 1.5;
					ctx.strokeStyle = '#fff';
					ctx.stroke();
				});
				this._pills.set(key, pill);
			}
			return pill;
		},

		// The opaque inside of a pill of half width `w` as OcclusionMask spans (per row from
		// CORE_TOP, [from, to) columns from its middle), kept per width.
		_core: function (w) {
			let core = this._cores.get(w);
			if (!core) {
				core = new Int16Array(2 * CORE_REACH.length);
				// The ends' half-circles are centred HALF_HEIGHT in from the ends.
				const straight = w - HALF_HEIGHT;
				for (let r = 0; r < CORE_REACH.length; r++) {
					core[2 * r] = -straight - CORE_REACH[r];
					core[2 * r + 1] = straight + CORE_REACH[r];
				}
				this._cores.set(w, core);
			}
			return core;
		},

		// A count's label and the badge's half width, in whole pixels (ctx has the badges'
		// font).
		_label: function (ctx, count) {
			let label = this._labels.get(count);
			if (!label) {
				if (this._labels.size >= 100000) { this._labels.clear(); }
				const text = SM.i18n.number(count);
				label = {text: text, w: Math.round(Math.max(HALF_HEIGHT, ctx.measureText(text).width / 2 + PAD))};
				this._labels.set(count, label);
			}
			return label;
		}
	});

	SM.countBadgeLayer = function (controller, options) {
		return new SM.CountBadgeLayer(controller, options);
	};
})(L);
