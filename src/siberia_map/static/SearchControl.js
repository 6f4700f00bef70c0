/*
 * L.SiberiaMap.SearchControl: find a place or an event by any of its names and go there.
 *
 * A reader may know the town as Novosibirsk or as Novonikolaevsk, with or without accents,
 * in Latin or Cyrillic letters: every name of a place (the 1918 name, the other spellings,
 * the modern name) and every event's title is matched, accents ignored (NFD, combining marks
 * stripped) and case-folded. Choosing a result shows its month (for a place: the current
 * month if it has records there, else the nearest month that has) and fits the view to it;
 * an event's popup opens. The pick is ringed on the map (PickMark) until the reader's next
 * step: another month or filter, a click on the map, a new search.
 *
 * The WAI-ARIA combobox pattern: the input owns a listbox of options; Up/Down move through
 * them, Enter chooses, Escape closes the list (and then clears the box). Results are DOM
 * text, never markup. The index is built on first use, not at start and never per step.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	// Every combining mark (accents after NFD), whatever its block.
	const MARKS = /\p{M}/gu;

	SM.SearchControl = L.Control.extend({

		// @option position: String = 'topleft'
		// Under the title, above the events.
		//
		// @option maxResults: Number = 8
		//
		// @option radius: Number = 300000
		// Metres around a place (or a point event) that the view is fitted to.
		//
		// @option mark: Boolean = true
		// Ring the pick on the map (see PickMark).
		options: {
			position: 'topleft',
			maxResults: 8,
			radius: 300000,
			mark: true
		},

		initialize: function (controller, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			this._entries = null;
			this._results = [];
			this._active = -1;
			this._layout = null;
			// The list's closing after the box lost the focus (see onAdd).
			this._closing = null;
		},

		// @method setLayout(layout: L.SiberiaMap.Layout): this
		// Views are fitted into the space the panels leave; the panels are re-measured when
		// the list opens and closes (it pushes the events list down).
		setLayout: function (layout) {
			this._layout = layout;
			return this;
		},

		onAdd: function (map) {
			const box = L.DomUtil.create('div', 'sm-search');
			const id = L.Util.stamp(this) + '-sm-search';
			box.setAttribute('role', 'search');
			const label = util.el('label', 'sm-visually-hidden', box, util.t('search.label'));
			const input = this._input = util.el('input', 'sm-search-input', box);
			input.type = 'search';
			input.id = id + '-input';
			label.htmlFor = input.id;
			input.placeholder = util.t('search.placeholder');
			input.autocomplete = 'off';
			input.spellcheck = false;
			input.setAttribute('role', 'combobox');
			input.setAttribute('aria-autocomplete', 'list');
			input.setAttribute('aria-expanded', 'false');
			const list = this._list = util.el('ul', 'sm-search-list', box);
			list.id = id + '-list';
			list.setAttribute('role', 'listbox');
			list.setAttribute('aria-label', util.t('search.list'));
			list.hidden = true;
			input.setAttribute('aria-controls', list.id);
			this._status = util.el('div', 'sm-visually-hidden', box);
			this._status.setAttribute('role', 'status');
			L.DomEvent.on(input, 'input', this._onInput, this);
			L.DomEvent.on(input, 'keydown', this._onKey, this);
			// (Closed 150 ms after the box loses the focus, so that a click on an option still
			// lands; not if the focus comes back first, or a list opened since would close.)
			L.DomEvent.on(input, 'blur', function () {
				this._keepOpen();
				this._closing = setTimeout(L.bind(function () {
					this._closing = null;
					this._close();
				}, this), 150);
			}, this);
			L.DomEvent.on(input, 'focus', this._keepOpen, this);
			// mousedown would take the focus from the input before the click chooses.
			L.DomEvent.on(list, 'mousedown', L.DomEvent.preventDefault);
			L.DomEvent.on(list, 'click', this._onListClick, this);
			L.DomEvent.disableClickPropagation(box);
			L.DomEvent.disableScrollPropagation(box);
			this._pick = this.options.mark ? SM.pickMark(this._ctl) : null;
			return box;
		},

		onRemove: function () {
			this._keepOpen();
			if (this._pick) { this._pick.remove(); }
		},

		// @method getPickMark(): L.SiberiaMap.PickMark
		// The ring on the last pick (on the map only while it stands).
		getPickMark: function () {
			return this._pick;
		},

		// @function normalize(text: String): String
		// The form names are compared in: decomposed, without combining marks, lower case.
		normalize: function (text) {
			return util.str(text).normalize('NFD').replace(MARKS, '').toLowerCase().replace(/\s+/g, ' ').trim();
		},

		// @method search(query: String): Array
		// The entries matching `query`: `{type: "place"|"event", label, sub, ...}`, places
		// first, names starting with the query before names containing it.
		search: function (query) {
			const q = this.normalize(query);
			const out = [];
			if (!q) { return out; }
			const entries = this._index();
			for (let i = 0; i < entries.length; i++) {
				const e = entries[i];
				let best = 3;
				for (let k = 0; k < e.keys.length && best; k++) {
					const at = e.keys[k].indexOf(q);
					if (at === 0) { best = 0; } else if (at > 0) { best = Math.min(best, e.keys[k].charAt(at - 1) === ' ' ? 1 : 2); }
				}
				if (best < 3) { out.push({e: e, score: best + (e.type === 'event' ? 3 : 0), i: i}); }
			}
			out.sort(function (a, b) { return a.score - b.score || a.i - b.i; });
			return out.slice(0, this.options.maxResults).map(function (r) { return r.e; });
		},

		_index: function () {
			if (this._entries) { return this._entries; }
			const model = this._ctl.model;
			const norm = L.bind(this.normalize, this);
			const entries = [];
			const byGeom = {};
			let i;
			for (i = 0; i < model.records.length; i++) {
				const rec = model.records[i];
				(byGeom[rec.g] = byGeom[rec.g] || []).push(rec);
			}
			for (i = 0; i < model.places.length; i++) {
				const place = model.places[i] || {};
				const geom = model.geoms[place.g];
				const at = SM.Model.anchorOf(geom);
				if (!at || !util.str(place.name)) { continue; }
				// Found by any of its names: as of the time, modern, other spellings, and in
				// every language the data set has (Новосибирск, Novonikolaevsk, Novosibirsk).
				const label = SM.i18n.placeName(place);
				const names = [label, place.name, place.modern, place.modern_name].concat(SM.i18n.otherNames(place))
					.map(util.str).filter(Boolean);
				const other = names.slice(1).filter(function (n, j, all) { return n !== label && all.indexOf(n) === j; });
				entries.push({type: 'place', label: label, sub: [SM.i18n.term('kind.', place.kind)].concat(other).join(' \u00b7 '),
					keys: names.map(norm), latlng: L.latLng(at[0], at[1]), records: byGeom[place.g] || []});
			}
			for (i = 0; i < model.records.length; i++) {
				const r = model.records[i];
				if (r.type !== 'event') { continue; }
				const title = util.str(model.field(r, 'title'));
				entries.push({type: 'event', label: title || util.t('event.untitled'),
					sub: [util.str(model.field(r, 'when')), util.str(model.field(r, 'where'))].filter(Boolean).join(' \u00b7 '),
					keys: [norm(title)], rec: r});
			}
			this._entries = entries;
			return entries;
		},

		_onInput: function () {
			this._keepOpen();
			if (this._pick) { this._pick.remove(); }
			this._show(this.search(this._input.value));
		},

		_show: function (results) {
			const list = this._list;
			const input = this._input;
			this._results = results;
			this._active = -1;
			list.textContent = '';
			results.forEach(function (e, i) {
				const li = util.el('li', 'sm-search-option sm-search-' + e.type, list);
				li.id = list.id + '-' + i;
				li.setAttribute('role', 'option');
				li.setAttribute('aria-selected', 'false');
				li.setAttribute('data-index', String(i));
				util.el('span', 'sm-search-main', li, e.label);
				util.el('span', 'sm-search-sub', li, (e.type === 'event' ? util.t('search.event') + ' \u00b7 ' : '') + e.sub);
			});
			const open = results.length > 0;
			if (!open && this._input.value.trim()) {
				util.el('li', 'sm-search-none', list, util.t('search.none'));
			}
			list.hidden = !list.firstChild;
			input.setAttribute('aria-expanded', open ? 'true' : 'false');
			input.removeAttribute('aria-activedescendant');
			this._status.textContent = this._input.value.trim() ? util.t('search.results', {count: results.length}) : '';
			if (this._layout) { this._layout.update(); }
		},

		_keepOpen: function () {
			if (this._closing) {
				clearTimeout(this._closing);
				this._closing = null;
			}
		},

		// Only the list: the box keeps its text (a pick's name) and says nothing about it.
		_close: function () {
			if (this._list.hidden) { return; }
			this._results = [];
			this._active = -1;
			this._list.textContent = '';
			this._list.hidden = true;
			this._input.setAttribute('aria-expanded', 'false');
			this._input.removeAttribute('aria-activedescendant');
			if (this._layout) { this._layout.update(); }
		},

		_setActive: function (i) {
			const options = this._list.querySelectorAll('[role="option"]');
			if (!options.length) { return; }
			i = (i + options.length) % options.length;
			if (this._active >= 0 && options[this._active]) { options[this._active].setAttribute('aria-selected', 'false'); }
			this._active = i;
			options[i].setAttribute('aria-selected', 'true');
			this._input.setAttribute('aria-activedescendant', options[i].id);
			options[i].scrollIntoView({block: 'nearest'});
		},

		_onKey: function (e) {
			if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
				L.DomEvent.preventDefault(e);
				if (this._list.hidden) { this._onInput(); }
				this._setActive(this._active + (e.key === 'ArrowDown' ? 1 : (this._active < 0 ? 0 : -1)));
			} else if (e.key === 'Enter') {
				L.DomEvent.preventDefault(e);
				const pick = this._results[this._active >= 0 ? this._active : 0];
				if (pick) { this._choose(pick); }
			} else if (e.key === 'Escape') {
				// Only the list: a popup left open stays (and Escape must not also close it).
				if (!this._list.hidden) {
					L.DomEvent.stop(e);
					this._close();
				} else if (this._input.value) {
					L.DomEvent.stop(e);
					this._input.value = '';
					if (this._pick) { this._pick.remove(); }
				}
			}
		},

		_onListClick: function (e) {
			// Choosing empties the list, so the clicked node is gone by the time the click
			// bubbles to the map, which could then not tell it came from a control and would
			// close the popup just opened.
			L.DomEvent.stop(e);
			const li = e.target && e.target.closest ? e.target.closest('[role="option"]') : null;
			if (li) { this._choose(this._results[+li.getAttribute('data-index')]); }
		},

		// Shows the entry's month and fits the view to it; an event's popup opens.
		_choose: function (entry) {
			if (!entry) { return; }
			const ctl = this._ctl;
			const map = this._map;
			const fit = L.extend({animate: false, maxZoom: 6},
				this._layout ? this._layout.fitOptions() : {});
			this._input.value = entry.label;
			this._close();
			let bounds;
			let month;
			let at = null;
			if (entry.type === 'place') {
				month = this._nearestMonth(entry.records);
				bounds = entry.latlng.toBounds(2 * this.options.radius);
				at = entry.latlng;
			} else {
				month = entry.rec.m0;
				const geom = entry.rec.geom;
				// (An event with no place on the map: its month and its popup only.)
				bounds = !geom ? null : geom.t === 'pt' ? L.latLng(entry.rec.lat, entry.rec.lon).toBounds(2 * this.options.radius) :
					L.latLngBounds(flat(geom.c));
				if (geom && isFinite(entry.rec.lat) && isFinite(entry.rec.lon)) { at = L.latLng(entry.rec.lat, entry.rec.lon); }
			}
			// (A window that already shows that month stays as it is.)
			const w = ctl.window();
			if (month >= 0 && !(w.from <= month && month <= w.to)) { ctl.setMonthIndex(month); }
			if (bounds) { map.fitBounds(bounds, fit); }
			// (After the month is set: that change is the pick's own, not the next step.)
			if (this._pick && at) { this._pick.show(map, at, entry.label); }
			this._status.textContent = entry.label + ', ' + ctl.windowLabel();
			if (entry.type === 'event') { ctl.openRecord(entry.rec, {pan: false}); }
		},

		// The current month if a record is at the place then, else the nearest month that has
		// one (the earlier on a tie); -1 when the place has no records.
		_nearestMonth: function (records) {
			const m = this._ctl.monthIndex();
			let best = -1;
			let dist = Infinity;
			for (let i = 0; i < records.length; i++) {
				const r = records[i];
				const d = m < r.m0 ? r.m0 - m : m > r.m1 ? m - r.m1 : 0;
				const at = d ? (m < r.m0 ? r.m0 : r.m1) : m;
				if (d < dist || (d === dist && at < best)) {
					dist = d;
					best = at;
				}
			}
			return best;
		}
	});

	// Every [lat, lon] of a nested coordinate list.
	function flat(c, out) {
		out = out || [];
		if (Array.isArray(c) && typeof c[0] === 'number') {
			out.push([c[0], c[1]]);
		} else if (Array.isArray(c)) {
			for (let i = 0; i < c.length; i++) { flat(c[i], out); }
		}
		return out;
	}

	SM.searchControl = function (controller, options) {
		return new SM.SearchControl(controller, options);
	};
})(L);
