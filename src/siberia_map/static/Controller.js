/*
 * L.SiberiaMap.Controller: the one state of the map (the window of months, hidden contingents).
 *
 * Every control and layer reads the state from here and re-renders on its single 'change'
 * event; none keeps a copy of its own. That is what keeps the slider, the checkboxes, the
 * events list, the URL and the drawing from drifting apart, whichever of them was used.
 *
 * Time is a window of months, `from..month`, in one of three modes: 'month' (the month
 * alone, from = month), 'upto' (everything up to the month, from = the first month) and
 * 'range' (any from <= month). `month` is the window's last month: what the control layer,
 * the movements and the strength chart's cursor show, and what a step moves. In a range
 * the window slides: a step moves both ends, keeping its length.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	const MODES = ['month', 'upto', 'range'];

	// @event change: Event
	// Fired after the state changed, with `monthChanged` (the window changed, either end or
	// the mode), `windowChanged` (its first month or mode changed) and `filterChanged` flags.
	// @event recordpopup: Event
	// Fired when a record's popup opens (`record`) or closes (`record` null).
	SM.Controller = L.Evented.extend({

		// @param options: Object
		// `badgeThreshold` (Number, 0: never): above this many records in a month of a
		// one-month window, the map shows a count badge per place (CountBadgeLayer) instead of
		// a symbol per record (see summarized()).
		initialize: function (model, options) {
			this.model = model;
			this.badgeThreshold = options && options.badgeThreshold > 0 ? options.badgeThreshold : 0;
			this._month = 0;
			this._from = 0;
			this._mode = 'month';
			this._hidden = {};
			this._hiddenCount = 0;
			this._visible = null;
			this._visibleEventCount = 0;
			this._eventList = null;
			this._present = {};
		},

		months: function () {
			return this.model.months.slice();
		},

		monthCount: function () {
			return this.model.months.length;
		},

		monthIndex: function () {
			return this._month;
		},

		month: function () {
			return this.model.months[this._month] || '';
		},

		monthLabel: function () {
			return util.monthLabel(this.month());
		},

		// @method window(): Object
		// `{mode, from, to}`: the mode and the first and last month index of the window.
		window: function () {
			return {mode: this._mode, from: this._from, to: this._month};
		},

		// @method isWindow(): Boolean
		// Whether more than one month is shown.
		isWindow: function () {
			return this._from < this._month;
		},

		// @method windowLabel(): String
		// The window in words: "June 1919", "Up to August 1919", "June\u2013August 1919",
		// "December 1918 \u2013 February 1919".
		windowLabel: function () {
			return SM.Controller.windowLabel(this.model.months, this._mode, this._from, this._month);
		},

		// @method setMonthIndex(index: Number): this
		// Goes to a month: in a range the window moves there whole (its last month at
		// `index`, its length kept, as far as the months reach); otherwise the month (and the
		// end of "up to") is `index`.
		setMonthIndex: function (index) {
			if (this._mode !== 'range') { return this.setState({month: index}); }
			return this.step(Math.round(+index) - this._month);
		},

		// @method step(delta: Number): this
		// Moves the window by `delta` months; a range slides, keeping its length, and stops
		// at the first and last month.
		step: function (delta) {
			if (this._mode !== 'range') { return this.setState({month: this._month + delta}); }
			const last = this.model.months.length - 1;
			const d = Math.max(-this._from, Math.min(last - this._month, Math.round(+delta) || 0));
			return this.setState({from: this._from + d, month: this._month + d});
		},

		// @method setWindow(mode: String, from?: Number, to?: Number): this
		// Shows a window: 'month' (the month `to`), 'upto' (everything up to `to`) or
		// 'range' (`from` to `to`, swapped when given the wrong way round). Left out, `to` is
		// the current month and a range's `from` keeps the range's length (three months when
		// coming from another mode).
		setWindow: function (mode, from, to) {
			if (MODES.indexOf(mode) < 0) { throw new RangeError('siberia-map: no window mode ' + mode); }
			const state = {mode: mode};
			if (to !== undefined && to !== null) { state.month = to; }
			if (from !== undefined && from !== null) { state.from = from; }
			return this.setState(state);
		},

		isHidden: function (ci) {
			return !!this._hidden[ci];
		},

		hiddenIndices: function () {
			const out = [];
			for (let i = 0; i < this.model.contingents.length; i++) {
				if (this._hidden[i]) { out.push(i); }
			}
			return out;
		},

		setHidden: function (ci, hidden) {
			const list = this.hiddenIndices().filter(function (i) { return i !== ci; });
			if (hidden) { list.push(ci); }
			return this.setState({hidden: list});
		},

		setAllHidden: function (hidden) {
			return this.setState({hidden: hidden ? this.model.contingents.map(function (c) { return c.index; }) : []});
		},

		// Applies a month and/or a hidden set at once and fires a single 'change', so that
		// restoring a link does not render (or write the URL) twice.
		// @param state: Object
		// `{month: index, from: index, mode: 'month'|'upto'|'range', hidden: [contingent
		// index]}`, every key optional. `from` alone (or with `month`) makes the window a
		// range, unless the mode says otherwise.
		setState: function (state) {
			let monthChanged = false;
			let windowChanged = false;
			let filterChanged = false;
			const n = this.model.months.length;
			const clamp = function (v) { return Math.max(0, Math.min(n - 1, Math.round(+v) || 0)); };
			if (n && (state.month !== undefined || state.from !== undefined || state.mode !== undefined)) {
				const oldFrom = this._from;
				const oldMonth = this._month;
				const mode = state.mode !== undefined ? state.mode : (state.from !== undefined ? 'range' : this._mode);
				let m = state.month !== undefined ? clamp(state.month) : this._month;
				let from;
				if (mode === 'month') {
					from = m;
				} else if (mode === 'upto') {
					from = 0;
				} else if (state.from !== undefined) {
					from = clamp(state.from);
				} else {
					// (A range keeps its length; one made from another mode spans three months.)
					const span = this._mode === 'range' ? oldMonth - oldFrom : 2;
					from = Math.max(0, m - span);
				}
				if (from > m) {
					const t = from;
					from = m;
					m = t;
				}
				windowChanged = from !== oldFrom || mode !== this._mode;
				monthChanged = m !== oldMonth || windowChanged;
				this._month = m;
				this._from = from;
				this._mode = mode;
			}
			if (state.hidden !== undefined) {
				const next = {};
				for (let i = 0; i < state.hidden.length; i++) {
					const ci = state.hidden[i];
					if (this.model.contingents[ci]) { next[ci] = true; }
				}
				filterChanged = Object.keys(next).sort().join() !== Object.keys(this._hidden).sort().join();
				this._hidden = next;
				this._hiddenCount = Object.keys(next).length;
			}
			if (monthChanged || windowChanged || filterChanged || state.force) {
				this._visible = this._eventList = null;
				this.fire('change', {monthChanged: monthChanged || !!state.force,
					windowChanged: windowChanged || !!state.force,
					filterChanged: filterChanged || !!state.force});
			}
			return this;
		},

		// @method at(month: Number): Object
		// The state as it would be with `month` shown alone and the same contingents hidden:
		// an object that answers this controller's questions (monthIndex, window,
		// visibleRecords, summarized, isHidden...) for that month, so that what a step there
		// would show can be worked out ahead (see StepAhead). It only answers: it changes
		// nothing and fires nothing.
		at: function (month) {
			const view = Object.create(this);
			view._month = view._from = Math.max(0, Math.min(this.model.months.length - 1, month | 0));
			view._mode = 'month';
			// (Own properties: a change replaces `_hidden`, never edits it, so the view keeps
			// the contingents hidden when it was made.)
			view._hidden = this._hidden;
			view._hiddenCount = this._hiddenCount;
			view._visible = view._eventList = null;
			view.fire = view.setState = function () { throw new Error('siberia-map: Controller.at() is read-only'); };
			return view;
		},

		// A contingent's records are hidden with it; an event stays while any of its
		// contingents is shown, and one that belongs to no contingent is always shown.
		isRecordVisible: function (rec) {
			if (!rec.c.length) { return rec.type === 'event'; }
			for (let i = 0; i < rec.c.length; i++) {
				if (!this._hidden[rec.c[i]]) { return true; }
			}
			return false;
		},

		// The window's shown records in the bucket's order (see Model): events by date
		// first, then presence by contingent; in a window of several months, each record
		// once. The returned array is shared: do not change it.
		visibleRecords: function () {
			if (!this._visible) {
				const bucket = this.model.bucket(this._from, this._month);
				let out;
				let events = 0;
				if (!this._hiddenCount) {
					out = bucket;
					events = this.model.bucketEvents(this._from, this._month);
				} else {
					out = [];
					for (let i = 0; i < bucket.length; i++) {
						if (this.isRecordVisible(bucket[i])) {
							out.push(bucket[i]);
							if (bucket[i].type === 'event') { events++; }
						}
					}
				}
				this._visible = out;
				this._visibleEventCount = events;
			}
			return this._visible;
		},

		// @method summarized(month?: Number): Boolean
		// Whether the records of the window are drawn as count badges per place: a window of
		// one month holding more than `badgeThreshold` records, and counts in the payload.
		// RecordScene then draws no record; the events list, search and popups work as ever.
		// With `month`, whether that month would be, shown alone.
		summarized: function (month) {
			if (month === undefined) {
				if (this._from !== this._month) { return false; }
				month = this._month;
			}
			return this.badgeThreshold > 0 && !!this.model.counts && this.model.bucketSize(month) > this.badgeThreshold;
		},

		// @method setBadgeThreshold(n: Number): this
		// Changes `badgeThreshold` (0: never badges) and redraws.
		setBadgeThreshold: function (n) {
			this.badgeThreshold = n > 0 ? n : 0;
			return this.setState({force: true});
		},

		// The current month's shown events in date order (ties keep the data set's order):
		// the head of visibleRecords(). A copy: where the count or a few entries will do,
		// visibleEventCount() and visibleRecords() spare a busy month's list.
		visibleEvents: function () {
			if (!this._eventList) {
				this._eventList = this.visibleRecords().slice(0, this.visibleEventCount());
			}
			return this._eventList;
		},

		visibleEventCount: function () {
			// One month with nothing hidden: the model's count, from the index while the
			// month's bucket is not built (a step asks before anything needs the records,
			// and a busy month's bucket took 5 ms of the step at a million records).
			if (!this._visible && !this._hiddenCount && this._from === this._month) {
				return this.model.bucketEvents(this._month);
			}
			this.visibleRecords();
			return this._visibleEventCount;
		},

		// Which contingents have any record in the window, shown or not (the legend greys
		// the others out so a reader sees who was there). Cached per window: hiding changes
		// nothing.
		presentContingents: function () {
			const m = this._from === this._month ? this._month : this._from + '..' + this._month;
			if (!this._present[m]) {
				const present = {};
				const bucket = this.model.bucket(this._from, this._month);
				let left = this.model.contingents.length;
				// Stops as soon as every contingent has turned up (at once in a busy month).
				for (let i = 0; i < bucket.length && left; i++) {
					for (let j = 0; j < bucket[i].c.length; j++) {
						if (!present[bucket[i].c[j]]) {
							present[bucket[i].c[j]] = true;
							left--;
						}
					}
				}
				this._present[m] = present;
			}
			return this._present[m];
		},

		// An event takes the colour of its first contingent still shown, so the colour on the
		// map always matches a ticked entry in the legend.
		recordColour: function (rec) {
			const ci = this.recordColourIndex(rec);
			return ci < 0 ? util.NEUTRAL : this.model.contingents[ci].colour;
		},

		// The contingent whose colour the record takes, or -1 (no contingent: neutral grey).
		recordColourIndex: function (rec) {
			const c = rec.c;
			if (!this._hiddenCount) { return c.length ? c[0] : -1; }
			for (let i = 0; i < c.length; i++) {
				if (!this._hidden[c[i]]) { return c[i]; }
			}
			return c.length ? c[0] : -1;
		},

		// Asks the record layer to open a record's popup (used by the events list).
		// @param options: Object
		// `{pan: false}` opens it where the record is, without first panning it into view.
		openRecord: function (rec, options) {
			this.fire('openrecord', {record: rec, pan: !options || options.pan !== false});
		}
	});

	// @function windowLabel(months: Array, mode: String, from: Number, to: Number): String
	// A window of `months` (YYYY-MM) in words, as Controller.windowLabel gives it.
	SM.Controller.windowLabel = function (months, mode, from, to) {
		const last = util.monthLabel(months[to]);
		if (mode === 'upto' && to > 0) { return util.t('months.upTo', {month: last}); }
		if (!(from < to)) { return last; }
		return SM.i18n.monthRange(months[from], months[to]);
	};
})(L);
