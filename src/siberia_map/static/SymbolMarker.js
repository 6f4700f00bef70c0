/*
 * L.SiberiaMap.SymbolMarker: a circle marker that can be drawn as a diamond and nudged a
 * few pixels off its true point.
 *
 * Events and presence must read as different things at a glance, yet both have to be
 * vector markers on the shared canvas: DOM markers (divIcons) would not redraw thousands
 * of records inside one frame. The nudge spreads records that share a place (eight
 * contingents at Vladivostok) into a small ring instead of stacking them invisibly.
 */
(function (L) {
	'use strict';

	var SM = L.SiberiaMap = L.SiberiaMap || {};

	// A diamond with the circle's radius looks smaller than the circle; this evens the area.
	var DIAMOND = 1.3;

	SM.SymbolMarker = L.CircleMarker.extend({

		// @option shape: String = 'circle'
		// 'circle' or 'diamond'.
		//
		// @option shift: Point = null
		// Screen offset in pixels from the true position, kept constant across zooms.
		options: {
			shape: 'circle',
			shift: null
		},

		setShift: function (shift) {
			var old = this.options.shift;
			shift = shift ? L.point(shift) : null;
			if (shift && !shift.x && !shift.y) { shift = null; }
			if (old === shift || (old && shift && old.x === shift.x && old.y === shift.y)) { return this; }
			this.options.shift = shift;
			if (this._map) { this.redraw(); }
			return this;
		},

		getShift: function () {
			return this.options.shift || L.point(0, 0);
		},

		// Where the symbol is actually drawn; popups opened from a list anchor here.
		getDrawnLatLng: function () {
			if (!this._map || !this._point) { return this.getLatLng(); }
			return this._map.layerPointToLatLng(this._point);
		},

		// Opened from code (the events list) without a position, the popup points at the
		// symbol where it is drawn, not at the shared true position under the ring.
		openPopup: function (latlng) {
			return L.CircleMarker.prototype.openPopup.call(this, latlng || this.getDrawnLatLng());
		},

		_extent: function () {
			return this.options.shape === 'diamond' ? this._radius * DIAMOND : this._radius;
		},

		_project: function () {
			this._point = this._map.latLngToLayerPoint(this._latlng);
			if (this.options.shift) { this._point = this._point.add(this.options.shift); }
			this._updateBounds();
		},

		_updateBounds: function () {
			var r = this._extent() + this._clickTolerance();
			this._pxBounds = new L.Bounds(this._point.subtract([r, r]), this._point.add([r, r]));
		},

		_updatePath: function () {
			if (this.options.shape !== 'diamond') {
				return L.CircleMarker.prototype._updatePath.call(this);
			}
			var renderer = this._renderer, p = this._point, s = Math.round(this._extent());
			if (renderer instanceof L.Canvas) {
				if (!renderer._drawing || this._empty()) { return; }
				var ctx = renderer._ctx;
				ctx.beginPath();
				ctx.moveTo(p.x, p.y - s);
				ctx.lineTo(p.x + s, p.y);
				ctx.lineTo(p.x, p.y + s);
				ctx.lineTo(p.x - s, p.y);
				ctx.closePath();
				renderer._fillStroke(ctx, this);
			} else {
				renderer._setPath(this, 'M' + p.x + ',' + (p.y - s) + 'L' + (p.x + s) + ',' + p.y +
					'L' + p.x + ',' + (p.y + s) + 'L' + (p.x - s) + ',' + p.y + 'z');
			}
		}
	});

	SM.symbolMarker = function (latlng, options) {
		return new SM.SymbolMarker(latlng, options);
	};
})(L);
