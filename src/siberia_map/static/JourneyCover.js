/*
 * L.SiberiaMap.JourneyCover: which pieces of the journeys lie entirely under the count
 * badges, for MovementLayer to leave out.
 *
 * In a month of count badges at a million records the badges stand all along the railway,
 * and the journeys drawn under the records' canvas cost a third of a step while not one
 * pixel of them showed. The badges say what they hide (CountBadgeLayer.cover: an
 * OcclusionMask of their opaque inside); a piece of a journey is left out where
 * everything its stroke reaches is covered. A stroke reaches half its width beyond its
 * line (as far beyond its ends with round caps; a square cap's corners that times the
 * square root of two), and its antialiasing a pixel more. A line cut where a piece is
 * hidden gets caps where it had joins, which only a round or bevelled join keeps within
 * that reach: a layer with other joins is never cut. And a dashed line cut in two would
 * start its dashes again where the second part starts: the whole routes, dashed, are cut
 * only where a dash starts anyway (traceRoute); the other layers, if dashed, never.
 *
 * Nothing that shows is left out. Chromium's antialiasing of a line's edge may move by a
 * level or two where a line left out of the same path ran close by (test_badges_browser).
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	SM.JourneyCover = L.Class.extend({

		initialize: function () {
			this._cover = null;
			this._reach = [];
			// Per piece, what the cover hides of it in each layer, worked out once per
			// drawing (`_hiddenAt` === `_token`): for layer j, bit 2j says it was, bit 2j + 1
			// whether hidden.
			this._hidden = new Uint8Array(0);
			this._hiddenAt = new Int32Array(0);
			this._token = 0;
			this._along = new Float64Array(0);
		},

		// @method start(cover: Object, styles: Array, pieces: Number): this
		// Starts a drawing under `cover` (CountBadgeLayer.cover; null: nothing hidden), its
		// layers stroked in `styles` (indexed by ROUTE, DONE, PART), the journeys' pieces
		// numbered below `pieces`.
		start: function (cover, styles, pieces) {
			this._cover = cover;
			if (!cover) { return this; }
			if (this._hidden.length < pieces) {
				this._hidden = new Uint8Array(Math.max(pieces, 2 * this._hidden.length));
				this._hiddenAt = new Int32Array(this._hidden.length);
			}
			this._token++;
			this._reach = styles.map(function (style, j) {
				const join = style.lineJoin === 'round' || style.lineJoin === 'bevel';
				const dashes = j !== SM.JourneyCover.ROUTE && style.dashArray && style.dashArray.length > 0;
				const half = style.lineCap === 'square' ? style.weight * Math.SQRT1_2 : style.weight / 2;
				return join && !dashes ? half + 1 : Infinity;
			});
			return this;
		},

		// @method end(): this
		// Ends the drawing (the cover is not kept).
		end: function () {
			this._cover = null;
			return this;
		},

		// @method active(): Boolean
		// Whether a drawing under a cover is under way.
		active: function () {
			return !!this._cover;
		},

		// @method headHidden(pts: Array, half: Number): Boolean
		// Whether the cover hides the triangle `pts` and its round-joined outline of half
		// width `half`.
		headHidden: function (pts, half) {
			const c = this._cover;
			return !!c && c.mask.coveredConvex(pts, half + 1, c.x, c.y);
		},

		// @method runs(mv: Object, pts: Array, f0: Number, j: Number, out: Array): Array
		// Appends to `out` what the cover leaves of `pts`, the sub-line of journey `mv` from
		// route share `f0` (see MovementLayer.cut) stroked in layer `j`: runs of its pieces,
		// each run one line (`pts` itself when nothing is hidden). Its first and last
		// pieces end between two vertices and are tested as they are; those in between are
		// whole pieces of the route (vertices a, a + 1...: the first whose share is past
		// f0). A run ends where a piece is hidden; the one after starts afresh.
		runs: function (mv, pts, f0, j, out) {
			if (!this._cover) {
				out.push(pts);
				return out;
			}
			let a = 0;
			while (a < mv.cf.length && !(mv.cf[a] > f0)) { a++; }
			const last = pts.length - 2;
			let run = null;
			for (let k = 0; k <= last; k++) {
				const hidden = k === 0 || k === last ? this._lineHidden(pts[k], pts[k + 1], j) : this._pieceHidden(mv, a + k - 1, j);
				if (hidden) {
					run = null;
					continue;
				}
				if (!run) { out.push(run = [pts[k]]); }
				run.push(pts[k + 1]);
			}
			return out;
		},

		// @method traceRoute(ctx: CanvasRenderingContext2D, mv: Object, from: Number, to: Number, dashArray: Array): this
		// Traces vertices `from`..`to` of journey `mv`'s route as one run of its dashes
		// would be drawn (leaving out its pieces of no length), less what the cover hides,
		// so that the dashes of the parts that show fall where they fall on the whole run.
		// A dash starts every period of the pattern along the run; a part after a hidden
		// stretch starts at the last such start before it, inside that stretch (where no
		// pixel shows), and its dashes then follow in the run's rhythm. Where no dash
		// starts inside the stretch the line goes on through it. A part ends at the end of
		// its last piece that shows, its cap or dash there under the hidden piece after it.
		traceRoute: function (ctx, mv, from, to, dashArray) {
			const px = mv.px;
			const seg = mv.seg;
			let period = 0;
			for (let d = 0; d < dashArray.length; d++) { period += dashArray[d]; }
			// (Canvas repeats an odd list of dashes twice over.)
			if (dashArray.length % 2) { period *= 2; }
			// Run length at each vertex.
			if (this._along.length < to - from + 1) { this._along = new Float64Array(2 * (to - from + 1)); }
			const along = this._along;
			along[0] = 0;
			for (let i = from; i < to; i++) {
				along[i + 1 - from] = along[i - from] + (seg[i] < 0 ? 0 : Math.hypot(px[i + 1][0] - px[i][0], px[i + 1][1] - px[i][1]));
			}
			let reached = -1;
			let gap = 0;
			for (let i = from; i < to; i++) {
				if (seg[i] < 0 || this._pieceHidden(mv, i, SM.JourneyCover.ROUTE)) { continue; }
				const s = along[i - from];
				const start = period > 0 ? Math.floor(s / period) * period : s;
				if (reached < 0 || start > gap) {
					let k = i;
					while (k > from && along[k - from] > start) { k--; }
					const len = along[k + 1 - from] - along[k - from];
					const t = len > 0 ? (start - along[k - from]) / len : 0;
					ctx.moveTo(px[k][0] + (px[k + 1][0] - px[k][0]) * t, px[k][1] + (px[k + 1][1] - px[k][1]) * t);
					reached = k;
				}
				for (let v = reached; v <= i; v++) {
					if (seg[v] >= 0) { ctx.lineTo(px[v + 1][0], px[v + 1][1]); }
				}
				reached = i + 1;
				gap = along[i + 1 - from];
			}
			return this;
		},

		// Whether the cover hides everything a stroke of layer `j` draws of the line p-q.
		_lineHidden: function (p, q, j) {
			const c = this._cover;
			return c.mask.coveredConvex([p, q], this._reach[j], c.x, c.y);
		},

		// Whether the cover hides layer j's stroke of the piece of `mv` from vertex i to
		// i + 1: once per piece, layer and drawing, however many journeys share the piece.
		_pieceHidden: function (mv, i, j) {
			const id = mv.seg[i];
			if (id < 0) { return this._lineHidden(mv.px[i], mv.px[i + 1], j); }
			if (this._hiddenAt[id] !== this._token) {
				this._hiddenAt[id] = this._token;
				this._hidden[id] = 0;
			}
			const known = this._hidden[id];
			if (!(known & (1 << 2 * j))) {
				const hidden = this._lineHidden(mv.px[i], mv.px[i + 1], j) ? 2 : 0;
				this._hidden[id] = known | ((1 | hidden) << 2 * j);
				return hidden > 0;
			}
			return (known & (2 << 2 * j)) !== 0;
		}
	});

	// The layers a journey is stroked in, bottom up: its whole route, the part travelled
	// before this month, this month's part.
	SM.JourneyCover.ROUTE = 0;
	SM.JourneyCover.DONE = 1;
	SM.JourneyCover.PART = 2;
})(L);
