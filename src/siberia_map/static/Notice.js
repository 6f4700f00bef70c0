/*
 * L.SiberiaMap.Notice: a short message over the top of the map that goes away by itself.
 *
 * For what the reader should know but need not act on (a link that could not be
 * followed). It is a status region, so a screen reader announces it without moving the
 * focus; it closes with its button, at the reader's next step, or after `duration`.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	SM.Notice = L.Class.extend({

		// @option duration: Number = 12000
		// Milliseconds before the notice closes by itself.
		//
		// @option controller: L.SiberiaMap.Controller = null
		// When given, the notice closes at the next change of month or filter after it
		// was shown.
		options: {
			duration: 12000,
			controller: null
		},

		initialize: function (map, options) {
			L.setOptions(this, options);
			this._map = map;
			this._box = null;
		},

		// @method show(text: String): this
		show: function (text) {
			this.hide();
			const box = this._box = util.el('div', 'sm-notice', this._map.getContainer());
			box.setAttribute('role', 'status');
			util.el('p', 'sm-notice-text', box, text);
			const close = util.button('sm-notice-close', box, '\u00d7', util.t('notice.close'));
			L.DomEvent.on(close, 'click', this.hide, this);
			L.DomEvent.disableClickPropagation(box);
			this._timer = setTimeout(L.bind(this.hide, this), this.options.duration);
			if (this.options.controller) { this.options.controller.on('change', this.hide, this); }
			return this;
		},

		hide: function () {
			if (!this._box) { return this; }
			clearTimeout(this._timer);
			if (this.options.controller) { this.options.controller.off('change', this.hide, this); }
			const hadFocus = this._box.contains(document.activeElement);
			L.DomUtil.remove(this._box);
			this._box = null;
			if (hadFocus) { this._map.getContainer().focus({preventScroll: true}); }
			return this;
		},

		// @method getContainer(): HTMLElement
		// The notice shown, or null.
		getContainer: function () {
			return this._box;
		}
	});

	SM.notice = function (map, options) {
		return new SM.Notice(map, options);
	};
})(L);
