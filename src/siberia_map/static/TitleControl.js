/*
 * L.SiberiaMap.TitleControl: title, subtitle and how to cite the map.
 *
 * A map that gets screenshotted and printed must carry its own title and citation; they
 * come from the data set (dataset.json), so they are set as text.
 */
(function (L) {
	'use strict';

	var SM = L.SiberiaMap = L.SiberiaMap || {};
	var util = SM.util;

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
			var box = L.DomUtil.create('div', 'sm-title'), t = this._texts;
			util.el('h1', 'sm-title-main', box, util.str(t.title) || 'The Siberian intervention, 1918\u20131922');
			if (util.str(t.subtitle)) { util.el('p', 'sm-title-sub', box, t.subtitle); }
			if (util.str(t.citation)) { util.appendSource(util.el('p', 'sm-title-cite', box), t.citation); }
			L.DomEvent.disableClickPropagation(box);
			return box;
		}
	});

	SM.titleControl = function (texts, options) {
		return new SM.TitleControl(texts, options);
	};
})(L);
