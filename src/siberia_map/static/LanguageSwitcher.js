/*
 * L.SiberiaMap.LanguageSwitcher: a small menu of the languages the file holds.
 *
 * Only the languages the file carries catalogues for are offered (`siberia-map build --lang
 * en,ru,fr`: those three; `--lang ru`: none, so no menu). Choosing one writes `#lang=xx`
 * into the address and opens the page again in it: every string is made once, at start,
 * in the page's language, so a new start is simpler and surer than relabelling each control,
 * and the link then opens in that language too. A native <select>, so Tab reaches it and the
 * arrow keys choose, with a screen reader's usual announcement.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	SM.LanguageSwitcher = L.Class.extend({

		// @param i18n: L.SiberiaMap.I18n
		// @option win: Window = window
		// Whose address is written and reloaded (a test may pass a stand-in).
		options: {
			win: null
		},

		initialize: function (i18n, options) {
			L.setOptions(this, options);
			this._i18n = i18n;
			this._select = null;
		},

		// @method addTo(parent: HTMLElement): this
		// Adds the menu to `parent` when the file holds more than one language.
		addTo: function (parent) {
			const langs = this._i18n.langs();
			if (langs.length < 2) { return this; }
			const select = this._select = util.el('select', 'sm-lang', parent);
			select.setAttribute('aria-label', util.t('lang.label'));
			select.title = util.t('lang.label');
			langs.forEach(function (code) {
				const option = util.el('option', null, select, this._i18n.nameOf(code));
				option.value = code;
				option.lang = code;
				option.selected = code === this._i18n.lang();
			}, this);
			L.DomEvent.disableClickPropagation(select);
			L.DomEvent.on(select, 'change', this._onChange, this);
			return this;
		},

		onRemove: function () {
			if (this._select) {
				L.DomEvent.off(this._select, 'change', this._onChange, this);
				this._select.remove();
				this._select = null;
			}
		},

		getContainer: function () {
			return this._select;
		},

		_onChange: function () {
			const win = this.options.win || window;
			const code = this._select.value;
			const rest = String(win.location.hash || '').replace(/^#/, '').split('&')
				.filter(function (part) { return part && part.indexOf('lang=') !== 0; });
			const parts = (code === this._i18n.langs()[0] ? [] : ['lang=' + code]).concat(rest);
			win.location.hash = parts.length ? '#' + parts.join('&') : '';
			win.location.reload();
		}
	});

	SM.languageSwitcher = function (i18n, options) {
		return new SM.LanguageSwitcher(i18n, options);
	};
})(L);
