/*
 * L.SiberiaMap.TrackLanes: which lane each contingent on the railway runs in this month.
 *
 * Several contingents often held the same stretch of railway in the same month; drawn on
 * the track they would hide each other. Contingents that share any piece of track in a
 * month get lanes side by side (LineOffset draws them); one alone on its stretch runs on
 * the track itself. Lanes are per contingent and month, not per stretch, so a contingent
 * keeps its lane along the whole line and its colour reads as one ribbon.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	SM.TrackLanes = L.Class.extend({

		// @option spacing: Number = 5
		// Pixels between the centre lines of neighbouring lanes.
		options: {
			spacing: 5
		},

		// @param model: L.SiberiaMap.Model
		initialize: function (model, options) {
			L.setOptions(this, options);
			this._model = model;
			this._conflicts = {};
			// Scratch, kept between months: per (geometry, contingent) the last month's stamp
			// that counted it, and per segment the contingents on it (cleared after each use).
			this._seen = this._on = new Int32Array(0);
			this._stamps = 0;
		},

		// @method offsets(month: Number, records: Array, to?: Number): Object
		// Pixel offset per contingent index for the shown `records` of `month` (or of the
		// window of months `month..to`). Greedy lane colouring of the shown contingents on
		// track, in legend order; then each group of contingents that share track is centred
		// on the railway.
		offsets: function (month, records, to) {
			const shown = {};
			let i;
			for (i = 0; i < records.length; i++) {
				if (records[i].type === 'presence' && records[i].shape === 'ln') { shown[records[i].c[0]] = true; }
			}
			const ids = Object.keys(shown).map(Number).sort(function (a, b) { return a - b; });
			if (ids.length < 2) { return {}; }
			const conflicts = this._monthConflicts(month, to === undefined ? month : to);
			const lane = {};
			const offsets = {};
			const seen = {};
			const near = function (ci) {
				return Object.keys(conflicts[ci] || {}).map(Number).filter(function (cj) { return shown[cj]; });
			};
			ids.forEach(function (ci) {
				const used = {};
				near(ci).forEach(function (cj) { if (lane[cj] !== undefined) { used[lane[cj]] = true; } });
				let l = 0;
				while (used[l]) { l++; }
				lane[ci] = l;
			});
			const spacing = this.options.spacing;
			ids.forEach(function (ci) {
				if (seen[ci]) { return; }
				const component = [];
				const queue = [ci];
				let width = 0;
				seen[ci] = true;
				while (queue.length) {
					const cur = queue.shift();
					component.push(cur);
					width = Math.max(width, lane[cur] + 1);
					near(cur).forEach(function (cj) {
						if (!seen[cj]) { seen[cj] = true; queue.push(cj); }
					});
				}
				component.forEach(function (cj) { offsets[cj] = (lane[cj] - (width - 1) / 2) * spacing; });
			});
			return offsets;
		},

		// Which contingents share a piece of track in a month (shown or not, so lanes do not
		// reshuffle when one is hidden), cached per month. (A window of months: whoever
		// shares track in any of them.) Contingents are bits: each segment ORs in those on it,
		// then each contingent ORs in the segments it runs on, so a busy month is two passes
		// over its stretches' segments in typed arrays, however many contingents share them.
		_monthConflicts: function (month, to) {
			const key = to === month ? month : month + '..' + to;
			if (this._conflicts[key]) { return this._conflicts[key]; }
			const model = this._model;
			const bucket = model.bucket(month, to);
			const nC = model.contingents.length;
			const words = (nC + 31) >>> 5;
			// One (geometry, contingent) once: stretches repeat in a month.
			const stamp = ++this._stamps;
			if (this._seen.length < model.geoms.length * nC) { this._seen = new Int32Array(model.geoms.length * nC); }
			const seen = this._seen;
			const pairs = [];
			let i;
			let k;
			let w;
			for (i = 0; i < bucket.length; i++) {
				const rec = bucket[i];
				if (rec.type !== 'presence' || rec.shape !== 'ln') { continue; }
				const gc = rec.g * nC + rec.c[0];
				if (seen[gc] === stamp) { continue; }
				seen[gc] = stamp;
				pairs.push(rec.g, rec.c[0]);
			}
			if (this._on.length < model.segmentCount() * words) {
				this._on = new Int32Array(2 * model.segmentCount() * words);
			}
			const on = this._on;
			const touched = [];
			for (i = 0; i < pairs.length; i += 2) {
				const ids = model.segmentIds(pairs[i]);
				const c = pairs[i + 1];
				const word = c >>> 5;
				const bit = 1 << (c & 31);
				for (k = 0; k < ids.length; k++) {
					const at = ids[k] * words;
					if (!(on[at + word] & bit)) {
						if (words === 1 ? !on[at] : this._empty(on, at, words)) { touched.push(at); }
						on[at + word] |= bit;
					}
				}
			}
			const near = new Int32Array(nC * words);
			for (i = 0; i < pairs.length; i += 2) {
				const ids = model.segmentIds(pairs[i]);
				const row = pairs[i + 1] * words;
				for (k = 0; k < ids.length; k++) {
					for (w = 0; w < words; w++) { near[row + w] |= on[ids[k] * words + w]; }
				}
			}
			for (i = 0; i < touched.length; i++) {
				for (w = 0; w < words; w++) { on[touched[i] + w] = 0; }
			}
			const conflicts = {};
			for (let a = 0; a < nC; a++) {
				for (let b = 0; b < nC; b++) {
					if (a !== b && (near[a * words + (b >>> 5)] & (1 << (b & 31)))) { (conflicts[a] = conflicts[a] || {})[b] = true; }
				}
			}
			return (this._conflicts[key] = conflicts);
		},

		_empty: function (on, at, words) {
			for (let w = 0; w < words; w++) {
				if (on[at + w]) { return false; }
			}
			return true;
		}
	});
})(L);
