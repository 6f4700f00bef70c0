/*
 * L.SiberiaMap.Layout: where the controls leave the map free, and keeping them apart.
 *
 * The panels stand over the map's edges, so anything fitted into the view (the first view,
 * a popup, a search result) has to be fitted into the space they leave: `padding()` works
 * that out from the boxes the controls actually occupy, on any screen. It also gives each
 * panel the height it has (the events list scrolls inside that instead of running under
 * the time bar) and, on a narrow screen, turns the panels into bottom sheets of which one
 * is open at a time, with their toggles in a row above the time bar.
 *
 * Nothing here runs on a month step: only on start, resize and when a panel opens or
 * closes, and for a popup or a fitted view when one is asked for.
 */
(function (L) {
	'use strict';

	var SM = L.SiberiaMap = L.SiberiaMap || {};

	SM.Layout = L.Class.extend({

		// @option margin: Number = 10
		// Pixels kept between a fitted view or a popup and the controls around it.
		//
		// @option narrowBelow: Number = 700
		// Map width under which the panels become bottom sheets (matches the CSS).
		//
		// @option gap: Number = 8
		// Pixels between the time bar, the row of sheet toggles and an open sheet.
		options: {
			margin: 10,
			narrowBelow: 700,
			gap: 8
		},

		// @param panels: Array
		// The collapsible panels (EventsPanel, ContingentControl): `setCollapsed(bool)`,
		// `isCollapsed()`, `getBody()`, `getToggle()`, `getContainer()`.
		// @param bar: L.Control
		// The time bar (MonthControl).
		initialize: function (map, panels, bar, options) {
			L.setOptions(this, options);
			this._map = map;
			this._panels = panels;
			this._bar = bar;
		},

		enable: function () {
			var c = this._map.getContainer();
			L.DomEvent.on(c, 'sm-toggle', this._onToggle, this);
			this._map.on('resize', this.update, this);
			this._narrow = null;
			this.update();
			return this;
		},

		disable: function () {
			L.DomEvent.off(this._map.getContainer(), 'sm-toggle', this._onToggle, this);
			this._map.off('resize', this.update, this);
			return this;
		},

		isNarrow: function () {
			return this._map.getSize().x < this.options.narrowBelow;
		},

		// @method update(): this
		// Re-measures the controls and sizes the panels (or sheets) to the room they have.
		update: function () {
			var narrow = this.isNarrow(), c = this._map.getContainer();
			if (narrow !== this._narrow) {
				this._narrow = narrow;
				L.DomUtil[narrow ? 'addClass' : 'removeClass'](c, 'sm-narrow');
				// Entering the narrow layout: at most one sheet stays open.
				if (narrow) { this._onlyOpen(null); }
			}
			if (narrow) { this._sizeSheets(); } else { this._sizePanels(); }
			return this;
		},

		// A narrow screen has room for one sheet: opening one closes the others.
		_onToggle: function (e) {
			var panel = e.detail && e.detail.panel;
			if (this.isNarrow() && panel && !panel.isCollapsed()) { this._onlyOpen(panel); }
			this.update();
		},

		_onlyOpen: function (keep) {
			for (var i = 0; i < this._panels.length; i++) {
				if (this._panels[i] !== keep && !this._panels[i].isCollapsed()) { this._panels[i].setCollapsed(true, true); }
			}
		},

		// @method beforePopup(): this
		// A popup about to open on a narrow screen comes above everything: the sheets fold.
		beforePopup: function () {
			if (this.isNarrow()) {
				this._onlyOpen(null);
				this._sizeSheets();
			}
			return this;
		},

		// Each panel's list scrolls within the height down to the first control below it.
		_sizePanels: function () {
			var c = this._map.getContainer(), origin = c.getBoundingClientRect(), boxes = this.boxes(), gap = this.options.margin;
			c.style.removeProperty('--sm-sheet-bottom');
			for (var i = 0; i < this._panels.length; i++) {
				var body = this._panels[i].getBody(), panel = this._panels[i].getContainer();
				body.style.maxHeight = '';
				if (this._panels[i].isCollapsed()) { continue; }
				var top = body.getBoundingClientRect().top - origin.top, p = panel.getBoundingClientRect(),
				    left = p.left - origin.left, right = p.right - origin.left, limit = origin.height;
				for (var j = 0; j < boxes.length; j++) {
					var b = boxes[j];
					if (b.el === panel || b.y0 <= top || b.x1 <= left || b.x0 >= right) { continue; }
					limit = Math.min(limit, b.y0);
				}
				body.style.maxHeight = Math.max(48, Math.floor(limit - gap - top)) + 'px';
			}
		},

		// The sheets open above the toggles, which sit above the time bar; they reach up to
		// the controls at the top, or half the screen. CSS places them from these numbers.
		_sizeSheets: function () {
			var c = this._map.getContainer(), origin = c.getBoundingClientRect(), h = origin.height, gap = this.options.gap;
			var bar = this._bar.getContainer().getBoundingClientRect(), top = 0, toggle = 0, i;
			var corners = c.querySelectorAll('.leaflet-top .leaflet-control');
			for (i = 0; i < corners.length; i++) {
				var r = corners[i].getBoundingClientRect();
				if (r.height && !L.DomUtil.hasClass(corners[i], 'sm-panel')) { top = Math.max(top, r.bottom - origin.top); }
			}
			for (i = 0; i < this._panels.length; i++) {
				this._panels[i].getBody().style.maxHeight = '';
				toggle = Math.max(toggle, this._panels[i].getToggle().offsetHeight);
			}
			var togglesBottom = h - (bar.top - origin.top) + gap, sheetBottom = togglesBottom + toggle + gap;
			c.style.setProperty('--sm-toggles-bottom', togglesBottom + 'px');
			c.style.setProperty('--sm-sheet-bottom', sheetBottom + 'px');
			// (At most half the screen: the map stays in sight above an open sheet.)
			c.style.setProperty('--sm-sheet-max', Math.max(80, Math.min(h / 2, h - sheetBottom - top - gap)) + 'px');
		},

		// @method boxes(): Array
		// The boxes of the visible controls (and open sheets) in map container pixels:
		// `{el, x0, y0, x1, y1}`.
		boxes: function () {
			var c = this._map.getContainer(), origin = c.getBoundingClientRect(), out = [];
			var els = c.querySelectorAll('.leaflet-control, .sm-panel:not(.sm-collapsed) > .sm-panel-body');
			for (var i = 0; i < els.length; i++) {
				var r = els[i].getBoundingClientRect();
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
			var size = this._map.getSize(), m = this.options.margin, boxes = this.boxes();
			var pad = {l: m, t: m, r: m, b: m};
			boxes.sort(function (a, b) { return (b.x1 - b.x0) * (b.y1 - b.y0) - (a.x1 - a.x0) * (a.y1 - a.y0); });
			for (var i = 0; i < boxes.length; i++) {
				var b = boxes[i];
				if (b.x1 + m <= pad.l || b.x0 - m >= size.x - pad.r || b.y1 + m <= pad.t || b.y0 - m >= size.y - pad.b) { continue; }
				var options = [
					{side: 'l', value: Math.max(pad.l, b.x1 + m)},
					{side: 'r', value: Math.max(pad.r, size.x - b.x0 + m)},
					{side: 't', value: Math.max(pad.t, b.y1 + m)},
					{side: 'b', value: Math.max(pad.b, size.y - b.y0 + m)}
				];
				var best = null, bestArea = -Infinity;
				for (var k = 0; k < options.length; k++) {
					var trial = L.extend({}, pad);
					trial[options[k].side] = options[k].value;
					var area = Math.max(0, size.x - trial.l - trial.r) * Math.max(0, size.y - trial.t - trial.b);
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
			var p = this.padding(), e = extra || 0, size = this._map.getSize();
			// In a small window the controls can leave (almost) nothing free, and fitBounds
			// into no room gives an infinite zoom (a NaN centre): keep at least a third of
			// each side free, taking the padding back in proportion.
			var keep = function (a, c, total) {
				var min = Math.max(40, total / 3);
				if (total - a - c >= min) { return [a, c]; }
				var k = Math.max(0, total - min) / Math.max(1, a + c);
				return [a * k, c * k];
			};
			var x = keep(p.l + e, p.r + e, size.x), y = keep(p.t + e, p.b + e, size.y);
			return {paddingTopLeft: [x[0], y[0]], paddingBottomRight: [x[1], y[1]]};
		}
	});

	SM.layout = function (map, panels, bar, options) {
		return new SM.Layout(map, panels, bar, options);
	};
})(L);
