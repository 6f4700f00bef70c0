/*
 * L.SiberiaMap.Popup: a Leaflet popup that opens clear of the panels.
 *
 * Leaflet pans a popup into view with a fixed padding; the panels over the map's edges
 * then still cover it. This one asks the Layout, each time it is laid out, for the
 * free rectangle the controls leave (its autoPan padding) and is never taller than that
 * rectangle (its content scrolls instead), so it lies inside the window and outside every
 * control's box. On a narrow screen it folds the open sheet first.
 *
 * Relies on L.Popup internals of Leaflet 1.9.4 (update, _updateLayout, _adjustPan); the
 * version is pinned.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	// Pixels a popup needs beyond its content's height: content margins, the tip, a gap.
	const CHROME = 64;
	// And beyond its content's width: the content's margins and the frame (32 px), and two
	// pixels to spare on each side.
	const SIDE = 36;

	SM.Popup = L.Popup.extend({

		// @option layout: L.SiberiaMap.Layout = null
		// Where the controls are; without it this is a plain L.Popup.
		options: {
			layout: null
		},

		onAdd: function (map) {
			if (this.options.layout) { this.options.layout.beforePopup(this._latlng, this.options.maxWidth); }
			L.Popup.prototype.onAdd.call(this, map);
		},

		update: function () {
			const layout = this.options.layout;
			if (layout && this._map) {
				const p = layout.padding();
				const size = this._map.getSize();
				if (this._smMaxWidth === undefined) { this._smMaxWidth = this.options.maxWidth; }
				const bounds = this._map.options.maxBounds;
				// A popup stands centred over its point: no wider than the free width, nor than
				// twice the room on the nearer side of its point, counting as far as the map may
				// still pan (on a phone at its least zoom Perm's popup met the window's edge).
				let half = Infinity;
				if (bounds && this._latlng) {
					const x = this._map.latLngToContainerPoint(this._latlng).x;
					const west = this._map.latLngToContainerPoint([this._latlng.lat, bounds.getWest()]).x;
					const east = this._map.latLngToContainerPoint([this._latlng.lat, bounds.getEast()]).x;
					half = Math.min(x + Math.max(0, -west) - p.l, size.x - p.r - (x - Math.max(0, east - size.x)));
				}
				this.options.maxWidth = Math.max(160, Math.min(this._smMaxWidth, size.x - p.l - p.r - 4, 2 * half - SIDE));
				this.options.minWidth = Math.min(this.options.minWidth, this.options.maxWidth);
				// Above its point a popup has the free height, and more only as far as the map
				// may still pan down (at the least zoom the basemap's box leaves little).
				let room = size.y - p.t - p.b;
				if (bounds && this._latlng) {
					const at = this._map.latLngToContainerPoint(this._latlng).y;
					const top = this._map.latLngToContainerPoint([bounds.getNorth(), this._latlng.lng]).y;
					// (The popup's tip takes some 20 px under it.)
					room = Math.min(room, at + Math.max(0, -top) - p.t - 20);
				}
				this.options.maxHeight = Math.max(80, room - CHROME);
				this.options.autoPanPaddingTopLeft = L.point(p.l, p.t);
				this.options.autoPanPaddingBottomRight = L.point(p.r, p.b);
			}
			L.Popup.prototype.update.call(this);
		}
	});

	SM.popup = function (options, source) {
		return new SM.Popup(options, source);
	};
})(L);
