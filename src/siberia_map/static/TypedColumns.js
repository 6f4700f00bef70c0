/*
 * L.SiberiaMap.TypedColumns: the payload's numeric columns read into typed arrays.
 *
 * Python writes a column of integers as `{"t": "u8"|"i8"|"u16"|"i16"|"u32"|"i32",
 * "b64": little-endian bytes in base64}` (output/columns.py): the narrowest type that
 * holds it, so that a million month indices cost a megabyte and no boxed numbers. Wider
 * types come in byte planes (every value's lowest byte, then every value's next byte...),
 * which compress better; reading one is a base64 decode and each value put together from
 * its planes' bytes into a fresh typed array: no eval, no object per value. A plain JSON
 * list is handed back as it is, so hand-written payloads (tests, embedding pages) keep
 * working.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	const TYPES = {u8: Uint8Array, i8: Int8Array, u16: Uint16Array, i16: Int16Array, u32: Uint32Array, i32: Int32Array};


	// The browser's own decoder where it has one (Chromium 140+, Firefox 133+, Safari 18.2+):
	// at a million records the columns are some 100 MB of base64, and atob's one-character
	// string read back a byte at a time took three to four times as long. Both throw on text
	// that is not base64 and skip white space.
	function bytes(b64) {
		if (typeof Uint8Array.fromBase64 === 'function') { return Uint8Array.fromBase64(b64); }
		const bin = atob(b64);
		const n = bin.length;
		const out = new Uint8Array(n);
		for (let i = 0; i < n; i++) { out[i] = bin.charCodeAt(i); }
		return out;
	}

	SM.TypedColumns = {

		// @function isColumn(value): Boolean
		// A list of values: a JSON array or a typed array.
		isColumn: function (value) {
			return Array.isArray(value) || ArrayBuffer.isView(value);
		},

		// @function decode(value): Array|TypedArray
		// A typed column as its typed array; a JSON array as it is; anything else (a missing
		// or malformed column) as null.
		decode: function (value) {
			if (SM.TypedColumns.isColumn(value)) { return value; }
			if (!value || typeof value !== 'object' || typeof value.b64 !== 'string' || !Object.prototype.hasOwnProperty.call(TYPES, value.t)) {
				return null;
			}
			const Type = TYPES[value.t];
			let raw;
			try {
				raw = bytes(value.b64);
			} catch (e) {
				return null;  // not base64
			}
			const w = Type.BYTES_PER_ELEMENT;
			const n = raw.length / w;
			if (raw.length % w) { return null; }
			if (w === 1) { return new Type(raw.buffer); }
			// A value from its bytes by arithmetic, whatever the platform's byte order; a
			// signed array keeps the low 16 or 32 bits, i.e. the value's two's complement.
			// (Byte by byte into a little-endian buffer took 0.1 s at a million records.)
			const out = new Type(n);
			const p0 = raw.subarray(0, n);
			const p1 = raw.subarray(n, 2 * n);
			if (w === 2) {
				for (let i = 0; i < n; i++) { out[i] = p0[i] | (p1[i] << 8); }
				return out;
			}
			const p2 = raw.subarray(2 * n, 3 * n);
			const p3 = raw.subarray(3 * n, 4 * n);
			for (let i = 0; i < n; i++) { out[i] = p0[i] | (p1[i] << 8) | (p2[i] << 16) | (p3[i] << 24); }
			return out;
		},

		// @function decodeLists(value): Object
		// A column of lists, `{start, v}` (output/columns.py `lists`; a citation column has
		// `src` and `loc` instead of `v`), with its typed arrays decoded; a JSON array of
		// lists as it is; null when malformed.
		decodeLists: function (value) {
			if (SM.TypedColumns.isColumn(value)) { return value; }
			if (!value || typeof value !== 'object') { return null; }
			const out = {start: SM.TypedColumns.decode(value.start)};
			const names = value.v !== undefined ? ['v'] : ['src', 'loc'];
			for (let i = 0; i < names.length; i++) {
				out[names[i]] = SM.TypedColumns.decode(value[names[i]]);
				if (!out[names[i]] || !out.start || out.start[out.start.length - 1] > out[names[i]].length) { return null; }
			}
			return out;
		},

		// @function listAt(col, i: Number): Array
		// Row i of a column of lists (see decodeLists), as a fresh array of its values (or
		// `[value, value]` pairs of `src` and `loc`); a row of a plain column as it is.
		listAt: function (col, i) {
			if (SM.TypedColumns.isColumn(col)) { return col[i]; }
			if (!col || !(i >= 0 && i + 1 < col.start.length)) { return []; }
			const out = [];
			for (let k = col.start[i]; k < col.start[i + 1]; k++) { out.push(col.v ? col.v[k] : [col.src[k], col.loc[k]]); }
			return out;
		},

		// @function decodeAll(cols: Object, names: Array): Object
		// A copy of a columnar block with the named columns decoded (the others as they are).
		decodeAll: function (cols, names) {
			// (No prototype: a column named `__proto__` or `constructor` is just a column.)
			const out = Object.create(null);
			let k;
			cols = cols && typeof cols === 'object' ? cols : {};
			for (k in cols) {
				if (Object.prototype.hasOwnProperty.call(cols, k)) { out[k] = cols[k]; }
			}
			for (let i = 0; i < names.length; i++) {
				if (Object.prototype.hasOwnProperty.call(out, names[i])) { out[names[i]] = SM.TypedColumns.decode(out[names[i]]); }
			}
			return out;
		}
	};
})(L);
