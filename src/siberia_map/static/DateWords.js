/*
 * L.SiberiaMap.DateWords: a record's EDTF date in words in the page's language.
 *
 * Python writes each record's date in English words (`when`); a page in another language
 * writes them here from the EDTF `date` with Intl's own CLDR patterns, so the payload does
 * not carry a copy of every date per language. It reads what `timeline.label` reads: a day,
 * a month, a year or a season, with `~ ? %`, and intervals of two of them; anything else
 * gives '' and the caller keeps the date as written. A Julian record's Old Style date (`os`,
 * the `date_as_written` column) follows in brackets, its year said once when both agree.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const PART = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([~?%])?$/;
	const SEASONS = {21: 'season.spring', 22: 'season.summer', 23: 'season.autumn', 24: 'season.winter'};

	function utc(y, m, d) {
		const date = new Date(0);
		date.setUTCFullYear(y, m - 1, d);
		return date;
	}

	SM.DateWords = L.Class.extend({

		// @param i18n: L.SiberiaMap.I18n
		initialize: function (i18n) {
			this._i18n = i18n;
			this._cache = new Map();
			const lang = i18n.lang();
			const f = function (o) { return new Intl.DateTimeFormat(lang, L.extend({timeZone: 'UTC'}, o)); };
			this._formats = {
				day: f({day: 'numeric', month: 'long', year: 'numeric'}),
				dayNoYear: f({day: 'numeric', month: 'long'}),
				month: f({month: 'long', year: 'numeric'}),
				monthNoYear: f({month: 'long'}),
				year: f({year: 'numeric'})
			};
		},

		// @method when(date: String, os?: String): String
		// The date in words, with the Old Style date after it when `os` is given; '' for a
		// date it does not read.
		when: function (date, os) {
			// The events list asks again at every step; a chronology repeats its dates.
			const key = date + '|' + (os || '');
			let words = this._cache.get(key);
			if (words === undefined) {
				words = this._when(date, os);
				this._cache.set(key, words);
			}
			return words;
		},

		_when: function (date, os) {
			const words = this.label(date);
			if (!words || !os) { return words; }
			const years = function (s) { return (String(s).match(/\d{4}/g) || []).filter(function (y, i, a) { return a.indexOf(y) === i; }); };
			const a = years(date);
			const b = years(os);
			const sameYear = a.length === 1 && b.length === 1 && a[0] === b[0];
			const old = this.label(os, true, sameYear);
			return old ? this._i18n.t('date.oldStyle', {date: words, old: old}) : words;
		},

		// @method label(text: String, plain?: Boolean, noYear?: Boolean): String
		// `plain` leaves the qualifiers out (an O.S. date says them once, with the N.S. one).
		label: function (text, plain, noYear) {
			const halves = String(text || '').split('/');
			if (halves.length > 2) { return ''; }
			const a = this._parse(halves[0]);
			if (!a) { return ''; }
			if (halves.length === 1) { return this._render(a, plain, noYear); }
			const b = this._parse(halves[1]);
			if (!b) { return ''; }
			if (halves[0] === halves[1]) { return this._render(a, plain, noYear); }
			const bare = !a.q && !b.q && !a.season && !b.season;
			if (bare && !noYear && a.month && b.month && !a.day === !b.day) {
				const start = utc(a.year, a.month, a.day || 1);
				const range = this._formats[a.day ? 'day' : 'month'].formatRange(start, utc(b.year, b.month, b.day || 1));
				// Some languages' CLDR ranges fall back to digits (ja "1918/08/15～1918/08/21",
				// cs "15.–21. 8. 1918"): only a range that names its month is taken, else
				// both ends are written out in words.
				if (range.indexOf(this._formats.monthNoYear.format(start)) >= 0) { return range; }
			}
			return this._render(a, plain, noYear) + ' \u2013 ' + this._render(b, plain, noYear);
		},

		_parse: function (part) {
			const m = PART.exec(part);
			if (!m) { return null; }
			const month = m[2] ? +m[2] : 0;
			if (SEASONS[month] && !m[3]) { return {year: +m[1], season: month, q: m[4] || ''}; }
			if (m[2] && (month < 1 || month > 12)) { return null; }
			return {year: +m[1], month: month, day: m[3] ? +m[3] : 0, q: m[4] || ''};
		},

		_render: function (w, plain, noYear) {
			const t = L.bind(this._i18n.t, this._i18n);
			const f = this._formats;
			let core;
			if (w.season) {
				const next = String(w.year + 1);
				core = t(SEASONS[w.season], {year: String(w.year),
					next: next.slice(0, 2) === String(w.year).slice(0, 2) ? next.slice(2) : next});
			} else if (w.day) {
				core = f[noYear ? 'dayNoYear' : 'day'].format(utc(w.year, w.month, w.day));
			} else if (w.month) {
				core = f[noYear ? 'monthNoYear' : 'month'].format(utc(w.year, w.month, 1));
			} else {
				core = f.year.format(utc(w.year, 7, 1));
			}
			if (plain) { return core; }
			if (w.q === '~' || w.q === '%') { core = t('date.about', {date: core}); }
			if (w.q === '?' || w.q === '%') { core = t('date.uncertain', {date: core}); }
			return core;
		}
	});
})(L);
