/*
 * L.SiberiaMap.RecordChooser: the contents of the popup that lists the records under a
 * click, when there is more than one (fourteen symbols pile up at Vladivostok in a busy
 * month; a railway line and an area may lie under a town).
 *
 * Each entry is a button naming the record (an event's title and date, or a contingent's
 * presence and where), in its colour; choosing one opens that record's own popup. Built
 * as DOM, never as an HTML string: titles and places are free text from the data.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	SM.RecordChooser = {

		// @function content(controller: Controller, recs: Array, pick: Function): HTMLElement
		// `pick(rec)` is called with the chosen record.
		content: function (ctl, recs, pick) {
			const model = ctl.model;
			const box = util.el('div', 'sm-popup sm-chooser');
			util.el('h3', 'sm-popup-title', box, util.t('chooser.records', {count: recs.length}));
			const list = util.el('ul', 'sm-chooser-list', box);
			recs.forEach(function (rec, i) {
				const b = util.button('sm-chooser-item', util.el('li', null, list));
				b.setAttribute('data-record', rec.id);
				b.setAttribute('data-type', rec.type);
				if (i === 0) { b.setAttribute('data-autofocus', ''); }
				const mark = util.el('span', 'sm-chooser-mark sm-chooser-' + rec.type + (rec.unc ? ' sm-chooser-unc' : ''), b);
				mark.setAttribute('aria-hidden', 'true');
				mark.style[rec.unc ? 'borderColor' : 'backgroundColor'] = ctl.recordColour(rec);
				const text = util.el('span', 'sm-chooser-text', b);
				if (rec.type === 'event') {
					util.el('span', 'sm-chooser-main', text, util.str(model.field(rec, 'title')) || util.t('event.untitled'));
					util.el('span', 'sm-chooser-sub', text, util.str(model.field(rec, 'when')));
				} else {
					util.el('span', 'sm-chooser-main', text, model.contingents[rec.c[0]].name);
					util.el('span', 'sm-chooser-sub', text, [util.t('popup.presence'), util.str(model.field(rec, 'where')),
						util.str(model.field(rec, 'when'))].filter(Boolean).join(' \u00b7 '));
				}
				L.DomEvent.on(b, 'click', function (e) {
					L.DomEvent.stop(e);
					pick(rec);
				});
			});
			return box;
		}
	};
})(L);
