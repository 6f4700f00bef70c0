/*
 * L.SiberiaMap.ViewLimits: the view never leaves the basemap.
 *
 * The embedded basemap covers a box (`_meta.processing.clip_box`); outside it there is no
 * land, only a fill. So the map may never show anything beyond the box: the view is held
 * inside it (`maxBounds`, with full viscosity so a drag stops at the edge) and the least
 * zoom is the one at which the box still covers the whole window, worked out again
 * whenever the window changes size (a phone turned sideways needs a different one).
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	SM.ViewLimits = L.Class.extend({

		// @option inset: Number = 0.5
		// Degrees the limits keep inside the box: Leaflet lets the view stand up to a pixel
		// past its maxBounds, and a pixel is a fifth of a degree at the least zooms.
		options: {
			inset: 0.5
		},

		// @param box: Object
		// `{west, south, east, north}` in degrees.
		initialize: function (map, box, options) {
			L.setOptions(this, options);
			this._map = map;
			const d = this.options.inset;
			this._bounds = L.latLngBounds([box.south + d, box.west + d], [box.north - d, box.east - d]);
		},

		enable: function () {
			const map = this._map;
			map.options.maxBoundsViscosity = 1;
			// A pinch may not go past the least zoom and spring back: it would show the edge.
			map.options.bounceAtZoomLimits = false;
			// The view is brought inside without animation first: setMaxBounds would pan there
			// animated, and the pan's end would undo the first fitted view.
			this.update();
			map.setMaxBounds(this._bounds);
			map.on('resize', this.update, this);
			return this;
		},

		disable: function () {
			this._map.off('resize', this.update, this);
			this._map.setMaxBounds(null);
			return this;
		},

		getBounds: function () {
			return this._bounds;
		},

		// @method minZoom(): Number
		// The least zoom at which the box covers the map's whole size.
		minZoom: function () {
			const map = this._map;
			const b = this._bounds;
			const size = map.getSize();
			const nw = map.project(b.getNorthWest(), 0);
			const se = map.project(b.getSouthEast(), 0);
			const scale = Math.max(size.x / (se.x - nw.x), size.y / (se.y - nw.y));
			// (A hair more: at exactly the box's size a rounding error is a line of background.
			// Then up to the map's zoom step: Leaflet snaps a zoom after clamping it, so a
			// least zoom between two steps could never be reached, only the step above.)
			const z = Math.log(scale) / Math.LN2 + 0.01;
			const snap = map.options.zoomSnap;
			return snap ? Math.ceil(z / snap) * snap : z;
		},

		// @method update(): this
		// Sets the least zoom for the map's size now (zooming in if the view is wider).
		update: function () {
			const map = this._map;
			const z = this.minZoom();
			if (!isFinite(z)) { return this; }
			// (Not setMinZoom: it starts an animated zoom that would end after, and undo, the
			// first fitted view. The zoom control hears of it as setMinZoom would tell it.)
			map.options.minZoom = z;
			map.fire('zoomlevelschange');
			if (map._loaded) {
				if (map.getZoom() < z) { map.setView(map.getCenter(), z, {animate: false}); }
				map.panInsideBounds(this._bounds, {animate: false});
			}
			return this;
		}
	});

	// @function viewLimits(map, basemap: Object): ViewLimits|null
	// For the basemap of the payload; null when it does not say which box it covers.
	SM.viewLimits = function (map, basemap, options) {
		const meta = (basemap && basemap._meta) || {};
		const box = (meta.processing || {}).clip_box;
		if (!box || !isFinite(box.west) || !isFinite(box.east) || !isFinite(box.south) || !isFinite(box.north)) {
			return null;
		}
		return new SM.ViewLimits(map, box, options);
	};
})(L);
