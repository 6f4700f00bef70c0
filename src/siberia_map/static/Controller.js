/*
 * L.SiberiaMap.Controller: the one state of the map (current month, hidden contingents).
 *
 * Every control and layer reads the state from here and re-renders on its single 'change'
 * event; none keeps a copy of its own. That is what keeps the slider, the checkboxes, the
 * events list, the URL and the drawing from drifting apart, whichever of them was used.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	// @event change: Event
	// Fired after the state changed, with `monthChanged` and `filterChanged` flags.
	// @event recordpopup: Event
	// Fired when a record's popup opens (`record`) or closes (`record` null).
	SM.Controller = L.Evented.extend({

		initialize: function (model) {
			this.model = model;
			this._month = 0;
			this._hidden = {};
			this._hiddenCount = 0;
			this._visible = null;
			this._visibleEventCount = 0;
			this._eventList = null;
			this._present = [];
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

		setMonthIndex: function (index) {
			return this.setState({month: index});
		},

		step: function (delta) {
			return this.setState({month: this._month + delta});
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
		// `{month: index, hidden: [contingent index]}`, either key optional.
		setState: function (state) {
			let monthChanged = false;
			let filterChanged = false;
			if (state.month !== undefined && this.model.months.length) {
				const m = Math.max(0, Math.min(this.model.months.length - 1, Math.round(+state.month) || 0));
				monthChanged = m !== this._month;
				this._month = m;
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
			if (monthChanged || filterChanged || state.force) {
				this._visible = this._eventList = null;
				this.fire('change', {monthChanged: monthChanged || !!state.force,
					filterChanged: filterChanged || !!state.force});
			}
			return this;
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

		// The current month's shown records in the bucket's order (see Model): events by
		// date first, then presence by contingent. The returned array is shared: do not change it.
		visibleRecords: function () {
			if (!this._visible) {
				const bucket = this.model.bucket(this._month);
				let out;
				let events = 0;
				if (!this._hiddenCount) {
					out = bucket;
					events = this.model.bucketEvents(this._month);
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
			this.visibleRecords();
			return this._visibleEventCount;
		},

		// Which contingents have any record this month, shown or not (the legend greys the
		// others out so a reader sees who was there). Cached per month: hiding changes nothing.
		presentContingents: function () {
			const m = this._month;
			if (!this._present[m]) {
				const present = {};
				const bucket = this.model.bucket(m);
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
})(L);
