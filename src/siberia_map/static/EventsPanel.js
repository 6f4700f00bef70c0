/*
 * L.SiberiaMap.EventsPanel: the current month's events as a list, in date order.
 *
 * The list is the keyboard's and the screen reader's way into the map (canvas symbols
 * cannot take focus) and the reader's way to events stacked at one place: each entry is
 * a button that pans to the event and opens its popup.
 */
(function (L) {
	'use strict';

	var SM = L.SiberiaMap = L.SiberiaMap || {};
	var util = SM.util;

	SM.EventsPanel = L.Control.extend({

		// @option position: String = 'topleft'
		//
		// @option collapsedBelow: Number = 700
		// Viewport width in pixels under which the list starts folded.
		//
		// @option pageSize: Number = 60
		// Entries built per batch. A busy month can hold thousands of events; building them
		// all on every step would cost more than drawing the map, and nobody reads past the
		// first screens without asking for more.
		options: {
			position: 'topleft',
			collapsedBelow: 700,
			pageSize: 60
		},

		initialize: function (controller, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			this._buttons = {};
			this._records = [];
			this._shownCount = 0;
			this._more = null;
		},

		onAdd: function () {
			var box = L.DomUtil.create('div', 'sm-panel sm-events'), self = this;
			box.setAttribute('role', 'region');
			box.setAttribute('aria-label', 'Events this month');
			this._toggle = util.button('sm-panel-toggle', box, 'Events');
			var body = this._body = util.el('div', 'sm-panel-body', box);
			body.id = L.Util.stamp(this) + '-sm-events-body';
			this._toggle.setAttribute('aria-controls', body.id);
			this._title = util.el('h2', 'sm-panel-title', body);
			this._list = util.el('ol', 'sm-event-list', body);
			this._empty = util.el('p', 'sm-empty', body, 'No events this month');

			L.DomEvent.on(this._toggle, 'click', function () { self._setCollapsed(!self._collapsed); });
			L.DomEvent.on(this._list, 'click', this._onListClick, this);
			L.DomEvent.disableClickPropagation(box);
			L.DomEvent.disableScrollPropagation(box);
			this._setCollapsed(window.innerWidth < this.options.collapsedBelow, box);
			this._ctl.on('change', this._render, this);
			this._ctl.on('recordpopup', this._onRecordPopup, this);
			this._render();
			return box;
		},

		onRemove: function () {
			this._ctl.off('change', this._render, this);
			this._ctl.off('recordpopup', this._onRecordPopup, this);
		},

		_setCollapsed: function (collapsed, box) {
			this._collapsed = collapsed;
			L.DomUtil[collapsed ? 'addClass' : 'removeClass'](box || this._container, 'sm-collapsed');
			this._toggle.setAttribute('aria-expanded', collapsed ? 'false' : 'true');
		},

		_render: function () {
			var ctl = this._ctl, events = ctl.visibleEvents();
			this._records = events;
			this._title.textContent = 'Events, ' + ctl.monthLabel();
			this._toggle.textContent = 'Events (' + events.length + ')';
			this._toggle.setAttribute('aria-label', 'Events this month: ' + events.length + '. Show or hide the list');
			this._buttons = {};
			this._activeButton = null;
			var list = this._list;
			while (list.firstChild) { list.removeChild(list.firstChild); }
			this._shownCount = 0;
			this._more = null;
			this._appendPage();
			this._empty.hidden = events.length > 0;
			this._list.hidden = events.length === 0;
		},

		// Builds the next batch of entries, and a button for the rest if any are left.
		_appendPage: function () {
			var ctl = this._ctl, model = ctl.model, events = this._records, frag = document.createDocumentFragment();
			if (this._more) {
				this._more.parentNode.removeChild(this._more);
				this._more = null;
			}
			var end = Math.min(events.length, this._shownCount + this.options.pageSize);
			for (var i = this._shownCount; i < end; i++) {
				var rec = events[i], li = util.el('li', null, frag);
				var b = util.button('sm-event' + (rec.unc ? ' sm-event-unc' : ''), li);
				var mark = util.el('span', 'sm-event-mark', b);
				mark.setAttribute('aria-hidden', 'true');
				mark.style[rec.unc ? 'borderColor' : 'backgroundColor'] = ctl.recordColour(rec);
				var text = util.el('span', 'sm-event-text', b);
				util.el('span', 'sm-event-when', text, util.str(model.field(rec, 'when')));
				util.el('span', 'sm-event-title', text, util.str(model.field(rec, 'title')) || 'Event');
				var where = util.str(model.field(rec, 'where'));
				if (where) { util.el('span', 'sm-event-where', text, where); }
				b.setAttribute('data-record', rec.id);
				b.setAttribute('data-index', String(i));
				this._buttons[rec.id] = b;
			}
			this._shownCount = end;
			if (end < events.length) {
				var li2 = this._more = util.el('li', 'sm-event-more', frag);
				util.button('sm-event-more-button', li2, 'Show ' + Math.min(this.options.pageSize, events.length - end) +
					' more of ' + (events.length - end) + ' remaining');
			}
			this._list.appendChild(frag);
			this._onRecordPopup({record: this._active || null});
		},

		// One listener for the whole list, so a month with many events costs no per-entry
		// listeners.
		_onListClick: function (e) {
			var target = e.target && e.target.closest ? e.target.closest('button') : null;
			if (!target || !this._list.contains(target)) { return; }
			if (L.DomUtil.hasClass(target, 'sm-event-more-button')) {
				var next = this._shownCount;
				this._appendPage();
				var first = this._list.querySelector('[data-index="' + next + '"]');
				if (first) { first.focus(); }
				return;
			}
			var rec = this._records[+target.getAttribute('data-index')];
			if (rec) { this._ctl.openRecord(rec); }
		},

		_onRecordPopup: function (e) {
			var rec = e.record && e.record.type === 'event' ? e.record : null;
			var prev = this._activeButton, next = rec ? this._buttons[rec.id] : null;
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
