/*
 * L.SiberiaMap.LineOffset: a projected line shifted a fixed number of pixels sideways.
 *
 * Several contingents often held the same stretch of railway in the same month; drawn on
 * the true line they would hide each other. Shifting in screen space (after projection)
 * keeps the lanes the same width at every zoom, which a shift in degrees could not.
 *
 * Works on flat arrays of pixel coordinates ([x0, y0, x1, y1, ...]) into a reused output
 * buffer, because RecordCanvas offsets every lane on every redraw and a step should not
 * allocate a point object per vertex; simplify() is here for the same reason.
 */
(function (L) {
	'use strict';

	var SM = L.SiberiaMap = L.SiberiaMap || {};

	// Past a turn this sharp a true mitre shoots far out; capping its length keeps the lane
	// next to the line at hairpins (the Circum-Baikal has some).
	var MIN_MITRE_COS = 0.5;

	var normals = new Float64Array(64);

	SM.LineOffset = {

		// Copies `xy` (n points, no two consecutive ones equal; see dedupe) shifted `d` pixels
		// to the left of its direction of travel (screen y points down, so "left" is
		// (dy, -dx)) into `out`, which must hold xy.length numbers. Returns `out`.
		// Lines meant to sit side by side must run in the same direction; Model.lineLatLngs
		// runs every stretch west to east for that reason.
		offset: function (xy, d, out) {
			var n = xy.length >> 1, i;
			if (n < 2 || !d) {
				for (i = 0; i < xy.length; i++) { out[i] = xy[i]; }
				return out;
			}
			if (normals.length < 2 * n) { normals = new Float64Array(4 * n); }
			for (i = 0; i < n - 1; i++) {
				var dx = xy[2 * i + 2] - xy[2 * i], dy = xy[2 * i + 3] - xy[2 * i + 1],
				    len = Math.sqrt(dx * dx + dy * dy) || 1;
				normals[2 * i] = dy / len;
				normals[2 * i + 1] = -dx / len;
			}
			out[0] = xy[0] + normals[0] * d;
			out[1] = xy[1] + normals[1] * d;
			for (i = 1; i < n - 1; i++) {
				var ax = normals[2 * i - 2], ay = normals[2 * i - 1], bx = normals[2 * i], by = normals[2 * i + 1],
				    mx = ax + bx, my = ay + by, mlen = Math.sqrt(mx * mx + my * my);
				if (mlen < 1e-9) {
					out[2 * i] = xy[2 * i] + bx * d;
					out[2 * i + 1] = xy[2 * i + 1] + by * d;
					continue;
				}
				mx /= mlen;
				my /= mlen;
				var k = d / Math.max(mx * bx + my * by, MIN_MITRE_COS);
				out[2 * i] = xy[2 * i] + mx * k;
				out[2 * i + 1] = xy[2 * i + 1] + my * k;
			}
			out[2 * n - 2] = xy[2 * n - 2] + normals[2 * n - 4] * d;
			out[2 * n - 1] = xy[2 * n - 1] + normals[2 * n - 3] * d;
			return out;
		},

		// @function simplify(xy: Float64Array, tolerance: Number): Int32Array
		// Douglas-Peucker on a flat line, as L.LineUtil.simplify does on points: at a low
		// zoom a railway has several vertices per pixel, and every vertex costs the stroker
		// a join. Returns the indices of the vertices to keep, in order.
		simplify: function (xy, tolerance) {
			var n = xy.length >> 1, j, k;
			if (n < 3) {
				var all = new Int32Array(n);
				for (j = 0; j < n; j++) { all[j] = j; }
				return all;
			}
			var keep = new Uint8Array(n), t2 = tolerance * tolerance, stack = [0, n - 1], kept = 2;
			keep[0] = keep[n - 1] = 1;
			while (stack.length) {
				var last = stack.pop(), first = stack.pop(), ax = xy[2 * first], ay = xy[2 * first + 1],
				    dx = xy[2 * last] - ax, dy = xy[2 * last + 1] - ay, len2 = dx * dx + dy * dy, max = t2, index = -1;
				for (var i = first + 1; i < last; i++) {
					var px = xy[2 * i] - ax, py = xy[2 * i + 1] - ay, t = len2 ? (px * dx + py * dy) / len2 : 0;
					t = t < 0 ? 0 : t > 1 ? 1 : t;
					var ex = px - t * dx, ey = py - t * dy, d2 = ex * ex + ey * ey;
					if (d2 > max) {
						max = d2;
						index = i;
					}
				}
				if (index >= 0) {
					keep[index] = 1;
					kept++;
					stack.push(first, index, index, last);
				}
			}
			var out = new Int32Array(kept);
			for (j = 0, k = 0; j < n; j++) {
				if (keep[j]) { out[k++] = j; }
			}
			return out;
		},

		// L.Points -> flat Float64Array without consecutive duplicates (a zero-length
		// segment has no direction to offset along).
		flatten: function (points) {
			var out = new Float64Array(2 * points.length), n = 0;
			for (var i = 0; i < points.length; i++) {
				var p = points[i];
				if (n && out[2 * n - 2] === p.x && out[2 * n - 1] === p.y) { continue; }
				out[2 * n] = p.x;
				out[2 * n + 1] = p.y;
				n++;
			}
			return n === points.length ? out : out.slice(0, 2 * n);
		}
	};
})(L);
