/*
 * L.SiberiaMap.PrintView: prints what is on the screen.
 *
 * A printed page is usually narrower than the screen. Left to itself the map container
 * shrinks to the page and crops the east of the map (Vladivostok, where most of it
 * happened), because Leaflet keeps the centre and zoom. Refitting the view inside
 * 'beforeprint' does not work either: the print layout is not known yet, and Chromium
 * prints canvases redrawn in that handler blank. So the container keeps its on-screen size
 * in pixels while printing, and the browser scales the page down to the paper: the reader
 * gets the composition they were looking at.
 *
 * The month's events do not fit over the map on paper (a busy month lists dozens), so the
 * on-screen list is left out of print and the whole list is printed after the map, flowing
 * over as many pages as it needs: date, title, place and contingents of every event shown.
 * It is built when printing starts (beforeprint, or the print media query turning on), as
 * text nodes, and removed afterwards.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	SM.PrintView = L.Class.extend({

		// @param controller: L.SiberiaMap.Controller
		// Whose month's events are printed after the map (none without one).
		initialize: function (map, controller) {
			this._map = map;
			this._ctl = controller || null;
			this._saved = null;
			this._list = null;
		},

		enable: function () {
			// The size on screen, kept while on screen: when the print media query turns on
			// first (a PDF made without a print dialog), the container is already laid out
			// for paper, where a page-high map has no height.
			this._onResize();
			this._map.on('resize', this._onResize, this);
			this._offPrint = SM.util.onPrint(this._before, this._after, this);
			return this;
		},

		disable: function () {
			this._map.off('resize', this._onResize, this);
			this._offPrint();
			this._after();
			return this;
		},

		_before: function () {
			if (this._saved) { return; }
			const c = this._map.getContainer();
			this._saved = {width: c.style.width, height: c.style.height};
			c.style.width = this._screen.x + 'px';
			c.style.height = this._screen.y + 'px';
			if (this._ctl) { this._list = this._eventList(c); }
		},

		_onResize: function () {
			if (this._saved) { return; }
			const c = this._map.getContainer();
			if (c.clientWidth && c.clientHeight) { this._screen = {x: c.clientWidth, y: c.clientHeight}; }
		},

		_after: function () {
			if (!this._saved) { return; }
			const c = this._map.getContainer();
			c.style.width = this._saved.width;
			c.style.height = this._saved.height;
			this._saved = null;
			if (this._list && this._list.parentNode) { this._list.parentNode.removeChild(this._list); }
			this._list = null;
		},

		// The month's shown events, after the map in the page.
		_eventList: function (container) {
			const util = SM.util;
			const ctl = this._ctl;
			const model = ctl.model;
			const events = ctl.visibleEvents();
			const box = util.el('section', 'sm-print-events');
			box.setAttribute('aria-hidden', 'true');
			util.el('h2', 'sm-print-title', box, util.t('print.title', {month: ctl.windowLabel(), count: events.length}));
			if (!events.length) { util.el('p', null, box, util.t(ctl.isWindow() ? 'events.emptyWindow' : 'events.empty')); }
			const list = util.el('ol', 'sm-print-list', box);
			for (let i = 0; i < events.length; i++) {
				const rec = events[i];
				const li = util.el('li', null, list);
				const f = function (n) { return util.str(model.field(rec, n)); };
				util.el('span', 'sm-print-when', li, f('when') || f('date'));
				util.el('strong', 'sm-print-what', li, f('title') || util.t('event.untitled'));
				const names = rec.c.map(function (ci) { return model.contingents[ci].name; }).join(', ');
				const meta = [f('where'), names].filter(Boolean).join(' \u00b7 ');
				if (meta) { util.el('span', 'sm-print-where', li, meta); }
			}
			container.parentNode.insertBefore(box, container.nextSibling);
			return box;
		}
	});

	SM.printView = function (map, controller) {
		return new SM.PrintView(map, controller);
	};
})(L);
