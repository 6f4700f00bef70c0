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
 */
(function (L) {
	'use strict';

	var SM = L.SiberiaMap = L.SiberiaMap || {};

	SM.PrintView = L.Class.extend({

		initialize: function (map) {
			this._map = map;
			this._saved = null;
		},

		enable: function () {
			L.DomEvent.on(window, 'beforeprint', this._before, this);
			L.DomEvent.on(window, 'afterprint', this._after, this);
			return this;
		},

		disable: function () {
			L.DomEvent.off(window, 'beforeprint', this._before, this);
			L.DomEvent.off(window, 'afterprint', this._after, this);
			this._after();
			return this;
		},

		_before: function () {
			if (this._saved) { return; }
			var c = this._map.getContainer();
			this._saved = {width: c.style.width, height: c.style.height};
			c.style.width = c.clientWidth + 'px';
			c.style.height = c.clientHeight + 'px';
		},

		_after: function () {
			if (!this._saved) { return; }
			var c = this._map.getContainer();
			c.style.width = this._saved.width;
			c.style.height = this._saved.height;
			this._saved = null;
		}
	});

	SM.printView = function (map) {
		return new SM.PrintView(map);
	};
})(L);
