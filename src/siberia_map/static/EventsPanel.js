/*
 * L.SiberiaMap.EventsPanel: the current month's events as a list, in date order.
 *
 * The list is the keyboard's and the screen reader's way into the map (canvas symbols
 * cannot take focus) and the reader's way to events stacked at one place: each entry is
 * a button that pans to the event and opens its popup.
 *
 * Folded (a phone's folded sheet, another tab open), the list is not on screen: a step then
 * updates only the heading, and the list catches up when the panel unfolds. Unfolded, a step
 * updates the heading at once and the entries when the browser is idle after the map's
 * frame; during a run of steps (an arrow key held down, a script stepping through the
 * months), once the run rests (see restAfter).
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	SM.EventsPanel = L.Control.extend({

		// setCollapsed, isCollapsed, getBody, getToggle (see util.js).
		includes: SM.CollapsiblePanel,

		// @option position: String = 'topleft'
		//
		// @option collapsedBelow: Number = 700
		// Viewport width in pixels under which the list starts folded.
		//
		// @option pageSize: Number = 60
		// Entries built per batch. A busy month can hold thousands of events; building them
		// all on every step would cost more than drawing the map, and nobody reads past the
		// first screens without asking for more.
		//
		// @option minEntryHeight: Number = 40
		// Pixels of the shortest entry. A step refills as many entries as can be in view in
		// the same frame; the rest of the page follows when the browser is idle.
		//
		// @option restAfter: Number = 100
		// Milliseconds. A step that comes sooner than this after the last one is part of a run
		// (a held arrow key repeats every 30-50 ms): it updates the heading only, leaves the
		// entries as they were, made inert, and the list is refilled once no step has come
		// for this long. A reader's own steps, a click or a key press at a time, come further
		// apart: their entries are refilled when the browser is next idle, within this long.
		// Refilling the entries in view cost a busy month's step 3-4 ms of its frame (see
		// benchmarks/README.md).
		options: {
			position: 'topleft',
			collapsedBelow: 700,
			pageSize: 60,
			minEntryHeight: 40,
			restAfter: 100
		},

		initialize: function (controller, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			this._buttons = new Map();  // by record id: ids such as 'constructor' are data
			this._records = [];
			this._count = 0;
			this._shownCount = 0;
			this._entries = [];
			// Entries _ready.._shownCount-1 still show the previous month (made inert).
			this._ready = 0;
			// Handles of util.whenIdle: the rest of the page's entries, and a reader's step's refill.
			this._idle = null;
			this._soon = null;
			// The list shows an earlier state than the controller's (steps taken while folded,
			// or during a run of steps: see restAfter).
			this._stale = false;
			// When the month last changed (a step), and the timer that refills the list once a
			// run of steps rests.
			this._steppedAt = -Infinity;
			this._rest = null;
			// Whether a step came yet: the first (the month the page opens at) shows at once.
			this._stepped = false;
		},

		onAdd: function () {
			const box = L.DomUtil.create('div', 'sm-panel sm-events');
			const self = this;
			box.setAttribute('role', 'region');
			this._box = box;
			// The heading is the fold button (disclosure pattern): one line says what the panel
			// is, which month, how many events, and opens or closes it.
			this._title = util.el('h2', 'sm-panel-heading', box);
			this._toggle = util.button('sm-panel-toggle', this._title, util.t('events.tab'));
			// (On a narrow screen the month is left out: the time bar says it.)
			this._toggleMonth = util.el('span', 'sm-panel-toggle-month', this._toggle);
			this._toggleCount = util.el('span', null, this._toggle);
			const body = this._body = util.el('div', 'sm-panel-body', box);
			body.id = L.Util.stamp(this) + '-sm-events-body';
			this._toggle.setAttribute('aria-controls', body.id);
			// The body's height and whether it is scrolled, as the last layout left them (see
			// _inView): read there, they would force a layout inside the step.
			this._bodyHeight = 0;
			this._scrolled = false;
			L.DomEvent.on(body, 'scroll', this._onScroll, this);
			if (window.ResizeObserver) {
				this._observer = new ResizeObserver(L.bind(function () { this._bodyHeight = this._body.clientHeight; }, this));
				this._observer.observe(body);
			}
			this._list = util.el('ol', 'sm-event-list', body);
			this._empty = util.el('p', 'sm-empty', body, util.t('events.empty'));
			this._more = util.el('li', 'sm-event-more');
			this._moreButton = util.button('sm-event-more-button', this._more);

			L.DomEvent.on(this._toggle, 'click', function () { self.setCollapsed(!self._collapsed); });
			L.DomEvent.on(this._list, 'click', this._onListClick, this);
			L.DomEvent.disableClickPropagation(box);
			L.DomEvent.disableScrollPropagation(box);
			this._setCollapsed(window.innerWidth < this.options.collapsedBelow, box);
			this._ctl.on('change', this._render, this);
			this._ctl.on('recordpopup', this._onRecordPopup, this);
			L.DomEvent.on(window, 'beforeprint', this.settle, this);
			this._render();
			return box;
		},

		onRemove: function () {
			this._ctl.off('change', this._render, this);
			this._ctl.off('recordpopup', this._onRecordPopup, this);
			L.DomEvent.off(window, 'beforeprint', this.settle, this);
			L.DomEvent.off(this._body, 'scroll', this._onScroll, this);
			if (this._observer) { this._observer.disconnect(); }
			this._cancelIdle();
			this._cancelRest();
			this._cancelSoon();
		},

		_onScroll: function () {
			this._scrolled = this._body.scrollTop > 0;
		},

		_setCollapsed: function (collapsed, box) {
			this._collapsed = collapsed;
			L.DomUtil[collapsed ? 'addClass' : 'removeClass'](box || this._container, 'sm-collapsed');
			this._toggle.setAttribute('aria-expanded', collapsed ? 'false' : 'true');
			// (Unfolding is a click, not a step: the whole first page is filled at once.)
			if (!collapsed && this._stale) { this.settle(); }
		},

		// @method settle(): this
		// Brings the list's whole first page up to date now (unfolded, before printing),
		// whatever is left for later: a run of steps resting, entries out of view.
		settle: function () {
			if (this._stale) {
				this._steppedAt = -Infinity;
				this._render();
			}
			this._finish();
			return this;
		},

		// A step changes the month's events, not the list's make-up: the entries built so far
		// are kept and refilled in place (text only where it differs), and only the surplus
		// is removed, so a step costs a few text updates instead of rebuilding the list.
		// `e`: the controller's change, if any.
		_render: function (e) {
			// The month's events are the head of its records (see Controller.visibleEvents).
			const ctl = this._ctl;
			const count = ctl.visibleEventCount();
			const aria = util.t(ctl.isWindow() ? 'events.ariaWindow' : 'events.aria');
			util.setAttr(this._box, 'aria-label', aria);
			util.setText(this._toggleMonth, ', ' + ctl.windowLabel());
			util.setText(this._toggleCount, ' (' + SM.i18n.number(count) + ')');
			// (The list, with its records, stays as it was until the panel unfolds.)
			if (this._collapsed) {
				this._stale = true;
				this._cancelIdle();
				this._cancelRest();
				this._cancelSoon();
				return;
			}
			// (Only a step after a step makes a run: the first step after the page opens, a
			// toggle or an unfolding shows at once.)
			const step = !!(e && e.monthChanged);
			const now = performance.now();
			const inRun = step && now - this._steppedAt < this.options.restAfter;
			if (step) { this._steppedAt = now; }
			if (inRun) {
				this._restLater();
				return;
			}
			this._cancelRest();
			if (step && this._stepped) {
				this._refillSoon();
				return;
			}
			this._stepped = this._stepped || step;
			this._refill();
		},

		// The entries of the list as the controller says now.
		_refill: function () {
			const ctl = this._ctl;
			const count = ctl.visibleEventCount();
			this._cancelSoon();
			this._stale = false;
			this._records = ctl.visibleRecords();
			this._count = count;
			const end = Math.min(count, this.options.pageSize);
			this._cancelIdle();
			this._shownCount = this._ready = 0;
			this._buttons = new Map();  // by record id: ids such as 'constructor' are data
			this._fill(end, this._inView(end));
			util.setHidden(this._empty, count > 0);
			util.setText(this._empty, util.t(ctl.isWindow() ? 'events.emptyWindow' : 'events.empty'));
			util.setHidden(this._list, count === 0);
		},

		// A reader's step: the map's frame first, the entries as soon as the browser is idle
		// after it (within restAfter). Refilling them cost a busy month's step 3-4 ms of its
		// frame; the reader sees the list follow the map a frame later.
		_refillSoon: function () {
			this._cancelSoon();
			this._stale = true;
			this._soon = util.whenIdle(L.bind(function () {
				this._soon = null;
				this._refill();
			}, this), this.options.restAfter, 0);
		},

		_cancelSoon: function () {
			this._soon = util.cancelIdle(this._soon);
		},

		// How many entries from the top can be in view: all of them once the list has been
		// scrolled (which ones are in view is then not worth guessing). The sizes are those
		// of the last layout, kept by a ResizeObserver and the scroll event: reading them here
		// forced a layout of whatever changed since (the rest of the last page, filled when
		// idle) inside the step. (Until the observer has reported, they are read.)
		_inView: function (end) {
			if (this._scrolled) { return end; }
			const h = this._bodyHeight || this._body.clientHeight;
			return Math.min(end, Math.ceil(h / this.options.minEntryHeight) + 1);
		},

		// Builds the next batch of entries, and a button for the rest if any are left.
		_appendPage: function () {
			this._finish();
			const end = Math.min(this._count, this._shownCount + this.options.pageSize);
			this._fill(end, end);
		},

		// Shows entries 0..end-1 of the current events, reusing the entries there are; those
		// from `now` on are refilled when the browser is idle (see _finish).
		_fill: function (end, now) {
			const entries = this._entries;
			let frag = null;
			let i;
			for (i = this._shownCount; i < end; i++) {
				if (!entries[i]) {
					entries[i] = this._entry(frag = frag || document.createDocumentFragment());
				} else if (!entries[i].li.parentNode) {
					(frag = frag || document.createDocumentFragment()).appendChild(entries[i].li);
				}
				if (i < now) {
					this._fillEntry(i);
				} else if (!entries[i].li.inert) {
					// Out of view, and showing another month until refilled: not to be clicked,
					// focused or read out in the meantime.
					entries[i].li.inert = true;
				}
			}
			this._ready = Math.max(this._ready, Math.min(now, end));
			if (this._ready < end) { this._requestIdle(); }
			for (i = end; i < entries.length && entries[i].li.parentNode; i++) {
				entries[i].rec = null;
				this._list.removeChild(entries[i].li);
			}
			if (frag) { this._list.insertBefore(frag, this._more.parentNode ? this._more : null); }
			this._shownCount = end;
			const left = this._count - end;
			if (left > 0) {
				util.setText(this._moreButton, util.t('events.more', {shown: Math.min(this.options.pageSize, left), left: left}));
				if (!this._more.parentNode) { this._list.appendChild(this._more); }
			} else if (this._more.parentNode) {
				this._list.removeChild(this._more);
			}
			this._onRecordPopup({record: this._active || null});
		},

		_fillEntry: function (i) {
			const entry = this._entries[i];
			const rec = this._records[i];
			this._setEntry(entry, rec, i);
			if (entry.li.inert) { entry.li.inert = false; }
			this._buttons.set(rec.id, entry.button);
		},

		// Refills the entries left for later (also before printing and before more are
		// added, so the list is never printed or extended half done).
		_finish: function () {
			this._cancelIdle();
			for (let i = this._ready; i < this._shownCount; i++) { this._fillEntry(i); }
			this._ready = this._shownCount;
			this._onRecordPopup({record: this._active || null});
		},

		_requestIdle: function () {
			if (this._idle) { return; }
			this._idle = util.whenIdle(L.bind(function () {
				this._idle = null;
				this._finish();
			}, this), 200, 50);
		},

		// A step in a run: the entries shown are another month's until the run rests, and are
		// not to be clicked, focused or read out meanwhile.
		_restLater: function () {
			this._cancelSoon();
			this._stale = true;
			this._cancelIdle();
			for (let i = 0; i < this._shownCount; i++) {
				if (!this._entries[i].li.inert) { this._entries[i].li.inert = true; }
			}
			this._cancelRest();
			this._rest = setTimeout(L.bind(function () {
				this._rest = null;
				this._render();
			}, this), this.options.restAfter);
		},

		_cancelRest: function () {
			if (this._rest) { clearTimeout(this._rest); }
			this._rest = null;
		},

		_cancelIdle: function () {
			this._idle = util.cancelIdle(this._idle);
		},

		_entry: function (parent) {
			const li = util.el('li', null, parent);
			const b = util.button('sm-event', li);
			const mark = util.el('span', 'sm-event-mark', b);
			mark.setAttribute('aria-hidden', 'true');
			const text = util.el('span', 'sm-event-text', b);
			return {li: li, button: b, mark: mark, when: util.el('span', 'sm-event-when', text),
				title: util.el('span', 'sm-event-title', text), where: util.el('span', 'sm-event-where', text),
				rec: null, colour: null, index: -1};
		},

		_setEntry: function (entry, rec, index) {
			const ctl = this._ctl;
			const model = ctl.model;
			const b = entry.button;
			const colour = ctl.recordColour(rec);
			if (entry.index !== index) {
				b.setAttribute('data-index', String(index));
				entry.index = index;
			}
			if (entry.rec === rec && entry.colour === colour) { return; }
			if (entry.rec === null || entry.rec.unc !== rec.unc) { b.className = 'sm-event' + (rec.unc ? ' sm-event-unc' : ''); }
			entry.mark.style.backgroundColor = rec.unc ? '' : colour;
			entry.mark.style.borderColor = rec.unc ? colour : '';
			entry.colour = colour;
			if (entry.rec === rec) { return; }
			util.setText(entry.when, util.str(model.field(rec, 'when')));
			util.setText(entry.title, util.str(model.field(rec, 'title')) || util.t('event.untitled'));
			const where = util.str(model.field(rec, 'where'));
			util.setText(entry.where, where);
			// (CSS gives these display: block, which would win over the hidden attribute.)
			entry.where.style.display = where ? '' : 'none';
			b.setAttribute('data-record', rec.id);
			entry.rec = rec;
		},

		// One listener for the whole list, so a month with many events costs no per-entry
		// listeners.
		_onListClick: function (e) {
			const target = e.target && e.target.closest ? e.target.closest('button') : null;
			if (!target || !this._list.contains(target)) { return; }
			if (L.DomUtil.hasClass(target, 'sm-event-more-button')) {
				const next = this._shownCount;
				this._appendPage();
				const first = this._list.querySelector('[data-index="' + next + '"]');
				if (first) { first.focus(); }
				return;
			}
			const rec = this._records[+target.getAttribute('data-index')];
			if (rec) { this._ctl.openRecord(rec); }
		},

		_onRecordPopup: function (e) {
			const rec = e.record && e.record.type === 'event' ? e.record : null;
			const prev = this._activeButton;
			const next = rec ? this._buttons.get(rec.id) || null : null;
			if (prev && prev !== next) {
				L.DomUtil.removeClass(prev, 'sm-active');
				prev.removeAttribute('aria-current');
			}
			if (next) {
				L.DomUtil.addClass(next, 'sm-active');
				next.setAttribute('aria-current', 'true');
			}
			this._activeButton = next;
			this._active = rec;
		}
	});

	SM.eventsPanel = function (controller, options) {
		return new SM.EventsPanel(controller, options);
	};
})(L);
