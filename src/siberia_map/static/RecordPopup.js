/*
 * L.SiberiaMap.RecordPopup: the popup and hover contents of events and presence records.
 *
 * Built as DOM, never as an HTML string: titles, descriptions and sources are free text
 * from CSV files and must show literally whatever they contain.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	function uncertainty(box, model, rec) {
		const note = util.str(model.field(rec, 'unote'));
		if (rec.unc || note) {
			util.el('p', 'sm-popup-unc', box, note || util.t('popup.uncertain'));
		}
	}

	// Full citations when the data set has a bibliography, else the free-text source.
	function source(dl, model, rec) {
		const cites = model.field(rec, 'cite');
		if (Array.isArray(cites) && cites.length && model.sources.length) {
			util.row(dl, util.t(cites.length === 1 ? 'popup.source' : 'popup.sources'), null, function (dd) {
				SM.RecordPopup.citations(dd, model.sources, cites);
			});
			return;
		}
		const src = util.str(model.field(rec, 'src'));
		if (src) { util.row(dl, util.t('popup.source'), null, function (dd) { util.appendSource(dd, src); }); }
	}

	// "Author, Title (Publisher, Year), locator [type] host-link": every part a text node or
	// a <cite>; the link only for an http(s) URL, re-parsed by util.safeHref.
	function citation(li, s, locator) {
		const text = function (t) { li.appendChild(document.createTextNode(t)); };
		const author = util.str(s.author);
		const publisher = util.str(s.publisher);
		const year = util.str(s.year);
		if (author) { text(author + ', '); }
		util.el('cite', null, li, util.str(s.title) || util.str(s.key));
		const imprint = [publisher, year].filter(Boolean).join(', ');
		if (imprint) { text(' (' + imprint + ')'); }
		if (locator) { text(', ' + locator); }
		const href = util.safeHref(util.str(s.url));
		if (href) {
			text(' ');
			const a = util.el('a', 'sm-source-link', li, new URL(href).host);
			a.href = href;
			a.rel = 'noopener noreferrer';
			a.target = '_blank';
		}
		if (s.type) {
			text(' ');
			util.el('span', 'sm-cite-type', li, '[' + util.str(s.type) + ']');
		}
	}

	function contingentList(dd, model, rec) {
		const list = util.el('ul', 'sm-popup-contingents', dd);
		rec.c.forEach(function (ci) {
			const c = model.contingents[ci];
			const li = util.el('li', null, list);
			util.swatch(li, c.colour);
			li.appendChild(document.createTextNode(c.name));
		});
	}

	SM.RecordPopup = {

		// Appends a list of citations: `cites` are [source index, locator] pairs into
		// `sources` (the payload's bibliography). Unknown indices are skipped.
		citations: function (parent, sources, cites) {
			const list = util.el('ul', 'sm-popup-cites', parent);
			cites.forEach(function (c) {
				const s = Array.isArray(c) ? sources[c[0]] : null;
				if (s && typeof s === 'object') {
					citation(util.el('li', null, list), s, util.str(c[1]));
				}
			});
			return list;
		},

		content: function (model, rec) {
			return rec.type === 'event' ? this.event(model, rec) : this.presence(model, rec);
		},

		event: function (model, rec) {
			const box = util.el('div', 'sm-popup sm-popup-event');
			const f = function (n) { return util.str(model.field(rec, n)); };
			const head = util.el('div', 'sm-popup-kind', box);
			util.el('span', 'sm-popup-when', head, f('when') || f('date'));
			if (f('kind')) {
				util.el('span', 'sm-popup-sep', head, ' \u00b7 ');
				util.el('span', null, head, SM.i18n.term('kind.', f('kind')));
			}
			util.el('h3', 'sm-popup-title', box, f('title') || util.t('event.untitled'));
			if (f('text')) { util.el('p', 'sm-popup-text', box, f('text')); }
			const dl = util.el('dl', 'sm-popup-facts', box);
			util.row(dl, util.t('popup.where'), f('where'));
			if (rec.c.length) {
				util.row(dl, util.t(rec.c.length === 1 ? 'popup.contingent' : 'popup.contingents'), null, function (dd) {
					contingentList(dd, model, rec);
				});
			}
			source(dl, model, rec);
			uncertainty(box, model, rec);
			return box;
		},

		presence: function (model, rec) {
			const box = util.el('div', 'sm-popup sm-popup-presence');
			const f = function (n) { return util.str(model.field(rec, n)); };
			const c = model.contingents[rec.c[0]];
			const head = util.el('div', 'sm-popup-kind', box);
			util.el('span', null, head, util.t('popup.presence'));
			if (c.side) {
				util.el('span', 'sm-popup-sep', head, ' \u00b7 ');
				util.el('span', null, head, c.side);
			}
			const title = util.el('h3', 'sm-popup-title', box);
			util.swatch(title, c.colour);
			title.appendChild(document.createTextNode(c.name));
			util.el('div', 'sm-popup-span', box, f('when') || f('date'));
			const dl = util.el('dl', 'sm-popup-facts', box);
			util.row(dl, util.t('popup.where'), f('where'));
			util.row(dl, util.t('popup.strength'), f('strength'));
			util.row(dl, util.t('popup.note'), f('note'));
			source(dl, model, rec);
			uncertainty(box, model, rec);
			return box;
		},

		tooltip: function (model, rec) {
			const box = util.el('div', 'sm-tip');
			const tip = model.field(rec, 'tip');
			if (Array.isArray(tip) && tip.length) {
				// The lines asked for (explore's tooltip=): the first as the heading.
				util.el('strong', null, box, util.str(tip[0]));
				for (let i = 1; i < tip.length; i++) { util.el('span', 'sm-tip-sub', box, util.str(tip[i])); }
			} else if (rec.type === 'event') {
				util.el('strong', null, box, util.str(model.field(rec, 'title')) || util.t('event.untitled'));
				util.el('span', 'sm-tip-sub', box, util.str(model.field(rec, 'when')));
			} else {
				util.el('strong', null, box, model.contingents[rec.c[0]].name);
				util.el('span', 'sm-tip-sub', box, util.str(model.field(rec, 'where')));
			}
			return box;
		}
	};
})(L);
