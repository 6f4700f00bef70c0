/*
 * L.SiberiaMap.PresentView: the map as a slide, for projecting in class and for `animate`.
 *
 * Turned on by `#present` in the address (or `enable()`), it hides every interactive
 * control (CSS, siberia-present.css, keyed on `.sm-present`) and draws an overlay that
 * cannot be clicked: the title, the month and the citation at the top left, a compact key of the
 * contingents on show at the top right, and a caption at the bottom left with the month's
 * events or, while a story chapter is shown, the chapter's text in full. The arrow keys
 * (and PageUp/PageDown, Space, Home/End) step through the months, or through the chapters
 * once one is shown.
 *
 * The caption never cuts a line: it shrinks its type a few steps, and a month with more
 * events than fit ends with an "and N more" line instead of a half-shown entry. A chapter's
 * text is never shortened; its box may grow taller than the events'.
 *
 * The overlay belongs to this class alone, so the reader's layout (Layout.js and the panels)
 * can change without touching it.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	const TOKEN = /(^#|&)present(&|$)/;

	// (Columns that run out of height add a column to the right: width counts too.)
	function overflows(node) {
		return node.scrollHeight > node.clientHeight + 1 || node.scrollWidth > node.clientWidth + 1;
	}
	const NEXT = {ArrowRight: 1, ArrowDown: 1, PageDown: 1, ' ': 1};
	const PREV = {ArrowLeft: -1, ArrowUp: -1, PageUp: -1};

	SM.PresentView = L.Class.extend({

		// @option story: L.SiberiaMap.StoryPanel = null
		// When given, the caption shows a shown chapter's text and the keys step by chapter.
		//
		// @option hash: Boolean = true
		// Follow `#present` in the address: on while the hash has it, off when it goes.
		//
		// @option scales: Array = [1, 0.92, 0.85, 0.78, 0.72]
		// Type sizes (times the CSS size) the caption tries, largest first, before it
		// leaves events out (or, for a chapter, grows).
		//
		// @option margin: Number = 16
		// Pixels kept clear around the theatre when the view is fitted.
		//
		// @option maxZoom: Number = 7
		// A chapter about one town still shows its surroundings (and the basemap is not
		// drawn for closer looks).
		options: {
			maxZoom: 7,
			story: null,
			hash: true,
			scales: [1, 0.92, 0.85, 0.78, 0.72],
			margin: 16
		},

		initialize: function (map, controller, options) {
			L.setOptions(this, options);
			this._map = map;
			this._ctl = controller;
			this._on = false;
		},

		// @method watch(): this
		// Starts following the address (`#present`), if the `hash` option allows.
		watch: function () {
			if (this.options.hash) {
				L.DomEvent.on(window, 'hashchange', this._fromHash, this);
				this._fromHash();
			}
			return this;
		},

		isEnabled: function () {
			return this._on;
		},

		enable: function () {
			if (this._on) { return this; }
			this._on = true;
			const container = this._map.getContainer();
			L.DomUtil.addClass(container, 'sm-present');
			L.DomUtil.addClass(document.documentElement, 'sm-presenting');
			this._build(container);
			this._ctl.on('change', this._render, this);
			if (this.options.story) { this.options.story.on('chapter', this._onChapter, this); }
			this._map.on('resize', this._onResize, this);
			// Capture phase: the slide's keys win over the reader's (the month bar also
			// listens to the arrows on the document, and would step a second time).
			window.addEventListener('keydown', this._keyHandler = L.bind(this._onKey, this), true);
			this._map.closePopup();
			this._render();
			this._fit(this._chapterBounds());
			return this;
		},

		disable: function () {
			if (!this._on) { return this; }
			this._on = false;
			L.DomUtil.removeClass(this._map.getContainer(), 'sm-present');
			L.DomUtil.removeClass(document.documentElement, 'sm-presenting');
			this._ctl.off('change', this._render, this);
			if (this.options.story) { this.options.story.off('chapter', this._onChapter, this); }
			this._map.off('resize', this._onResize, this);
			window.removeEventListener('keydown', this._keyHandler, true);
			L.DomUtil.remove(this._box);
			this._box = null;
			return this;
		},

		// @method step(delta: Number): this
		// The next (1) or previous (-1) chapter while one is shown, else month.
		step: function (delta) {
			const story = this.options.story;
			const chapter = story && story.current();
			if (chapter) {
				const list = story.chapters();
				let i = -1;
				for (let k = 0; k < list.length; k++) { if (list[k].id === chapter) { i = k; } }
				const j = Math.max(0, Math.min(list.length - 1, i + delta));
				if (j !== i) { story.show(list[j].id); }
			} else {
				this._ctl.step(delta);
			}
			return this;
		},

		// @method getContainer(): HTMLElement
		// The overlay, or null while off.
		getContainer: function () {
			return this._box || null;
		},

		_fromHash: function () {
			const want = TOKEN.test(window.location.hash);
			if (want !== this._on) { this[want ? 'enable' : 'disable'](); }
		},

		_build: function (container) {
			const box = this._box = util.el('div', 'sm-present-overlay', container);
			box.setAttribute('aria-live', 'polite');
			const head = this._head = util.el('div', 'sm-present-head', box);
			const model = this._ctl.model;
			util.el('h1', 'sm-present-title', head, model.title || util.t('title.default'));
			this._month = util.el('p', 'sm-present-month', head);
			// A slide gets copied away from its page: it carries how to cite it.
			if (model.citation) { util.appendSource(util.el('p', 'sm-present-cite', head), model.citation); }
			this._key = util.el('ul', 'sm-present-key', box);
			this._key.setAttribute('aria-label', util.t('present.key'));
			this._caption = util.el('div', 'sm-present-caption', box);
			// Stops clicks and wheel turns on the text from reaching the map beneath.
			L.DomEvent.disableClickPropagation(box);
		},

		_render: function () {
			if (!this._on) { return; }
			const ctl = this._ctl;
			const story = this.options.story;
			const chapter = story && story.current();
			this._month.textContent = ctl.windowLabel();
			this._renderKey();
			this._caption.textContent = '';
			this._caption.className = 'sm-present-caption';
			if (chapter) {
				this._renderChapter(chapter);
			} else {
				this._renderEvents();
			}
		},

		// Only the contingents with something on the map this month, in legend order.
		_renderKey: function () {
			const ctl = this._ctl;
			const present = ctl.presentContingents();
			const list = this._key;
			list.textContent = '';
			this._keyDropped = 0;
			ctl.model.contingents.forEach(function (c) {
				if (!present[c.index] || ctl.isHidden(c.index)) { return; }
				const li = util.el('li', 'sm-present-key-item', list);
				util.swatch(li, c.colour, 'sm-present-swatch');
				util.el('span', null, li, c.name);
			});
			list.hidden = !list.firstChild;
			L.DomUtil.removeClass(list, 'sm-present-key-cols');
			if (list.hidden || !overflows(list)) { return; }
			// Too many for one column: two; still too many, whole entries go and a line says so.
			L.DomUtil.addClass(list, 'sm-present-key-cols');
			const items = list.children;
			let more = null;
			while (overflows(list) && items.length > 2) {
				list.removeChild(more ? items[items.length - 2] : items[items.length - 1]);
				if (!more) { more = util.el('li', 'sm-present-key-item sm-present-more', list); }
				more.textContent = util.t('present.moreKey', {count: ++this._keyDropped});
			}
		},

		_renderEvents: function () {
			const events = this._ctl.visibleEvents();
			const model = this._ctl.model;
			const box = this._caption;
			if (!events.length) {
				util.el('p', 'sm-present-empty', box, util.t(this._ctl.isWindow() ? 'present.emptyWindow' : 'present.empty'));
				return;
			}
			const ol = util.el('ol', 'sm-present-events', box);
			const items = [];
			for (let i = 0; i < events.length; i++) {
				const rec = events[i];
				const li = util.el('li', null, ol);
				util.swatch(li, this._ctl.recordColour(rec), 'sm-present-swatch');
				util.el('span', 'sm-present-when', li, util.str(model.field(rec, 'when')));
				util.el('span', 'sm-present-what', li, util.str(model.field(rec, 'title')) || util.t('event.untitled'));
				const where = util.str(model.field(rec, 'where'));
				if (where) { util.el('span', 'sm-present-where', li, where); }
				items.push(li);
			}
			if (this._shrink()) { return; }
			// Still too long at the smallest type: whole entries go, and a line says how many.
			const more = util.el('li', 'sm-present-more', ol);
			for (let n = items.length - 1; n > 0 && box.scrollHeight > box.clientHeight; n--) {
				ol.removeChild(items[n]);
				more.textContent = util.t(this._ctl.isWindow() ? 'present.moreEventsWindow' : 'present.moreEvents', {count: items.length - n});
			}
		},

		_renderChapter: function (id) {
			const story = this.options.story;
			const list = story.chapters();
			const box = this._caption;
			let c = null;
			let i;
			for (i = 0; i < list.length && !c; i++) { if (list[i].id === id) { c = list[i]; } }
			const full = this._chapterData(id) || {};
			L.DomUtil.addClass(box, 'sm-present-chapter');
			util.el('p', 'sm-present-count', box, util.t('story.count', {index: i, count: list.length}));
			util.el('h2', 'sm-present-chapter-title', box, c.title);
			util.el('p', 'sm-present-text', box, util.str(full.text));
			if (util.str(full.src)) { util.appendSource(util.el('p', 'sm-present-source', box), util.t('story.sources', {sources: full.src})); }
			if (this._shrink()) { return; }
			// The text is never cut: the box may take more of the height.
			L.DomUtil.addClass(box, 'sm-present-tall');
			this._shrink();
		},

		// Tries the type sizes in turn; true once the caption's text fits its box.
		_shrink: function () {
			const box = this._caption;
			const scales = this.options.scales;
			for (let i = 0; i < scales.length; i++) {
				box.style.setProperty('--sm-present-scale', String(scales[i]));
				if (box.scrollHeight <= box.clientHeight) { return true; }
			}
			return false;
		},

		// The payload's chapter (text, sources, view), read-only.
		_chapterData: function (id) {
			const all = this._ctl.model.story || [];
			for (let i = 0; i < all.length; i++) { if (all[i] && all[i].id === id) { return all[i]; } }
			return null;
		},

		_chapterBounds: function () {
			const story = this.options.story;
			const id = story && story.current();
			const c = id && this._chapterData(id);
			return c ? c.bounds : null;
		},

		_onChapter: function () {
			this._render();
			this._fit(this._chapterBounds());
		},

		_onResize: function () {
			this._render();
			this._fit(this._bounds);
		},

		// The theatre (or a chapter's view) in the part of the window below the heading.
		_fit: function (bounds) {
			const model = this._ctl.model;
			bounds = bounds || model.recordBounds() || model.bounds;
			this._bounds = bounds;
			if (!bounds) { return; }
			const m = this.options.margin;
			const top = this._head.offsetHeight + m;
			this._map.invalidateSize({animate: false, pan: false});
			this._map.fitBounds(bounds, {animate: false, maxZoom: this.options.maxZoom,
				paddingTopLeft: [m, top], paddingBottomRight: [m, m]});
		},

		_onKey: function (e) {
			if (e.altKey || e.ctrlKey || e.metaKey || util.isTextEntry(e.target)) { return; }
			const last = this._ctl.monthCount() - 1;
			const story = this.options.story;
			if (NEXT[e.key] || PREV[e.key]) {
				this.step(NEXT[e.key] || PREV[e.key]);
			} else if (e.key === 'Home' || e.key === 'End') {
				if (story && story.current()) {
					const list = story.chapters();
					story.show(list[e.key === 'Home' ? 0 : list.length - 1].id);
				} else {
					this._ctl.setMonthIndex(e.key === 'Home' ? 0 : last);
				}
			} else {
				return;
			}
			e.preventDefault();
			e.stopPropagation();
		}
	});

	SM.presentView = function (map, controller, options) {
		return new SM.PresentView(map, controller, options);
	};
})(L);
