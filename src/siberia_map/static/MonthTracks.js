/*
 * L.SiberiaMap.MonthTracks: the railway lines of each month, worked out once.
 *
 * Presence along the railway goes beside the track in lanes, one lane per contingent where
 * contingents share track in that month (TrackLanes), each piece of track drawn once per
 * colour (TrackUnion). That depends on the month and the hidden contingents only, and is
 * the dearest part of a busy month's scene: so the lines are kept per month and set of
 * hidden contingents, and those of the other months are worked out while the browser is
 * idle.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	// A month's lines are worked out when the idle time left holds this much more than the
	// last month's took...
	const SLACK = 1.25;
	// ...and one idle callback works at most this many ms (see prefetch).
	const SPAN = 8;
	// What a month is expected to take shrinks by this each time it does not fit.
	const DECAY = 0.9;

	SM.MonthTracks = L.Class.extend({

		// @option laneSpacing: Number = 5
		// Pixels between the centre lines of neighbouring lanes (see RecordLayer).
		options: {
			laneSpacing: 5
		},

		// @param controller: L.SiberiaMap.Controller
		// @param palette: Array
		// The contingents' colours in legend order (then the neutral colour).
		initialize: function (controller, palette, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			this._model = controller.model;
			this._palette = palette;
			this._lanes = new SM.TrackLanes(this._model, {spacing: this.options.laneSpacing});
			this._union = new SM.TrackUnion(this._model);
			this._memos = [];
			this._memo = null;
			this._idle = null;
			this._stopped = false;
			// What the last month's lines took to work out, in ms (before any: a guess).
			this._cost = SPAN / 2;
		},

		// @method entry(ctl: Controller): Object
		// Where the lines of the window of `ctl` (the controller, or Controller.at) are kept,
		// as `{groups}`: null groups until built (see build). The last few sets of hidden
		// contingents are kept, so that unticking a contingent and ticking it again finds the
		// lines still there.
		entry: function (ctl) {
			const hidden = ctl.hiddenIndices().join();
			const memos = this._memos;
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
			this._memo = cache;
			const w = ctl.window();
			const m = w.from === w.to ? w.to : w.from + '..' + w.to;
			return cache.months[m] || (cache.months[m] = {groups: null});
		},

		// @method build(w: Object, recs: Array): Array
		// The shown presence records along the railway of a window of months ({from, to})
		// -> TrackUnion groups, in their lanes. A presence record takes its contingent's colour.
		build: function (w, recs) {
			const offsets = this._lanes.offsets(w.from, recs, w.to);
			const lines = [];
			for (let i = 0; i < recs.length; i++) {
				const c = recs[i].c[0];
				lines.push({rec: recs[i], colour: c, colourValue: this._palette[c], offset: offsets[c] || 0});
			}
			return this._union.build(lines);
		},

		// Readers step month by month (buttons, arrow keys, play), so the lines of the other
		// months are worked out while the browser is idle, nearest months first, a few at a
		// time: the first steps through busy months then cost no more than the later ones.
		// A month is worked out only where the idle time left holds what the last one took,
		// and one callback stops after SPAN ms: a key press or a timer that comes meanwhile
		// waits for it, whatever the idle deadline said (headless Chromium has said 48 ms
		// with the next step's timer due). Nothing is done while there is no idle time (no
		// timeout): the step that needs a month's lines builds them itself.
		// @method prefetch(): this
		prefetch: function () {
			if (this._idle) { return this; }
			const self = this;
			const run = function (deadline) {
				self._idle = null;
				// (A window of several months is not stepped through month by month.)
				if (self._stopped || !self._memo || self._ctl.isWindow()) { return; }
				const m = self._ctl.monthIndex();
				const n = self._ctl.monthCount();
				const start = performance.now();
				let built = 0;
				for (let d = 1; d < n; d++) {
					for (let month = m + d; month >= m - d; month -= 2 * d) {
						if (month < 0 || month >= n || self._memo.months[month] || self._ctl.summarized(month)) { continue; }
						// (setTimeout has no deadline: two months, then yield.)
						if (deadline ? !self._fits(deadline, start, built) : built === 2) {
							self.prefetch();
							return;
						}
						const t0 = performance.now();
						self._linesOf(month);
						self._cost = performance.now() - t0;
						built++;
					}
				}
			};
			this._stopped = false;
			this._idle = SM.util.whenIdle(run, undefined, 100);
			return this;
		},

		// Whether another month's lines fit in this idle callback. One that did not fit
		// is expected a little shorter the next time (it may have been a hiccup).
		_fits: function (deadline, start, built) {
			const need = this._cost * SLACK;
			if (built && performance.now() - start + need > SPAN) { return false; }
			if (deadline.timeRemaining() >= need) { return true; }
			if (!built) { this._cost *= DECAY; }
			return false;
		},

		// @method stop(): this
		// No more idle work (the records left the map).
		stop: function () {
			this._stopped = true;
			this._idle = SM.util.cancelIdle(this._idle);
			return this;
		},

		// The lines of another month with the current contingents hidden (what a step there
		// would build), into the cache.
		_linesOf: function (month) {
			const ctl = this._ctl;
			const cache = this._memo;
			if (!cache || cache.hidden !== ctl.hiddenIndices().join() || cache.months[month]) { return; }
			const bucket = this._model.bucket(month);
			const recs = [];
			for (let i = 0; i < bucket.length; i++) {
				if (bucket[i].type === 'presence' && bucket[i].shape === 'ln' && ctl.isRecordVisible(bucket[i])) { recs.push(bucket[i]); }
			}
			cache.months[month] = {groups: this.build({from: month, to: month}, recs)};
		}
	});
})(L);
