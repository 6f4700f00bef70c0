/*
 * L.SiberiaMap.ReducedMotion: the map holds still for readers who ask their system for
 * less motion (`prefers-reduced-motion: reduce`).
 *
 * Then zooms and pans jump instead of gliding (Leaflet's zoom, fade and pan animations and
 * the drag's inertia are off), a movement's part of the month is drawn whole at once instead
 * of growing while the months play (MovementLayer asks `SM.ReducedMotion.isReduced()`), and
 * CSS animations and transitions stop (siberia-marks.css). Playing through the months still
 * steps, since the reader asked for it, but nothing moves in between. The preference is
 * followed live: changed while the page is open, it applies at once.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	const QUERY = '(prefers-reduced-motion: reduce)';

	SM.ReducedMotion = L.Class.extend({

		initialize: function (map) {
			this._map = map;
			this._saved = null;
		},

		enable: function () {
			if (!window.matchMedia) { return this; }
			this._query = window.matchMedia(QUERY);
			this._onChange = L.bind(this._apply, this);
			if (this._query.addEventListener) { this._query.addEventListener('change', this._onChange); }
			this._apply();
			return this;
		},

		disable: function () {
			if (this._query && this._query.removeEventListener) { this._query.removeEventListener('change', this._onChange); }
			this._restore();
			return this;
		},

		_apply: function () {
			if (this._query.matches) { this._still(); } else { this._restore(); }
		},

		_still: function () {
			const map = this._map;
			if (this._saved) { return; }
			this._saved = {zoom: map._zoomAnimated, fade: map._fadeAnimated, inertia: map.options.inertia};
			map._zoomAnimated = false;
			map._fadeAnimated = false;
			map.options.zoomAnimation = map.options.fadeAnimation = map.options.markerZoomAnimation = false;
			map.options.inertia = false;
			// Every pan (keyboard, popups panning into view, setView within reach) goes
			// through panBy; an own property on this map only, removed again in _restore.
			map.panBy = function (offset, options) {
				return L.Map.prototype.panBy.call(this, offset, L.extend({}, options, {animate: false}));
			};
			map.flyTo = function (latlng, zoom) {
				return this.setView(latlng, zoom, {animate: false});
			};
			L.DomUtil.addClass(map.getContainer(), 'sm-reduced-motion');
		},

		_restore: function () {
			const map = this._map;
			const saved = this._saved;
			if (!saved) { return; }
			this._saved = null;
			map._zoomAnimated = saved.zoom;
			map._fadeAnimated = saved.fade;
			map.options.zoomAnimation = map.options.fadeAnimation = map.options.markerZoomAnimation = true;
			map.options.inertia = saved.inertia;
			delete map.panBy;
			delete map.flyTo;
			L.DomUtil.removeClass(map.getContainer(), 'sm-reduced-motion');
		}
	});

	// @function isReduced(): Boolean
	// Whether the reader asks for less motion right now.
	SM.ReducedMotion.isReduced = function () {
		return !!(window.matchMedia && window.matchMedia(QUERY).matches);
	};

	SM.reducedMotion = function (map) {
		return new SM.ReducedMotion(map);
	};
})(L);
