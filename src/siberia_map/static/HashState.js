/*
 * L.SiberiaMap.HashState: the state in the URL, `#1919-03&hide=usa,japan` (a window of
 * months: `#1919-06..1919-08`, or everything up to a month: `#..1919-08`), or
 * `#story=ID` while a story chapter is shown (see StoryPanel), either after `present&` in
 * the presentation view (see PresentView, which reads that part itself); `lang=ru&` first
 * when the page shows a language other than the file's own (read once, at start: see I18n).
 *
 * A historian cites "the map in March 1919 without the Japanese" by copying the address.
 * The hash is rewritten with replaceState, so stepping through fifty months does not leave
 * fifty entries in the Back button; a hash typed or pasted by hand (hashchange) is applied.
 * A link that asks for what the map does not have is corrected, with a word to the reader.
 *
 * A change is written once the state has rested for `interval` (a quarter of a second),
 * when the browser is idle: a run of steps (a held arrow key, a script stepping through the
 * months) writes only its last state. A replaceState blocks the page for 2-15 ms while the
 * browser process records it (more than drawing a month), so it must not fall inside a
 * step's frame, as it did when the writes were only spaced out: the idle time between a
 * step and its frame is where the browser runs idle callbacks. Chromium also ignores, with a
 * console warning, more than 200 in ten seconds.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	const MONTH = /^\d{4}-\d{2}$/;
	// A window: `A..B` (a range) or `..B` (everything up to B). Either month may still be
	// one the map does not have; read then says which.
	const WINDOW = /^(\d{4}-\d{2})?\.\.(\d{4}-\d{2})$/;

	function decode(s) {
		try {
			return decodeURIComponent(s);
		} catch (e) {
			return s;
		}
	}

	SM.HashState = L.Class.extend({

		// @option window: Window = window
		// Injected so tests and embedding pages can point it elsewhere.
		//
		// @option interval: Number = 250
		// Milliseconds the state must rest before it is written.
		//
		// @option notify: Function = null
		// Called with a sentence when a link could not be followed (see read).
		options: {
			window: null,
			interval: 250,
			notify: null
		},

		initialize: function (controller, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			this._win = this.options.window || window;
			this._timer = this._idle = null;
			this._story = null;
		},

		// @method setStory(story: L.SiberiaMap.StoryPanel): this
		// Links `#story=ID` to the story: read shows the chapter, and the hash says
		// `#story=ID` while that chapter is what the map shows.
		setStory: function (story) {
			this._story = story;
			return this;
		},

		// Applies the current hash, then keeps hash and state in step both ways.
		enable: function () {
			this.read();
			this._correct();
			this._ctl.on('change', this.write, this);
			if (this._story) { this._story.on('chapter', this.write, this); }
			L.DomEvent.on(this._win, 'hashchange', this._onHashChange, this);
			L.DomEvent.on(this._win, 'pagehide', this.flush, this);
			return this;
		},

		disable: function () {
			this.flush();
			this._ctl.off('change', this.write, this);
			if (this._story) { this._story.off('chapter', this.write, this); }
			L.DomEvent.off(this._win, 'hashchange', this._onHashChange, this);
			L.DomEvent.off(this._win, 'pagehide', this.flush, this);
			return this;
		},

		// @method followed(): Boolean
		// Whether the last `read` found a month or a chapter in the address that it could open.
		followed: function () {
			return !!this._followed;
		},

		// A link the map cannot honour (a month outside the data, a chapter or contingent it
		// does not have, words it does not understand) opens the map as it would without
		// them; `enable` and a changed hash then correct the address and tell the reader.
		read: function () {
			const parsed = SM.HashState.parse(this._win.location.hash);
			const model = this._ctl.model;
			const state = {};
			const problems = this._problems = parsed.unknown.map(function (part) {
				return util.t('hash.unknown', {part: part});
			});
			if (parsed.lang && parsed.lang !== SM.i18n.lang()) { problems.push(util.t('hash.noLang', {lang: parsed.lang})); }
			this._followed = false;
			if (parsed.story && this._story && this._story.has(parsed.story)) {
				// (Already showing it: a hash written by this very chapter comes back here.)
				if (this._story.current() !== parsed.story) { this._story.show(parsed.story); }
				this._followed = true;
				return problems;
			}
			if (parsed.story) { problems.push(util.t('hash.noChapter', {id: parsed.story})); }
			const range = {first: util.monthLabel(model.months[0]), last: util.monthLabel(model.months[model.months.length - 1])};
			const m = parsed.month ? model.monthIndexOf(parsed.month) : -1;
			const f = parsed.from ? model.monthIndexOf(parsed.from) : -1;
			[parsed.from, parsed.month].forEach(function (ym, k) {
				if (ym && (k ? m : f) < 0) { problems.push(util.t('hash.noMonth', L.extend({month: ym}, range))); }
			});
			let ok = m >= 0 && (!parsed.from || f >= 0);
			if (ok && parsed.from && f > m) {
				problems.push(util.t('hash.backwards', {window: parsed.from + '..' + parsed.month}));
				ok = false;
			}
			if (ok) {
				state.month = m;
				state.mode = parsed.mode;
				if (parsed.mode === 'range') { state.from = f; }
			}
			this._followed = ok;
			if (parsed.month || parsed.hide.length) {
				state.hidden = [];
				parsed.hide.forEach(function (id) {
					const ci = model.contingentIndex[id];
					if (ci === undefined) {
						problems.push(util.t('hash.noContingent', {id: id}));
					} else {
						state.hidden.push(ci);
					}
				});
			}
			this._ctl.setState(state);
			return problems;
		},

		// After a read that found something it could not honour: the address is rewritten
		// to what the map shows, and the reader told why (option `notify`).
		_correct: function () {
			const problems = this._problems;
			if (!problems || !problems.length) { return; }
			this._problems = null;
			this._write();
			const chapter = this._story && this._story.current();
			const text = util.t('hash.notFollowed', {problems: problems.join('; '),
				instead: chapter ? util.t('hash.chapter', {title: chapter}) : this._ctl.windowLabel()});
			if (this.options.notify) { this.options.notify(text); }
		},

		_onHashChange: function () {
			this.read();
			this._correct();
		},

		// @method write(): this
		// Puts the state into the hash once it has not changed for `interval` and the
		// browser is idle (within another interval); each change starts the wait again.
		write: function () {
			clearTimeout(this._timer);
			if (this._idle && this._win.cancelIdleCallback) { this._win.cancelIdleCallback(this._idle); }
			this._idle = null;
			this._timer = setTimeout(L.bind(this._whenIdle, this), this.options.interval);
			return this;
		},

		// @method flush(): this
		// Writes a change still waiting now.
		flush: function () {
			if (!this._timer && !this._idle) { return this; }
			clearTimeout(this._timer);
			if (this._idle && this._win.cancelIdleCallback) { this._win.cancelIdleCallback(this._idle); }
			this._timer = this._idle = null;
			this._write();
			return this;
		},

		_whenIdle: function () {
			this._timer = null;
			if (!this._win.requestIdleCallback) {
				this._write();
				return;
			}
			this._idle = this._win.requestIdleCallback(L.bind(function () {
				this._idle = null;
				this._write();
			}, this), {timeout: this.options.interval});
		},

		_write: function () {
			const ctl = this._ctl;
			const model = ctl.model;
			const chapter = this._story && this._story.current();
			const w = ctl.window();
			let hash = chapter ? SM.HashState.formatStory(chapter) : SM.HashState.format(ctl.month(),
				ctl.hiddenIndices().map(function (ci) { return model.contingents[ci].id; }),
				w.mode === 'month' ? null : {mode: w.mode, from: model.months[w.from]});
			// The slide view (PresentView) stays on as the month changes.
			if (SM.HashState.parse(this._win.location.hash).present) { hash = '#present&' + hash.slice(1); }
			// A language other than the file's own stays in the address, so the link keeps it.
			if (!SM.i18n.isDefault()) { hash = '#lang=' + SM.i18n.lang() + '&' + hash.slice(1); }
			if (this._win.location.hash === hash) { return; }
			try {
				this._win.history.replaceState(this._win.history.state, '', hash);
			} catch (e) {
				// Some sandboxed frames refuse replaceState; the map works without the URL.
			}
		}
	});

	// `{month, from, mode, hide, story, present, lang, unknown}`: `mode` is 'month', 'upto'
	// (`#..B`) or 'range' (`#A..B`, `from` A); `month` is the (last) month.
	SM.HashState.parse = function (hash) {
		const out = {month: null, from: null, mode: 'month', hide: [], story: null, present: false, lang: null, unknown: []};
		String(hash || '').replace(/^#/, '').split('&').forEach(function (part) {
			const w = WINDOW.exec(part);
			if (MONTH.test(part)) {
				out.month = part;
				out.from = null;
				out.mode = 'month';
			} else if (w) {
				out.month = w[2];
				out.from = w[1] || null;
				out.mode = w[1] ? 'range' : 'upto';
			} else if (part.indexOf('hide=') === 0) {
				out.hide = part.slice(5).split(',').filter(Boolean).map(decode);
			} else if (part.indexOf('story=') === 0 && part.length > 6) {
				out.story = decode(part.slice(6));
			} else if (part === 'present') {
				out.present = true;
			} else if (/^lang=[a-z]{2,3}$/.test(part)) {
				out.lang = part.slice(5);
			} else if (part) {
				out.unknown.push(decode(part));
			}
		});
		return out;
	};

	// @function format(month: String, hiddenIds: Array, window?: Object): String
	// `window` `{mode: 'upto'|'range', from: "YYYY-MM"}` writes `#..month` or `#from..month`.
	SM.HashState.format = function (month, hiddenIds, window) {
		let hash = '#' + (!window ? month : window.mode === 'upto' ? '..' + month : window.from + '..' + month);
		if (hiddenIds.length) { hash += '&hide=' + hiddenIds.map(encodeURIComponent).join(','); }
		return hash;
	};

	SM.HashState.formatStory = function (chapterId) {
		return '#story=' + encodeURIComponent(chapterId);
	};
})(L);
