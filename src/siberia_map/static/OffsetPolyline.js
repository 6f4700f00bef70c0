/*
 * L.SiberiaMap.OffsetPolyline: a polyline drawn a fixed number of pixels beside its
 * geometry.
 *
 * Several contingents often held the same stretch of railway in the same month; drawn on
 * the true line they would hide each other. Shifting in screen space (after projection)
 * keeps the lanes the same width at every zoom, which a shift in degrees could not.
 */
(function (L) {
	'use strict';

	var SM = L.SiberiaMap = L.SiberiaMap || {};

	// Past a turn this sharp a true mitre shoots far out; capping its length keeps the lane
	// next to the line at hairpins (the Circum-Baikal has some).
	var MIN_MITRE_COS = 0.5;

	function dedupe(points) {
		var out = [], prev = null;
		for (var i = 0; i < points.length; i++) {
			var p = points[i];
			if (!prev || p.x !== prev.x || p.y !== prev.y) { out.push(p); prev = p; }
		}
		return out;
	}

	// Offsets one projected ring by `d` pixels to the left of its direction of travel
	// (screen y points down, so "left" is (dy, -dx)).
	function offsetPoints(points, d) {
		var pts = dedupe(points), n = pts.length, normals = [], i;
		if (n < 2) { return pts; }
		for (i = 0; i < n - 1; i++) {
			var dx = pts[i + 1].x - pts[i].x, dy = pts[i + 1].y - pts[i].y,
			    len = Math.sqrt(dx * dx + dy * dy);
			normals.push(L.point(dy / len, -dx / len));
		}
		var out = [pts[0].add(normals[0].multiplyBy(d))];
		for (i = 1; i < n - 1; i++) {
			var a = normals[i - 1], b = normals[i],
			    mx = a.x + b.x, my = a.y + b.y,
			    mlen = Math.sqrt(mx * mx + my * my);
			if (mlen < 1e-9) {
				out.push(pts[i].add(b.multiplyBy(d)));
				continue;
			}
			mx /= mlen; my /= mlen;
			var cos = Math.max(mx * b.x + my * b.y, MIN_MITRE_COS), k = d / cos;
			out.push(L.point(pts[i].x + mx * k, pts[i].y + my * k));
		}
		out.push(pts[n - 1].add(normals[n - 2].multiplyBy(d)));
		return out;
	}

	SM.OffsetPolyline = L.Polyline.extend({

		// @option offset: Number = 0
		// Pixels to shift the line to the left of its direction of travel (negative: right).
		// Lines meant to sit side by side must run in the same direction; RecordLayer
		// normalises every stretch to run west to east for that reason.
		options: {
			offset: 0
		},

		setOffset: function (offset) {
			offset = +offset || 0;
			if (offset !== this.options.offset) {
				this.options.offset = offset;
				if (this._map) { this.redraw(); }
			}
			return this;
		},

		getOffset: function () {
			return this.options.offset;
		},

		_project: function () {
			L.Polyline.prototype._project.call(this);
			var d = this.options.offset;
			if (!d || !this._rings.length) { return; }
			var bounds = new L.Bounds();
			for (var i = 0; i < this._rings.length; i++) {
				var ring = this._rings[i] = offsetPoints(this._rings[i], d);
				for (var j = 0; j < ring.length; j++) { bounds.extend(ring[j]); }
			}
			if (bounds.isValid()) {
				this._rawPxBounds = bounds;
				this._updateBounds();
			}
		}
	});

	SM.OffsetPolyline.offsetPoints = offsetPoints;

	SM.offsetPolyline = function (latlngs, options) {
		return new SM.OffsetPolyline(latlngs, options);
	};
})(L);
