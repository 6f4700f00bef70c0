/*
 * L.SiberiaMap.util: the few helpers every other file shares.
 *
 * Everything that puts data on the page goes through here, so the one rule that keeps the
 * page safe under a strict CSP and against hostile data lives in one place: text from the
 * payload only ever reaches the DOM as a text node or through an attribute setter, never as
 * markup.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	const COLOUR = /^#[0-9a-fA-F]{6}$/;

	// A URL ends at whitespace or at characters that cannot be part of one in running text;
	// trailing punctuation is trimmed afterwards because "see https://x.org/a." is common.
	const URL_IN_TEXT = /https?:\/\/[^\s<>"'`]+/gi;
	const TRAILING_PUNCT = /[.,;:!?\]}'"]$/;

	// Strips sentence punctuation off the end of a URL; a closing parenthesis stays when it
	// closes one opened inside the URL (Wikipedia's "Foo_(bar)").
	function trimUrl(url) {
		for (;;) {
			if (TRAILING_PUNCT.test(url)) {
				url = url.slice(0, -1);
			} else if (url.slice(-1) === ')' && url.split('(').length < url.split(')').length) {
				url = url.slice(0, -1);
			} else {
				return url;
			}
		}
	}

	// @namespace CollapsiblePanel
	// What the folding panels (events, legend, story) share, included by each: it relies on
	// the panel's own `_setCollapsed`, `_container`, `_body` and `_toggle`.
	SM.CollapsiblePanel = {
		// @method setCollapsed(collapsed: Boolean, quiet?: Boolean): this
		// Folds or unfolds the panel; unless `quiet`, tells the Layout (an 'sm-toggle' DOM
		// event on the container, bubbling to the map) so it can make room.
		setCollapsed: function (collapsed, quiet) {
			this._setCollapsed(!!collapsed);
			if (!quiet && this._container) {
				this._container.dispatchEvent(new CustomEvent('sm-toggle', {bubbles: true, detail: {panel: this}}));
			}
			return this;
		},

		isCollapsed: function () {
			return !!this._collapsed;
		},

		getBody: function () {
			return this._body;
		},

		getToggle: function () {
			return this._toggle;
		}
	};

	const util = SM.util = {

		// Used for anything that has no valid colour (bad data, events without contingent).
		NEUTRAL: '#8a8580',

		// @function overlayPane(map: L.Map, name: String, zIndex: Number): HTMLElement
		// The map's pane `name`, created at `zIndex` with pointer events off if the map has
		// none yet: what a layer draws there never takes a click from what lies below.
		overlayPane: function (map, name, zIndex) {
			let pane = map.getPane(name);
			if (!pane) {
				pane = map.createPane(name);
				pane.style.zIndex = zIndex;
				pane.style.pointerEvents = 'none';
			}
			return pane;
		},

		str: function (value) {
			return value === null || value === undefined ? '' : String(value);
		},

		// A longer copy of an Int32Array (per-segment scratch tables grow with the network).
		growInt32: function (array, length) {
			const out = new Int32Array(length);
			out.set(array);
			return out;
		},

		// Creates an element; `text` is set with textContent so it can never become markup.
		el: function (tag, className, parent, text) {
			const node = document.createElement(tag);
			if (className) { node.className = className; }
			if (text !== undefined && text !== null && text !== '') { node.textContent = String(text); }
			if (parent) { parent.appendChild(node); }
			return node;
		},

		// @function setText(node: HTMLElement, text: String)
		// Sets the text only when it differs: a month step rewrites many labels, and each
		// textContent assignment replaces the text node, which the page must then style and
		// lay out again even when the words are the same.
		setText: function (node, text) {
			if (node.textContent !== text) { node.textContent = text; }
		},

		// @function setAttr(node: HTMLElement, name: String, value: String)
		// Sets an attribute only when it differs (the same reason as setText: an unchanged
		// attribute set again still invalidates the styles that might depend on it).
		setAttr: function (node, name, value) {
			if (node.getAttribute(name) !== value) { node.setAttribute(name, value); }
		},

		// @function setHidden(node: HTMLElement, hidden: Boolean)
		// The `hidden` attribute, set only when it changes.
		setHidden: function (node, hidden) {
			if (node.hidden !== hidden) { node.hidden = hidden; }
		},

		// A <button type="button"> so it never submits an embedding page's form.
		button: function (className, parent, text, ariaLabel) {
			const b = util.el('button', className, parent, text);
			b.type = 'button';
			if (ariaLabel) { b.setAttribute('aria-label', ariaLabel); }
			return b;
		},

		colour: function (value, fallback) {
			return typeof value === 'string' && COLOUR.test(value) ? value : (fallback || util.NEUTRAL);
		},

		// "1918-08" -> "August 1918" in the page's language (SM.i18n); anything unparseable
		// is shown as given rather than hidden.
		monthLabel: function (ym) {
			return SM.i18n.month(ym);
		},

		// @function t(key: String, params?: Object): String
		// An interface string in the page's language (see I18n).
		t: function (key, params) {
			return SM.i18n.t(key, params);
		},

		// Appends a source string: http(s) URLs inside it become links, everything else stays
		// text. The URL is re-parsed so that only a real http/https URL ever reaches `href`.
		appendSource: function (parent, text) {
			text = util.str(text);
			let last = 0;
			let match;
			let url;
			let href;
			URL_IN_TEXT.lastIndex = 0;
			while ((match = URL_IN_TEXT.exec(text)) !== null) {
				url = trimUrl(match[0]);
				href = util.safeHref(url);
				if (!href) { continue; }
				if (match.index > last) {
					parent.appendChild(document.createTextNode(text.slice(last, match.index)));
				}
				const a = util.el('a', 'sm-source-link', parent, url);
				a.href = href;
				a.rel = 'noopener noreferrer';
				a.target = '_blank';
				last = match.index + url.length;
				URL_IN_TEXT.lastIndex = last;
			}
			if (last < text.length) {
				parent.appendChild(document.createTextNode(text.slice(last)));
			}
			return parent;
		},

		safeHref: function (url) {
			try {
				const u = new URL(url);
				return (u.protocol === 'http:' || u.protocol === 'https:') ? u.href : null;
			} catch (e) {
				return null;
			}
		},

		// A small colour chip; the colour is validated here, never taken raw from data.
		swatch: function (parent, colour, className) {
			const s = util.el('span', 'sm-swatch' + (className ? ' ' + className : ''), parent);
			s.style.backgroundColor = util.colour(colour);
			s.setAttribute('aria-hidden', 'true');
			return s;
		},

		// Definition-list row used by all popups; empty values are skipped so popups stay short.
		row: function (dl, label, value, appendValue) {
			if (!appendValue && !util.str(value)) { return null; }
			util.el('dt', null, dl, label);
			const dd = util.el('dd', null, dl);
			if (appendValue) { appendValue(dd); } else { dd.textContent = util.str(value); }
			return dd;
		},

		// Keys typed into these have a meaning of their own, so page-wide shortcuts stay out.
		isTextEntry: function (node) {
			if (!node || !node.tagName) { return false; }
			const tag = node.tagName.toLowerCase();
			if (node.isContentEditable || tag === 'textarea' || tag === 'select') { return true; }
			if (tag !== 'input') { return false; }
			const type = (node.type || 'text').toLowerCase();
			return type !== 'checkbox' && type !== 'button' && type !== 'submit' && type !== 'reset';
		},

		// @function onPrint(before: Function, after: Function, context: Object): Function
		// Calls `before` when printing starts and `after` when it ends, from the print dialog
		// (beforeprint/afterprint) or from the print media query turning on and off (a PDF
		// made without a dialog fires no beforeprint). Returns the function that stops it.
		onPrint: function (before, after, context) {
			const media = window.matchMedia ? window.matchMedia('print') : null;
			const onMedia = function (e) { if (e.matches) { before.call(context); } else { after.call(context); } };
			L.DomEvent.on(window, 'beforeprint', before, context);
			L.DomEvent.on(window, 'afterprint', after, context);
			if (media) { media.addEventListener('change', onMedia); }
			return function () {
				L.DomEvent.off(window, 'beforeprint', before, context);
				L.DomEvent.off(window, 'afterprint', after, context);
				if (media) { media.removeEventListener('change', onMedia); }
			};
		},

		// @function sprite(width: Number, height: Number, draw: Function): ImageBitmap
		// A small image drawn once by `draw(ctx)` on a canvas of that size in device pixels,
		// to be copied with drawImage many times: an ImageBitmap where the browser can make
		// one synchronously (drawImage from a canvas takes a snapshot of it on every call,
		// from a bitmap it does not), else the canvas itself.
		sprite: function (width, height, draw) {
			const offscreen = typeof OffscreenCanvas === 'function';
			const canvas = offscreen ? new OffscreenCanvas(width, height) : document.createElement('canvas');
			if (!offscreen) {
				canvas.width = width;
				canvas.height = height;
			}
			draw(canvas.getContext('2d'));
			return offscreen && canvas.transferToImageBitmap ? canvas.transferToImageBitmap() : canvas;
		},

		// @function whenIdle(run: Function, timeout: Number, fallback: Number): Object
		// Runs `run(deadline)` when the browser is next idle (at the latest after `timeout`
		// ms, if given), or `run()` after `fallback` ms where there are no idle callbacks;
		// returns a handle for cancelIdle.
		whenIdle: function (run, timeout, fallback) {
			if (!window.requestIdleCallback) { return {id: setTimeout(run, fallback), idle: false}; }
			return {id: window.requestIdleCallback(run, timeout === undefined ? undefined : {timeout: timeout}), idle: true};
		},

		// @function cancelIdle(handle: Object): null
		// Cancels what a whenIdle handle (or null) would run.
		cancelIdle: function (handle) {
			if (handle && handle.idle) {
				window.cancelIdleCallback(handle.id);
			} else if (handle) {
				clearTimeout(handle.id);
			}
			return null;
		}
	};
})(L);
