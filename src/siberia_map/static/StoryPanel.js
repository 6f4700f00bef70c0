/*
 * L.SiberiaMap.StoryPanel: the story, chapter by chapter, with previous and next.
 *
 * A chapter (payload `story`, from story.csv) is a month, a view, the contingents shown and
 * the records to ring, with a short text and its sources. Showing one sets the month and
 * the toggles through the controller (one 'change', like a link), fits the view clear of
 * the panels and rings the records; after that the reader is free to explore. The chapter
 * stays "current" (so Next goes on from it) but is only "active" while the map still shows
 * its month and toggles: that is when the rings show and the URL says `#story=ID`.
 *
 * It costs nothing on a month step: nothing here listens to the controller while no
 * chapter is active, and the highlight layer unsubscribes as soon as the reader moves on.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	// A chapter that shows a range of months (story.csv's `from_month`), not one month.
	function hasRange(c) {
		return typeof c.from === 'number' && c.from < c.month;
	}

	function isBounds(b) {
		return Array.isArray(b) && b.length === 2 && b.every(function (c) {
			return Array.isArray(c) && c.length === 2 && isFinite(c[0]) && isFinite(c[1]);
		});
	}

	// @event chapter: Event
	// Fired after a chapter was shown (`chapter`: its id).
	SM.StoryPanel = L.Control.extend({

		// setCollapsed, isCollapsed, getBody, getToggle (see util.js); events.
		includes: [SM.CollapsiblePanel, L.Evented.prototype],

		// @option position: String = 'topright'
		// Where it is added; the side sheet then takes it in as its Story tab (the sheet
		// and Layout give it its place and height; its text scrolls, never cut).
		//
		// @option collapsedBelow: Number = 700
		// Viewport width under which the panel starts folded (a bottom sheet on a phone);
		// a chapter shown by a link or the API unfolds it.
		//
		// @option fitOptions: Function
		// Returns fitBounds padding options that keep a chapter's view clear of the panels.
		//
		// @option highlight: L.SiberiaMap.StoryHighlight
		// The layer that rings a chapter's records (optional).

		options: {
			position: 'topright',
			collapsedBelow: 700,
			fitOptions: null,
			highlight: null
		},

		// @param chapters: Array
		// The payload's `story`; malformed chapters are dropped with a console warning.
		initialize: function (controller, chapters, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			const n = controller.monthCount();
			const nc = controller.model.contingents.length;
			const seen = Object.create(null);
			this._chapters = (Array.isArray(chapters) ? chapters : []).filter(function (c) {
				const ok = c && typeof c.id === 'string' && c.id && !seen[c.id] && c.month === Math.floor(c.month) &&
					c.month >= 0 && c.month < n && isBounds(c.bounds) &&
					(c.from === undefined || c.from === null || (c.from === Math.floor(c.from) && c.from >= 0 && c.from <= c.month)) &&
					(c.show === null || (Array.isArray(c.show) && c.show.every(function (ci) { return ci >= 0 && ci < nc; })));
				if (ok) { seen[c.id] = true; }
				return ok;
			});
			if (this._chapters.length !== (chapters || []).length && window.console) {
				window.console.warn('siberia-map: ' + ((chapters || []).length - this._chapters.length) + ' malformed story chapters dropped');
			}
			this._index = -1;
		},

		onAdd: function (map) {
			this._map = map;
			L.DomUtil.addClass(map.getContainer(), 'sm-has-story');
			const box = L.DomUtil.create('div', 'sm-panel sm-story');
			const self = this;
			box.setAttribute('role', 'region');
			box.setAttribute('aria-label', util.t('story.tab'));
			this._toggle = util.button('sm-panel-toggle', util.el('h2', 'sm-panel-heading', box), util.t('story.tab'));
			const body = this._body = util.el('div', 'sm-panel-body', box);
			body.id = L.Util.stamp(this) + '-sm-story-body';
			this._toggle.setAttribute('aria-controls', body.id);

			const head = util.el('div', 'sm-story-head', body);
			this._count = util.el('p', 'sm-panel-title sm-story-count', head);
			const nav = util.el('div', 'sm-story-nav', head);
			this._prev = util.button('sm-story-prev', nav, util.t('story.previous'), util.t('story.previousLabel'));
			this._next = util.button('sm-story-next', nav, util.t('story.next'), util.t('story.nextLabel'));
			this._title = util.el('h3', 'sm-story-title', body);
			this._month = util.el('p', 'sm-story-month', body);
			this._text = util.el('p', 'sm-story-text', body);
			this._source = util.el('p', 'sm-story-source', body);
			this._back = util.button('sm-story-back', body, util.t('story.back'));

			L.DomEvent.on(this._prev, 'click', function () { self._go(-1); });
			L.DomEvent.on(this._next, 'click', function () { self._go(1); });
			L.DomEvent.on(this._back, 'click', function () { self.show(self._chapters[self._index].id); });
			L.DomEvent.on(this._toggle, 'click', function () { self.setCollapsed(!self._collapsed); });
			L.DomEvent.disableClickPropagation(box);
			L.DomEvent.disableScrollPropagation(box);

			this._setCollapsed(window.innerWidth < this.options.collapsedBelow);
			this._render();
			return box;
		},

		onRemove: function (map) {
			L.DomUtil.removeClass(map.getContainer(), 'sm-has-story');
			this._stopWatching();
			if (this.options.highlight) { this.options.highlight.clear(); }
		},

		// @method chapters(): Array
		// `[{id, title, month: "YYYY-MM", from: "YYYY-MM"|null}]` in story order (`from`: the
		// first month of a chapter that shows a range of months).
		chapters: function () {
			const months = this._ctl.model.months;
			return this._chapters.map(function (c) {
				return {id: c.id, title: util.str(c.title), month: months[c.month], from: hasRange(c) ? months[c.from] : null};
			});
		},

		has: function (id) {
			return this._find(id) >= 0;
		},

		// @method show(id: String): this
		// Shows a chapter: month, toggles, view and rings. RangeError for an unknown id.
		show: function (id) {
			const i = this._find(id);
			if (i < 0) { throw new RangeError('siberia-map: no chapter ' + id); }
			const c = this._chapters[i];
			const nc = this._ctl.model.contingents.length;
			const hidden = [];
			this._index = i;
			if (c.show) {
				for (let ci = 0; ci < nc; ci++) {
					if (c.show.indexOf(ci) < 0) { hidden.push(ci); }
				}
			}
			this._hiddenKey = hidden.join();
			this._ctl.setState(hasRange(c) ? {mode: 'range', from: c.from, month: c.month, hidden: hidden} :
				{mode: 'month', month: c.month, hidden: hidden});
			if (this._map) {
				this._render();
				// Unfolded, and (through 'sm-toggle') the layout re-measures the new text.
				this.setCollapsed(false);
				let fit = this.options.fitOptions ? this.options.fitOptions() : {};
				const size = this._map.getSize();
				const tl = fit.paddingTopLeft || [0, 0];
				const br = fit.paddingBottomRight || [0, 0];
				// A window too small for the panels: fit the whole map rather than nothing.
				if (size.x - tl[0] - br[0] < 40 || size.y - tl[1] - br[1] < 40) { fit = {}; }
				this._map.fitBounds(c.bounds, L.extend({animate: false}, fit));
			}
			this._watch();
			if (this.options.highlight) {
				this.options.highlight.mark(c.highlight || [], L.bind(this._isActive, this));
			}
			this.fire('chapter', {chapter: c.id});
			return this;
		},

		// @method current(): String|null
		// The id of the chapter the map still shows (its month and toggles), else null.
		current: function () {
			return this._isActive() ? this._chapters[this._index].id : null;
		},

		_setCollapsed: function (collapsed) {
			this._collapsed = collapsed;
			L.DomUtil[collapsed ? 'addClass' : 'removeClass'](this._container || this._body.parentNode, 'sm-collapsed');
			this._toggle.setAttribute('aria-expanded', collapsed ? 'false' : 'true');
		},

		_find: function (id) {
			for (let i = 0; i < this._chapters.length; i++) {
				if (this._chapters[i].id === id) { return i; }
			}
			return -1;
		},

		_go: function (delta) {
			const i = Math.max(0, Math.min(this._chapters.length - 1, this._index + delta));
			this.show(this._chapters[i].id);
		},

		_isActive: function () {
			const c = this._chapters[this._index];
			const w = this._ctl.window();
			return !!c && w.to === c.month && w.from === (hasRange(c) ? c.from : c.month) &&
				this._ctl.hiddenIndices().join() === this._hiddenKey;
		},

		// While a chapter is active the panel follows the state, to say when it was left.
		_watch: function () {
			if (!this._watching) {
				this._watching = true;
				this._ctl.on('change', this._onChange, this);
			}
		},

		_stopWatching: function () {
			if (this._watching) {
				this._watching = false;
				this._ctl.off('change', this._onChange, this);
			}
		},

		_onChange: function () {
			if (!this._isActive()) {
				this._stopWatching();
				this._render();
			}
		},

		_render: function () {
			if (!this._body) { return; }
			const n = this._chapters.length;
			const i = this._index;
			const c = this._chapters[i];
			this._prev.disabled = i <= 0;
			this._next.disabled = i >= n - 1;
			if (!c) {
				this._count.textContent = util.t('story.chapters', {count: n});
				this._title.textContent = util.t('story.start');
				this._month.textContent = '';
				this._text.textContent = util.t('story.intro');
				this._source.textContent = '';
				this._back.hidden = true;
				return;
			}
			this._count.textContent = util.t('story.count', {index: i + 1, count: n});
			this._title.textContent = util.str(c.title);
			this._month.textContent = SM.Controller.windowLabel(this._ctl.model.months, hasRange(c) ? 'range' : 'month',
				hasRange(c) ? c.from : c.month, c.month);
			this._text.textContent = util.str(c.text);
			this._source.textContent = '';
			if (util.str(c.src)) { util.appendSource(this._source, util.t('story.sources', {sources: c.src})); }
			this._back.hidden = this._isActive();
			L.DomUtil[this._isActive() ? 'removeClass' : 'addClass'](this._container, 'sm-story-left');
		}
	});

	SM.storyPanel = function (controller, chapters, options) {
		return new SM.StoryPanel(controller, chapters, options);
	};
})(L);
