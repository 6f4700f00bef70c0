/*
 * L.SiberiaMap.I18n: the page's language and its interface strings.
 *
 * The strings come from the payload's `i18n` block (Python puts the JSON catalogues of the
 * languages the file holds there, through tojson): `{lang, langs, messages: {code: {key:
 * text}}}`, in the i18next v4 form (`{{name}}` places, `key_one`/`key_few`/`key_many`/
 * `key_other` for counts, chosen by Intl.PluralRules). Months and numbers are the browser's
 * own CLDR data through Intl, so no month name is kept here. `SM.i18n` is the instance of
 * the map on the page; before a map starts it is English with no catalogue, and a key it
 * lacks is shown as the key, never as nothing.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const PLACE = /\{\{(\w+)\}\}/g;
	const YM = /^(\d{4})-(\d{2})$/;

	// "1919-06" as the first of its month (UTC), or null for anything else.
	function monthDate(ym) {
		const m = YM.exec(ym === null || ym === undefined ? '' : String(ym));
		if (!m || +m[2] < 1 || +m[2] > 12) { return null; }
		const d = new Date(0);
		d.setUTCFullYear(+m[1], +m[2] - 1, 1);
		return d;
	}

	SM.I18n = L.Class.extend({

		// @param block: Object
		// The payload's `i18n` block (or null: English without a catalogue).
		// @param wanted: String
		// A language asked for (a link's `#lang=`); used only when the file holds it.
		initialize: function (block, wanted) {
			const b = block && typeof block === 'object' ? block : {};
			this._langs = Array.isArray(b.langs) && b.langs.length ? b.langs.slice() : [b.lang || 'en'];
			const all = b.messages && typeof b.messages === 'object' ? b.messages : {};
			this._lang = this._langs.indexOf(wanted) >= 0 ? wanted : (this._langs.indexOf(b.lang) >= 0 ? b.lang : this._langs[0]);
			this._all = all;
			this._messages = all[this._lang] || {};
			this._plural = new Intl.PluralRules(this._lang);
			this._number = new Intl.NumberFormat(this._lang);
			this._month = new Intl.DateTimeFormat(this._lang, {year: 'numeric', month: 'long', timeZone: 'UTC'});
			this._monthName = new Intl.DateTimeFormat(this._lang, {month: 'long', timeZone: 'UTC'});
			// Months as written, by "YYYY-MM": a step writes its month in four places, and
			// Intl's formatting is the dearest part of that.
			this._months = new Map();
		},

		// @method lang(): String
		lang: function () {
			return this._lang;
		},

		// @method langs(): String[]
		// The languages the file holds, the page's own first.
		langs: function () {
			return this._langs.slice();
		},

		// @method isDefault(): Boolean
		// Whether the page shows the language it was built in (not one chosen by a link).
		isDefault: function () {
			return this._lang === this._langs[0];
		},

		// @method nameOf(code: String): String
		// A language's name in that language ("Русский"), for the switcher.
		nameOf: function (code) {
			const m = this._all[code];
			return m && typeof m['lang.name'] === 'string' ? m['lang.name'] : code;
		},

		// @method t(key: String, params?: Object): String
		// The string `key` with its `{{name}}` places filled from `params` (numbers in the
		// language's format). With a numeric `params.count`, the plural form it calls for.
		t: function (key, params) {
			const m = this._messages;
			let text;
			if (params && typeof params.count === 'number') {
				text = m[key + '_' + this._plural.select(params.count)];
				if (typeof text !== 'string') { text = m[key + '_other']; }
			}
			if (typeof text !== 'string') { text = m[key]; }
			if (typeof text !== 'string') { return key; }
			const self = this;
			return !params ? text : text.replace(PLACE, function (all, name) {
				if (!Object.prototype.hasOwnProperty.call(params, name)) { return all; }
				const v = params[name];
				return typeof v === 'number' ? self._number.format(v) : String(v);
			});
		},

		// @method placeName(place: Object): String
		// A place's name in the page's language (`name_ru`, `name_ja`...) where the data set
		// has one, else its name as of the time.
		placeName: function (place) {
			const own = place && place['name_' + this._lang];
			return typeof own === 'string' && own ? own : (place && place.name ? String(place.name) : '');
		},

		// @method otherNames(place: Object): String[]
		// Every name of a place but the one shown: its other spellings (`names`) and its
		// names in the languages the data set gives (`name_ru`, `name_zh`...), each once.
		otherNames: function (place) {
			const shown = this.placeName(place);
			const out = [];
			const add = function (n) {
				if (typeof n === 'string' && n && n !== shown && out.indexOf(n) < 0) { out.push(n); }
			};
			if (!place) { return out; }
			if (shown !== place.name) { add(place.name); }
			(Array.isArray(place.names) ? place.names : []).forEach(add);
			Object.keys(place).sort().forEach(function (k) {
				if (/^name_[a-z]{2,3}$/.test(k)) { add(place[k]); }
			});
			return out;
		},

		// @method term(prefix: String, value: String): String
		// A word of a vocabulary the data uses (a place's or an event's `kind`, a side) in
		// the page's language when the catalogue has it (`kind.station`), else as written.
		term: function (prefix, value) {
			const v = value === null || value === undefined ? '' : String(value);
			return /^[a-z]+$/.test(v) && this.has(prefix + v) ? this.t(prefix + v) : v;
		},

		// @method has(key: String): Boolean
		has: function (key) {
			return typeof this._messages[key] === 'string';
		},

		// @method number(n: Number): String
		number: function (n) {
			return this._number.format(n);
		},

		// @method month(ym: String): String
		// "1919-06" as the language writes a month: "June 1919", "июнь 1919 г.", "1919年6月".
		// Anything else is shown as given rather than hidden.
		month: function (ym) {
			let text = this._months.get(ym);
			if (text === undefined) {
				const d = monthDate(ym);
				text = d ? this._month.format(d) : (ym === null || ym === undefined ? '' : String(ym));
				if (d) { this._months.set(ym, text); }
			}
			return text;
		},

		// @method monthRange(from: String, to: String): String
		// Two months as a range the language writes: within a year the year once, after the
		// month names the browser gives (Intl, standalone: "июнь", "6月"), in the order and
		// with the dash the catalogue says ("June–August 1919", "июнь – август 1919 г.",
		// "1919年6月～8月"); across years both months in full. Intl's own formatRange is not
		// used: some languages' CLDR ranges fall back to digits ("1919/06～1919/08") or say
		// the year twice.
		monthRange: function (from, to) {
			const a = monthDate(from);
			const b = monthDate(to);
			if (a && b && a.getUTCFullYear() === b.getUTCFullYear()) {
				return this.t('months.rangeSameYear', {from: this._monthName.format(a), to: this._monthName.format(b),
					year: String(a.getUTCFullYear())});
			}
			return this.t('months.range', {from: this.month(from), to: this.month(to)});
		}
	});

	SM.i18n = new SM.I18n(null);
})(L);
