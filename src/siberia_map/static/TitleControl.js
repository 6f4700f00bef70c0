/*
 * L.SiberiaMap.TitleControl: title, subtitle and how to cite the map.
 *
 * A map that gets screenshotted and printed must carry its own title and citation; they
 * come from the data set (dataset.json), so they are set as text. On screen the title is
 * one line and the rest opens on demand from a button beside it (the map keeps the room);
 * printed, everything shows.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	SM.TitleControl = L.Control.extend({

		// @option position: String = 'topleft'
		// Added before the events list, so it sits above it.
		options: {
			position: 'topleft'
		},

		// @param texts: Object
		// `{title, subtitle, citation}`; the citation may contain http(s) links.
		initialize: function (texts, options) {
			L.setOptions(this, options);
			this._texts = texts || {};
		},

		onAdd: function () {
			const box = L.DomUtil.create('div', 'sm-title');
			const t = this._texts;
			const line = util.el('div', 'sm-title-line', box);
			const self = this;
			const h = util.el('h1', 'sm-title-main', line, util.str(t.title) || util.t('title.default'));
			h.title = h.textContent;
			if (!util.str(t.subtitle) && !util.str(t.citation)) {
				L.DomEvent.disableClickPropagation(box);
				return box;
			}
			const more = this._more = util.el('div', 'sm-title-more', box);
			more.id = L.Util.stamp(this) + '-sm-title-more';
			if (util.str(t.subtitle)) { util.el('p', 'sm-title-sub', more, t.subtitle); }
			if (util.str(t.citation)) { util.appendSource(util.el('p', 'sm-title-cite', more), t.citation); }
			this._button = util.button('sm-title-button', line, 'i', util.t('title.about'));
			this._button.setAttribute('aria-controls', more.id);
			L.DomEvent.on(this._button, 'click', function () { self.setOpen(!self._open); });
			this._open = true;
			this.setOpen(false);
			L.DomEvent.disableClickPropagation(box);
			L.DomEvent.disableScrollPropagation(box);
			return box;
		},

		// @method setOpen(open: Boolean): this
		// Shows or hides the subtitle and the citation under the title line.
		setOpen: function (open) {
			if (!this._more || this._open === !!open) { return this; }
			this._open = !!open;
			this._button.setAttribute('aria-expanded', this._open ? 'true' : 'false');
			L.DomUtil[this._open ? 'addClass' : 'removeClass'](this._container || this._more.parentNode, 'sm-title-open');
			if (this._container) {
				this._container.dispatchEvent(new CustomEvent('sm-toggle', {bubbles: true, detail: {}}));
			}
			return this;
		}
	});

	SM.titleControl = function (texts, options) {
		return new SM.TitleControl(texts, options);
	};
})(L);
