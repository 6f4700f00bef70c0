/*
 * L.SiberiaMap.RecordScene: where each of the month's records is drawn.
 *
 * RecordLayer asks for a scene on every change, RecordCanvas draws it and RecordHits
 * answers the pointer from it. Working it out is the geometry of legibility: presence
 * along the railway goes beside the track in lanes, one lane per contingent where
 * contingents share track in that month (TrackLanes), each piece of track drawn once per
 * colour (TrackUnion); records sharing one place are spread into a small ring (a compact
 * spiral when there are many); one drawing per area, contingent and style.
 *
 * Speed: one pass over the month's records (the Model's bucket, so never over the whole
 * data set), into typed arrays reused from step to step; the railway lines of a month are
 * kept per month and set of hidden contingents, and the neighbouring months' are worked out
 * while the browser is idle.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	// Symbol kinds, in the order of SymbolSprites' styles.
	const POINT = 0;
	const POINT_UNC = 1;
	const EVENT = 2;
	const EVENT_UNC = 3;

	// Up to this many symbols at one place go on a ring, more into a spiral.
	const RING_MAX = 8;
	// The records of a month drawn as badges: none here (frozen: the scene never changes it).
	const NONE = Object.freeze([]);
	const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));

	SM.RecordScene = L.Class.extend({

		// @option laneSpacing: Number = 5
		// Pixels between the centre lines of neighbouring lanes (see RecordLayer).
		//
		// @option spreadMax: Number = 10
		// Most pixels a symbol's centre may lie from its place when several share it: the
		// stack stays on its town at every zoom, never on the next town or out at sea.
		// Past what a ring of `ringSpacing` holds in it, the symbols overlap (a click
		// inside the disc lists them all in the chooser).
		//
		// @option ringSpacing: Number = 15
		// Pixels between neighbouring symbols when several records share a place.
		options: {
			laneSpacing: 5,
			spreadMax: 10,
			ringSpacing: 15
		},

		// @param controller: L.SiberiaMap.Controller
		// @param palette: Array
		// The contingents' colours in legend order, then the neutral colour.
		initialize: function (controller, palette, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			this._model = controller.model;
			this._lanes = new SM.TrackLanes(this._model, {spacing: this.options.laneSpacing});
			this._union = new SM.TrackUnion(this._model);
			this._trackMemos = [];
			this._trackMemo = null;
			this._idle = null;
			this._stopped = false;
			this._palette = palette;
			this._neutral = palette.length - 1;
			// Per anchor: symbols there this month, and how far the largest reaches.
			this._count = new Int32Array(this._model.anchorKeys.length);
			this._reach = new Float64Array(this._model.anchorKeys.length);
			// Symbols in the bucket's order (events first, `split` of them), then the lines
			// and areas.
			this.scene = {n: 0, split: 0, rec: [], sprite: [], anchor: new Int32Array(0), slot: new Int32Array(0),
				dx: new Float64Array(0), dy: new Float64Array(0), tracks: [], areas: []};
			this.clearance = {};
		},

		// @method build(sprites: Object): Object
		// The scene of the current month and contingents, in one pass over the month's
		// records (which come events first, in date order, then presence by contingent: see
		// Model), into the reused arrays: `{n, split, rec, sprite, anchor, slot, dx, dy,
		// tracks, areas}`. `sprites` are RecordLayer's SymbolSprites. Also sets `clearance`:
		// for each place with symbols ("lat,lon"), how many pixels they reach from it.
		build: function (sprites) {
			const ctl = this._ctl;
			// A busy month is drawn as count badges instead (CountBadgeLayer): no records, and
			// no railway lanes worked out and kept for it.
			const summarized = ctl.summarized();
			const recs = summarized ? NONE : ctl.visibleRecords();
			const s = this.scene;
			const tracks = summarized ? {groups: NONE} : this._trackCache();
			const lineRecs = [];
			const count = this._count;
			const reach = this._reach;
			const touched = [];
			const seenArea = new Map();
			const anyHidden = ctl.hiddenIndices().length;
			const nColours = this._palette.length;
			let i;
			let k;
			let a;
			this._reserve(recs.length);
			s.n = s.split = 0;
			s.areas = [];
			for (i = 0; i < recs.length; i++) {
				const rec = recs[i];
				const ci = anyHidden ? ctl.recordColourIndex(rec) : (rec.c.length ? rec.c[0] : -1);
				const colour = ci < 0 ? this._neutral : ci;
				if (rec.type === 'presence' && rec.shape === 'ln') {
					lineRecs.push(rec);
					continue;
				}
				if (rec.shape === 'none') { continue; }  // listed in the events panel, not drawn
				if (rec.type === 'presence' && rec.shape === 'pg') {
					// One drawing per area, contingent and style: the rest would be drawn
					// exactly on top of it. The later record is the one on top, as before.
					const key = (rec.g * nColours + colour) * 2 + (rec.unc ? 1 : 0);
					const at = seenArea.get(key);
					const item = {rec: rec, colour: colour, colourValue: this._palette[colour]};
					if (at === undefined) {
						seenArea.set(key, s.areas.length);
						s.areas.push(item);
					} else {
						s.areas[at] = item;
					}
				}
				const kind = rec.type === 'event' ? (rec.unc ? EVENT_UNC : EVENT) : (rec.unc ? POINT_UNC : POINT);
				const sprite = sprites.get(kind, colour);
				k = s.n++;
				if (rec.type === 'event') { s.split = s.n; }
				a = rec.a;
				s.rec[k] = rec;
				s.sprite[k] = sprite;
				s.anchor[k] = a;
				if (!count[a]) {
					touched.push(a);
					reach[a] = 0;
				}
				s.slot[k] = count[a]++;
				if (sprite.extent > reach[a]) { reach[a] = sprite.extent; }
			}
			s.rec.length = s.sprite.length = s.n;
			if (!tracks.groups) { tracks.groups = this._buildTracks(ctl.window(), lineRecs); }
			s.tracks = tracks.groups;
			for (k = 0; k < s.n; k++) { this._shift(s, k, count[s.anchor[k]]); }
			const clearance = {};
			const keys = this._model.anchorKeys;
			for (i = 0; i < touched.length; i++) {
				a = touched[i];
				clearance[keys[a]] = this.radius(count[a]) + reach[a];
				count[a] = 0;
			}
			this.clearance = clearance;
			return s;
		},

		// Readers step month by month (buttons, arrow keys, play), so the railway lines of the
		// other months are worked out while the browser is idle, nearest months first, a few
		// at a time: the first steps through busy months then cost no more than the later
		// ones. Nothing is done while there is no idle time (no timeout): the step that needs
		// a month's lines builds them itself.
		// @method prefetch(): this
		prefetch: function () {
			if (this._idle) { return; }
			const self = this;
			const run = function (deadline) {
				self._idle = null;
				// (A window of several months is not stepped through month by month.)
				if (self._stopped || !self._trackMemo || self._ctl.isWindow()) { return; }
				const m = self._ctl.monthIndex();
				const n = self._ctl.monthCount();
				let built = 0;
				for (let d = 1; d < n; d++) {
					for (let month = m + d; month >= m - d; month -= 2 * d) {
						if (month < 0 || month >= n || self._trackMemo.months[month] || self._ctl.summarized(month)) { continue; }
						// (setTimeout has no deadline: two months, then yield.)
						if (deadline ? deadline.timeRemaining() < 10 : built === 2) {
							self.prefetch();
							return;
						}
						self._tracksFor(month);
						built++;
					}
				}
			};
			this._stopped = false;
			this._idle = window.requestIdleCallback ? window.requestIdleCallback(run) : setTimeout(run, 100);
			return this;
		},

		// @method stop(): this
		// No more idle work (the layer left the map).
		stop: function () {
			this._stopped = true;
			if (this._idle) {
				if (window.cancelIdleCallback) { window.cancelIdleCallback(this._idle); } else { clearTimeout(this._idle); }
				this._idle = null;
			}
			return this;
		},

		// The railway lines depend on the month and the hidden contingents only: built once
		// per month while the same contingents are hidden, for readers stepping back and forth.
		// The last few sets of hidden contingents are kept, so that unticking a contingent
		// and ticking it again finds the lines still there.
		_trackCache: function () {
			const ctl = this._ctl;
			const hidden = ctl.hiddenIndices().join();
			const memos = this._trackMemos;
			let cache = memos[0];
			if (!cache || cache.hidden !== hidden) {
				cache = null;
				for (let i = 0; i < memos.length; i++) {
					if (memos[i].hidden === hidden) {
						cache = memos.splice(i, 1)[0];
						break;
					}
				}
				memos.unshift(cache = cache || {hidden: hidden, months: {}});
				memos.length = Math.min(memos.length, 4);
			}
			this._trackMemo = cache;
			const w = ctl.window();
			const m = w.from === w.to ? w.to : w.from + '..' + w.to;
			return cache.months[m] || (cache.months[m] = {groups: null});
		},

		// The railway lines of another month with the current contingents hidden (what
		// _update would build there), into the cache.
		_tracksFor: function (month) {
			const ctl = this._ctl;
			const cache = this._trackMemo;
			if (!cache || cache.hidden !== ctl.hiddenIndices().join() || cache.months[month]) { return; }
			const bucket = this._model.bucket(month);
			const recs = [];
			for (let i = 0; i < bucket.length; i++) {
				if (bucket[i].type === 'presence' && bucket[i].shape === 'ln' && ctl.isRecordVisible(bucket[i])) { recs.push(bucket[i]); }
			}
			cache.months[month] = {groups: this._buildTracks({from: month, to: month}, recs)};
		},

		// The shown presence records along the railway of a window of months ({from, to})
		// -> TrackUnion groups, in their lanes. A presence record takes its contingent's colour.
		_buildTracks: function (w, recs) {
			const offsets = this._lanes.offsets(w.from, recs, w.to);
			const lines = [];
			for (let i = 0; i < recs.length; i++) {
				const c = recs[i].c[0];
				lines.push({rec: recs[i], colour: c, colourValue: this._palette[c], offset: offsets[c] || 0});
			}
			return this._union.build(lines);
		},

		_reserve: function (n) {
			const s = this.scene;
			if (s.anchor.length >= n) { return; }
			n = Math.max(n, 2 * s.anchor.length, 64);
			s.anchor = new Int32Array(n);
			s.slot = new Int32Array(n);
			s.dx = new Float64Array(n);
			s.dy = new Float64Array(n);
		},

		// Several symbols on one place: events first, then presence in legend order (the
		// order they come in). A few sit on a ring just wide enough for them (two side by
		// side); more are packed in a sunflower spiral, in a disc of at most `spreadMax`
		// pixels, so a busy place (Vladivostok) stays a compact pile on its town.
		_shift: function (s, k, n) {
			const i = s.slot[k];
			let r;
			let a;
			if (n === 1) {
				s.dx[k] = s.dy[k] = 0;
				return;
			}
			if (n <= RING_MAX) {
				r = this.radius(n);
				a = (n === 2 ? Math.PI : -Math.PI / 2) + 2 * Math.PI * i / n;
			} else {
				r = this.options.spreadMax * Math.sqrt((i + 0.5) / n);
				a = i * GOLDEN_ANGLE;
			}
			s.dx[k] = Math.round(r * Math.cos(a));
			s.dy[k] = Math.round(r * Math.sin(a));
		},

		// How far from the place the centres of `n` symbols there lie (the outermost one).
		// @method radius(n: Number): Number
		radius: function (n) {
			const spacing = this.options.ringSpacing;
			const max = this.options.spreadMax;
			if (n <= 1) { return 0; }
			if (n <= RING_MAX) { return Math.min(max, Math.max(spacing / 2 + 1, n * spacing / (2 * Math.PI))); }
			return max * Math.sqrt((n - 0.5) / n);
		},

		// @method offsetOf(rec: Object): Array
		// [dx, dy]: how far the record's symbol is shifted from its place in this scene, or
		// null when it has no symbol.
		offsetOf: function (rec) {
			const s = this.scene;
			for (let k = 0; k < s.n; k++) {
				if (s.rec[k] === rec) { return [s.dx[k], s.dy[k]]; }
			}
			return null;
		}
	});
})(L);
