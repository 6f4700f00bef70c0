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

	const grow = SM.util.growInt32;

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
			this._stamp = this._owner = new Int32Array(0);
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
		// reshuffle when one is hidden), cached per month. Each segment remembers its first
		// contingent in a typed array; only segments with more get a list. (A window of
		// months: whoever shares track in any of them.)
		_monthConflicts: function (month, to) {
			const key = to === month ? month : month + '..' + to;
			if (this._conflicts[key]) { return this._conflicts[key]; }
			const model = this._model;
			const bucket = model.bucket(month, to);
			const nC = model.contingents.length;
			const seen = new Set();
			const lists = new Map();
			const conflicts = {};
			const stamp = ++this._stamps;
			let i;
			let k;
			const mark = function (a, b) {
				(conflicts[a] = conflicts[a] || {})[b] = true;
				(conflicts[b] = conflicts[b] || {})[a] = true;
			};
			for (i = 0; i < bucket.length; i++) {
				const rec = bucket[i];
				const c = rec.c[0];
				if (rec.type !== 'presence' || rec.shape !== 'ln' || seen.has(rec.g * nC + c)) { continue; }
				seen.add(rec.g * nC + c);
				const ids = model.segmentIds(rec.g);
				if (this._stamp.length < model.segmentCount()) {
					// (Grown with their contents: this month's marks so far must survive.)
					this._stamp = grow(this._stamp, 2 * model.segmentCount());
					this._owner = grow(this._owner, this._stamp.length);
				}
				for (k = 0; k < ids.length; k++) {
					const id = ids[k];
					if (this._stamp[id] !== stamp) {
						this._stamp[id] = stamp;
						this._owner[id] = c;
						continue;
					}
					if (this._owner[id] === c) { continue; }
					let list = lists.get(id);
					if (!list) { lists.set(id, list = [this._owner[id]]); }
					if (list.indexOf(c) >= 0) { continue; }
					for (let o = 0; o < list.length; o++) { mark(c, list[o]); }
					list.push(c);
				}
			}
			return (this._conflicts[key] = conflicts);
		}
	});
})(L);
