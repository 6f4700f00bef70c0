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

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	// Past a turn this sharp a true mitre shoots far out; capping its length keeps the lane
	// next to the line at hairpins (the Circum-Baikal has some).
	const MIN_MITRE_COS = 0.5;

	let normals = new Float64Array(64);

	SM.LineOffset = {

		// Copies `xy` (n points, no two consecutive ones equal; see dedupe) shifted `d` pixels
		// to the left of its direction of travel (screen y points down, so "left" is
		// (dy, -dx)) into `out`, which must hold xy.length numbers. Returns `out`.
		// Lines meant to sit side by side must run in the same direction; Model.lineLatLngs
		// runs every stretch west to east for that reason.
		offset: function (xy, d, out) {
			const n = xy.length >> 1;
			let i;
			if (n < 2 || !d) {
				for (i = 0; i < xy.length; i++) { out[i] = xy[i]; }
				return out;
			}
			if (normals.length < 2 * n) { normals = new Float64Array(4 * n); }
			for (i = 0; i < n - 1; i++) {
				const dx = xy[2 * i + 2] - xy[2 * i];
				const dy = xy[2 * i + 3] - xy[2 * i + 1];
				const len = Math.sqrt(dx * dx + dy * dy) || 1;
				normals[2 * i] = dy / len;
				normals[2 * i + 1] = -dx / len;
			}
			out[0] = xy[0] + normals[0] * d;
			out[1] = xy[1] + normals[1] * d;
			for (i = 1; i < n - 1; i++) {
				const ax = normals[2 * i - 2];
				const ay = normals[2 * i - 1];
				const bx = normals[2 * i];
				const by = normals[2 * i + 1];
				let mx = ax + bx;
				let my = ay + by;
				const mlen = Math.sqrt(mx * mx + my * my);
				if (mlen < 1e-9) {
					out[2 * i] = xy[2 * i] + bx * d;
					out[2 * i + 1] = xy[2 * i + 1] + by * d;
					continue;
				}
				mx /= mlen;
				my /= mlen;
				const k = d / Math.max(mx * bx + my * by, MIN_MITRE_COS);
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
			const n = xy.length >> 1;
			let j;
			let k;
			if (n < 3) {
				const all = new Int32Array(n);
				for (j = 0; j < n; j++) { all[j] = j; }
				return all;
			}
			const keep = new Uint8Array(n);
			const t2 = tolerance * tolerance;
			const stack = [0, n - 1];
			let kept = 2;
			keep[0] = keep[n - 1] = 1;
			while (stack.length) {
				const last = stack.pop();
				const first = stack.pop();
				const ax = xy[2 * first];
				const ay = xy[2 * first + 1];
				const dx = xy[2 * last] - ax;
				const dy = xy[2 * last + 1] - ay;
				const len2 = dx * dx + dy * dy;
				let max = t2;
				let index = -1;
				for (let i = first + 1; i < last; i++) {
					const px = xy[2 * i] - ax;
					const py = xy[2 * i + 1] - ay;
					let t = len2 ? (px * dx + py * dy) / len2 : 0;
					t = t < 0 ? 0 : t > 1 ? 1 : t;
					const ex = px - t * dx;
					const ey = py - t * dy;
					const d2 = ex * ex + ey * ey;
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
			const out = new Int32Array(kept);
			for (j = 0, k = 0; j < n; j++) {
				if (keep[j]) { out[k++] = j; }
			}
			return out;
		},

		// L.Points -> flat Float64Array without consecutive duplicates (a zero-length
		// segment has no direction to offset along).
		flatten: function (points) {
			const out = new Float64Array(2 * points.length);
			let n = 0;
			for (let i = 0; i < points.length; i++) {
				const p = points[i];
				if (n && out[2 * n - 2] === p.x && out[2 * n - 1] === p.y) { continue; }
				out[2 * n] = p.x;
				out[2 * n + 1] = p.y;
				n++;
			}
			return n === points.length ? out : out.slice(0, 2 * n);
		}
	};
})(L);
