/*
 * L.SiberiaMap.StringTable: the records' text, each distinct text once.
 *
 * Python writes every title, description, place as written, date, source and citation
 * locator of the records once into `payload.strings` (output/columns.py, `Strings`), and the
 * record columns hold numbers into it. The table is two long strings, the texts of one-byte
 * characters first, then the others, and the end offset of each text: the page parses two
 * strings instead of one per cell, and cuts a text out only when a popup, tooltip, search
 * or list shows it. A string with one wider character anywhere is stored at two bytes a
 * character, so the second is kept as UTF-8 bytes instead (mostly one a character). Python
 * writes it as those bytes, a character U+0000-U+00FF each: the payload then has no wider
 * character, so the browser reads all of it at a byte a character, and the bytes are only
 * copied out here (at a million records, encoding a two-byte string instead took 0.37 s).
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	// A string of bytes (each character one, U+0000-U+00FF) as a Uint8Array. A string with
	// a wider character is text, not bytes (a table written by hand, or before the bytes
	// were: each of its texts then has a wider character): its UTF-8 encoding.
	function bytes(s) {
		const n = s.length;
		const out = new Uint8Array(n);
		for (let i = 0; i < n; i++) {
			const c = s.charCodeAt(i);
			if (c > 0xff) { return new TextEncoder().encode(s); }
			out[i] = c;
		}
		return out;
	}

	SM.StringTable = L.Class.extend({

		// @param table: Object
		// `{one, two, n1, end}`: texts 0..n1-1 lie in `one`, the rest in `two` (their UTF-8
		// bytes, a character each; or their text, see bytes); text k ends at `end[k]`
		// (characters in `one`, bytes in `two`) and starts where the one before it in the
		// same string ended (at 0 for the first of each). A missing or malformed table is an
		// empty one.
		initialize: function (table) {
			table = table && typeof table === 'object' ? table : {};
			this._one = typeof table.one === 'string' ? table.one : '';
			this._two = bytes(typeof table.two === 'string' ? table.two : '');
			this._utf8 = new TextDecoder();
			this._end = SM.TypedColumns.decode(table.end) || [];
			this._n1 = Math.max(0, Math.min(this._end.length, table.n1 | 0));
		},

		// @method get(k: Number): String
		// Text number k; '' for a number the table does not have.
		get: function (k) {
			const end = this._end;
			if (!(k >= 0 && k < end.length) || k % 1) { return ''; }
			if (k < this._n1) { return this._one.slice(k ? end[k - 1] : 0, end[k]); }
			return this._utf8.decode(this._two.subarray(k === this._n1 ? 0 : end[k - 1], end[k]));
		},

		// @method size(): Number
		size: function () {
			return this._end.length;
		}
	});
})(L);
