/*
 * L.SiberiaMap.Layout: where the controls leave the map free, and keeping them apart.
 *
 * The map fills the window; over it stand a one-line title with the search beside it, one
 * side sheet (SideSheet: events, story, legend as tabs) and the time bar along the bottom.
 * Anything fitted into the view (the first view, a popup, a search result) is fitted into
 * the space they leave: `padding()` works that out from the boxes the controls actually
 * occupy, on any screen. It also gives the sheet's open pane the height it has (a list or a
 * chapter scrolls inside it instead of running under the time bar) and, on a narrow
 * screen, turns the sheet into a bottom sheet above the time bar.
 *
 * Nothing here runs on a month step: only on start, resize and when the sheet opens,
 * folds or changes tab, and for a popup or a fitted view when one is asked for.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	SM.Layout = L.Class.extend({

		// @option margin: Number = 10
		// Pixels kept between a fitted view or a popup and the controls around it.
		//
		// @option narrowBelow: Number = 700
		// Map width under which the sheet becomes a bottom sheet (matches the CSS).
		//
		// @option shortBelow: Number = 500
		// Map height under which the sheet starts folded (a phone held sideways).
		//
		// @option gap: Number = 8
		// Pixels between the time bar, the sheet and the controls above it.
		//
		// @option sheetShare: Number = 0.5
		// At most this share of the map's height for the open pane of a bottom sheet (the
		// map stays in sight above it).
		options: {
			margin: 10,
			narrowBelow: 700,
			shortBelow: 500,
			gap: 8,
			sheetShare: 0.5
		},

		// @param sheet: L.SiberiaMap.SideSheet
		// The one sheet (its panels inside).
		// @param bar: L.Control
		// The time bar (MonthControl).
		initialize: function (map, sheet, bar, options) {
			L.setOptions(this, options);
			this._map = map;
			this._sheet = sheet;
			this._bar = bar;
		},

		enable: function () {
			const c = this._map.getContainer();
			L.DomEvent.on(c, 'sm-toggle sm-sheet', this._onToggle, this);
			this._map.on('resize', this.update, this);
			this._narrow = null;
			this.update();
			return this;
		},

		disable: function () {
			L.DomEvent.off(this._map.getContainer(), 'sm-toggle sm-sheet', this._onToggle, this);
			this._map.off('resize', this.update, this);
			return this;
		},

		isNarrow: function () {
			return this._map.getSize().x < this.options.narrowBelow;
		},

		// @method isShort(): Boolean
		// A window too low for an open sheet beside the map at the start (a phone held
		// sideways): the sheet starts folded there, as on a narrow screen.
		isShort: function () {
			const size = this._map.getSize();
			return size.x < this.options.narrowBelow || size.y < this.options.shortBelow;
		},

		// @method update(): this
		// Re-measures the controls and sizes the sheet's pane to the room it has.
		update: function () {
			const narrow = this.isNarrow();
			const c = this._map.getContainer();
			if (narrow !== this._narrow) {
				this._narrow = narrow;
				L.DomUtil[narrow ? 'addClass' : 'removeClass'](c, 'sm-narrow');
			}
			this._sizeBar();
			if (narrow) { this._sizeBottomSheet(); } else { this._sizeSideSheet(); }
			return this;
		},

		_onToggle: function () {
			this.update();
		},

		// @method beforePopup(latlng?: LatLng, width?: Number): this
		// A popup about to open on a narrow screen comes above everything: the sheet folds.
		// So it does on a wider one when the popup (about `width` wide) at `latlng` could not
		// be panned clear of the sheet because the view may not go further east.
		beforePopup: function (latlng, width) {
			if (this._sheet.isFolded()) { return this; }
			if (this.isNarrow() || (latlng && this._blockedEast(latlng, width || 300))) { this._sheet.select(null); }
			return this;
		},

		_blockedEast: function (latlng, width) {
			const map = this._map;
			const bounds = map.options.maxBounds;
			const size = map.getSize();
			if (!bounds) { return false; }
			const x = map.latLngToContainerPoint(latlng).x;
			const east = map.latLngToContainerPoint([latlng.lat, bounds.getEast()]).x;
			const need = x + width / 2 + this.options.margin - (size.x - this.padding().r);
			return need > 0 && need > east - size.x;
		},

		// The time bar runs along the bottom up to the column of buttons in the bottom
		// right corner (zoom, base layers, attribution), so the two never meet; on a narrow
		// screen it has the whole width and the corner's buttons stand above it, beside the
		// sheet's tabs.
		_sizeBar: function () {
			const c = this._map.getContainer();
			const origin = c.getBoundingClientRect();
			let right = 0;
			if (this._narrow) {
				const bar = this._bar.getContainer().getBoundingClientRect();
				c.style.setProperty('--sm-bar-top', Math.ceil(origin.bottom - bar.top + this.options.gap) + 'px');
			} else {
				c.style.removeProperty('--sm-bar-top');
			}
			const corner = c.querySelectorAll('.leaflet-bottom.leaflet-right .leaflet-control');
			for (let i = 0; i < corner.length; i++) {
				const r = corner[i].getBoundingClientRect();
				if (r.width && r.height) { right = Math.max(right, origin.right - r.left); }
			}
			c.style.setProperty('--sm-bar-right', Math.ceil(right) + 'px');
		},

		// Top right: the open pane reaches down to the first control below it (the time
		// bar, the buttons in the bottom right corner), never under it.
		_sizeSideSheet: function () {
			const c = this._map.getContainer();
			const origin = c.getBoundingClientRect();
			const boxes = this.boxes();
			const sheet = this._sheet.getContainer();
			const panes = sheet.querySelector('.sm-sheet-panes');
			c.style.removeProperty('--sm-sheet-bottom');
			c.style.removeProperty('--sm-sheet-max');
			const p = sheet.getBoundingClientRect();
			const top = panes.getBoundingClientRect().top - origin.top;
			const left = p.left - origin.left;
			const right = p.right - origin.left;
			let limit = origin.height;
			for (let j = 0; j < boxes.length; j++) {
				const b = boxes[j];
				if (sheet.contains(b.el) || b.y0 <= top || b.x1 <= left || b.x0 >= right) { continue; }
				limit = Math.min(limit, b.y0);
			}
			c.style.setProperty('--sm-pane-max', Math.max(60, Math.floor(limit - this.options.gap - top)) + 'px');
		},

		// The tabs sit above the time bar and the open pane above them, up to the controls
		// at the top or `sheetShare` of the height. CSS places them from these numbers.
		_sizeBottomSheet: function () {
			const c = this._map.getContainer();
			const origin = c.getBoundingClientRect();
			const h = origin.height;
			const gap = this.options.gap;
			const bar = this._bar.getContainer().getBoundingClientRect();
			let top = 0;
			const sheet = this._sheet.getContainer();
			// (The panels in the sheet are controls too, of the top corner: not above it.)
			const corners = c.querySelectorAll('.leaflet-top .leaflet-control');
			for (let i = 0; i < corners.length; i++) {
				const r = corners[i].getBoundingClientRect();
				if (r.height && !sheet.contains(corners[i])) { top = Math.max(top, r.bottom - origin.top); }
			}
			const sheetBottom = h - (bar.top - origin.top) + gap;
			const strip = this._sheet.getContainer().querySelector('.sm-sheet-tabs').offsetHeight;
			c.style.setProperty('--sm-sheet-bottom', sheetBottom + 'px');
			c.style.setProperty('--sm-pane-max', Math.max(80, Math.min(h * this.options.sheetShare,
				h - sheetBottom - strip - top - 2 * gap)) + 'px');
		},

		// @method boxes(): Array
		// The boxes of the visible controls (and open sheets) in map container pixels:
		// `{el, x0, y0, x1, y1}`.
		boxes: function () {
			const c = this._map.getContainer();
			const origin = c.getBoundingClientRect();
			const out = [];
			const els = c.querySelectorAll('.leaflet-control, .sm-sheet:not(.sm-sheet-folded) .sm-sheet-panes');
			for (let i = 0; i < els.length; i++) {
				const r = els[i].getBoundingClientRect();
				if (r.width < 1 || r.height < 1 || window.getComputedStyle(els[i]).visibility === 'hidden') { continue; }
				out.push({el: els[i], x0: r.left - origin.left, y0: r.top - origin.top,
					x1: r.right - origin.left, y1: r.bottom - origin.top});
			}
			return out;
		},

		// @method padding(): Object
		// `{l, t, r, b}`: how far in from each edge of the map the free rectangle starts, so
		// that it meets no control. Each control is put behind the edge where it costs the
		// least free area (biggest controls first): the panels on the left and right of a
		// wide screen, the title and the time bar at the top and bottom of a narrow one.
		padding: function () {
			const size = this._map.getSize();
			const m = this.options.margin;
			const boxes = this.boxes();
			const pad = {l: m, t: m, r: m, b: m};
			boxes.sort(function (a, b) { return (b.x1 - b.x0) * (b.y1 - b.y0) - (a.x1 - a.x0) * (a.y1 - a.y0); });
			for (let i = 0; i < boxes.length; i++) {
				const b = boxes[i];
				if (b.x1 + m <= pad.l || b.x0 - m >= size.x - pad.r || b.y1 + m <= pad.t || b.y0 - m >= size.y - pad.b) { continue; }
				const options = [
					{side: 'l', value: Math.max(pad.l, b.x1 + m)},
					{side: 'r', value: Math.max(pad.r, size.x - b.x0 + m)},
					{side: 't', value: Math.max(pad.t, b.y1 + m)},
					{side: 'b', value: Math.max(pad.b, size.y - b.y0 + m)}
				];
				let best = null;
				let bestArea = -Infinity;
				for (let k = 0; k < options.length; k++) {
					const trial = L.extend({}, pad);
					trial[options[k].side] = options[k].value;
					const area = Math.max(0, size.x - trial.l - trial.r) * Math.max(0, size.y - trial.t - trial.b);
					if (area > bestArea) {
						bestArea = area;
						best = options[k];
					}
				}
				pad[best.side] = best.value;
			}
			return pad;
		},

		// @method fitOptions(extra?: Number): Object
		// `{paddingTopLeft, paddingBottomRight}` for fitBounds, from padding(), each side
		// `extra` pixels more (room for the symbols spread around a place at the edge).
		fitOptions: function (extra) {
			const p = this.padding();
			const e = extra || 0;
			const size = this._map.getSize();
			// In a small window the controls can leave (almost) nothing free, and fitBounds
			// into no room gives an infinite zoom (a NaN centre): keep at least a third of
			// each side free, taking the padding back in proportion.
			const keep = function (a, c, total) {
				const min = Math.max(40, total / 3);
				if (total - a - c >= min) { return [a, c]; }
				const k = Math.max(0, total - min) / Math.max(1, a + c);
				return [a * k, c * k];
			};
			const x = keep(p.l + e, p.r + e, size.x);
			const y = keep(p.t + e, p.b + e, size.y);
			return {paddingTopLeft: [x[0], y[0]], paddingBottomRight: [x[1], y[1]]};
		}
	});

	SM.layout = function (map, sheet, bar, options) {
		return new SM.Layout(map, sheet, bar, options);
	};
})(L);
