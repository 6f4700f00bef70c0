/*
 * L.SiberiaMap.Model: the payload, checked once and indexed for stepping through time.
 *
 * The Python side already did the history (dates, places, joins); this only makes the
 * columnar payload cheap to browse: one small record object per drawn row (its numbers;
 * its text stays in the string table, cut out by `field` when a popup or list needs it,
 * see StringTable), and per month the list of records shown in it (m0 <= month <= m1), so a step
 * touches one bucket and not every row. Numeric columns arrive as typed arrays
 * (TypedColumns). Anything malformed is dropped here, with a console warning, rather than
 * breaking the map.
 *
 * Each bucket is in the order everything downstream wants: events by date (ties in data
 * order), then presence by contingent (legend order, ties in data order). Python sends
 * the buckets ready-made (the payload's `index`); a payload without one (hand-written) is
 * bucketed and sorted here the same way. The events list is then a prefix of the bucket,
 * and the ring of symbols at a place is laid out in one pass, so a step sorts nothing.
 * Records that share a representative point share an anchor (an integer), so grouping
 * them needs no strings.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;
	const columns = SM.TypedColumns;

	// Most milliseconds of buckets built in one idle callback (see _buildWhenIdle).
	const IDLE_SPAN = 6;
	// The typed columns of the record blocks (see output/columns.py), and those of them
	// that hold numbers into the string table.
	const TEXT = ['kind', 'title', 'text', 'date', 'when', 'unote', 'where', 'src', 'strength', 'note'];
	const TYPED = ['g', 'm0', 'm1', 'unc'].concat(TEXT);
	const IS_TEXT = Object.create(null);
	TEXT.forEach(function (name) { IS_TEXT[name] = true; });

	function isLatLng(c) {
		return Array.isArray(c) && c.length >= 2 && typeof c[0] === 'number' && typeof c[1] === 'number' &&
			isFinite(c[0]) && isFinite(c[1]);
	}

	// The representative point of a geometry: the point itself, or `p` for lines and areas.
	function anchorOf(geom) {
		if (!geom) { return null; }
		const c = geom.t === 'pt' ? geom.c : geom.p;
		return isLatLng(c) ? c : null;
	}

	// Lines come as one list of [lat, lon] or as a list of parts; always hand out parts.
	function lineParts(geom) {
		const c = geom.c;
		if (!Array.isArray(c) || !c.length) { return []; }
		return isLatLng(c[0]) ? [c] : c.filter(function (part) {
			return Array.isArray(part) && part.length > 1 && isLatLng(part[0]);
		});
	}

	// Grows `bounds` by every [lat, lon] in a nested coordinate list (point, line parts,
	// polygon rings).
	function extend(bounds, c) {
		if (isLatLng(c)) {
			bounds.extend([c[0], c[1]]);
		} else if (Array.isArray(c)) {
			for (let i = 0; i < c.length; i++) { extend(bounds, c[i]); }
		}
	}

	// The records of one model: `{type, i, id, g, geom, shape, a, m0, m1, c, unc}` and
	// `lat`, `lon` (null for an event with no place on the map). The position is read from
	// the record's anchor (records sharing a point share it) rather than held twice by every
	// record: at 100,000 records that is 200,000 boxed numbers fewer.
	function recordType(anchors) {
		function Record(type, i, id, g, geom, a, m0, m1, c, unc) {
			this.type = type;
			this.i = i;
			this.id = id;
			this.g = g;
			this.geom = geom;
			this.shape = geom ? geom.t : 'none';
			this.a = a;
			this.m0 = m0;
			this.m1 = m1;
			this.c = c;
			this.unc = unc;
		}
		Object.defineProperties(Record.prototype, {
			lat: {get: function () { return this.a < 0 ? null : anchors[this.a].lat; }},
			lon: {get: function () { return this.a < 0 ? null : anchors[this.a].lng; }}
		});
		return Record;
	}

	SM.Model = L.Class.extend({

		// @param payload: Object
		// The parsed `siberia-map-data` JSON, see docs/architecture.md ("Payload").
		initialize: function (payload) {
			payload = payload && typeof payload === 'object' ? payload : {};
			// The record blocks stay out: once decoded below, their base64 text is garbage.
			this.payload = L.extend({}, payload, {events: null, presence: null, index: null, strings: null, counts: null});
			// The page's language: a text's `title_ru`-like version wins in Russian, and
			// dates are written in words here, except in English, which Python wrote.
			this.lang = SM.i18n.lang();
			this._dateWords = this.lang === 'en' ? null : new SM.DateWords(SM.i18n);
			this.title = this.localized(payload, 'title');
			this.subtitle = this.localized(payload, 'subtitle');
			this.citation = this.localized(payload, 'citation');
			// The story's chapters with their title and text in the page's language.
			this.story = !Array.isArray(payload.story) ? payload.story : payload.story.map(function (c) {
				return c && typeof c === 'object' ? L.extend({}, c, {title: this.localized(c, 'title'), text: this.localized(c, 'text')}) : c;
			}, this);
			this.bounds = this._bounds(payload.bounds);
			this.months = (Array.isArray(payload.months) ? payload.months : []).map(util.str);
			this.geoms = Array.isArray(payload.geoms) ? payload.geoms : [];
			this.places = Array.isArray(payload.places) ? payload.places : [];
			this.railways = Array.isArray(payload.railways) ? payload.railways : [];
			this.basemap = payload.basemap && typeof payload.basemap === 'object' ? payload.basemap : {};
			this.strings = new SM.StringTable(payload.strings);
			this.events = this._block(payload.events);
			this.presence = this._block(payload.presence);
			// The bibliography; records cite it by index in their `cite` column.
			this.sources = Array.isArray(payload.sources) ? payload.sources : [];
			this._initContingents(payload.contingents);
			this.records = [];
			// Distinct representative points: `anchorKeys[a]` is "lat,lon" as in the data.
			this.anchorKeys = [];
			this.anchorLatLngs = [];
			this._anchorIndex = new Map();
			this._segmentIndex = new Map();
			this.vertexLatLngs = [];
			this._vertexIndex = new Map();
			this._dropped = 0;
			this._Record = recordType(this.anchorLatLngs);
			// Per row of each block, its record (undefined when dropped), and its first and
			// last month (an empty span, 1..0, when dropped): a month's bucket is built from
			// these, without reading a field of a hundred thousand scattered records (at a
			// million records that took a busy month 6-9 ms, against 2-3 from the spans).
			this._rows = {event: [], presence: []};
			this._spans = {event: null, presence: null};
			this._lists = new Map();
			this._whereLabels = this._initWhere(payload.where_l10n);
			this._addRecords('event', this.events);
			this._addRecords('presence', this.presence);
			if (!this._indexBuckets(payload.index)) { this._initBuckets(); } else { this._buildWhenIdle(0); }
			// Per month, place and contingent list, how many records show (CountBadgeLayer).
			this.counts = this._initCounts(payload.counts);
			this._initTrack();
			if (this._dropped && window.console) {
				window.console.warn('siberia-map: ' + this._dropped + ' records without usable geometry or months');
			}
		},

		// One field of a record's row in the page's language, '' when the column is missing:
		// a text (from the string table when the column holds its numbers), `cite` as
		// `[[source index, locator], ...]`. A data set's own translation (`title_ru`) wins,
		// then the place's name in the language (`where_l10n`), then a date in words.
		field: function (rec, name) {
			const cols = rec.type === 'event' ? this.events : this.presence;
			const own = cols[name + '_' + this.lang];
			if (columns.isColumn(own) && own[rec.i]) { return own[rec.i]; }
			if (name === 'where' && this._whereLabels && this._whereLabels.has(rec.g)) { return this._whereLabels.get(rec.g); }
			if (name === 'when' && this._dateWords && columns.isColumn(cols.date)) {
				const words = this._dateWords.when(this._text(cols, 'date', rec.i), columns.isColumn(cols.os) ? cols.os[rec.i] : '');
				if (words) { return words; }
			}
			const col = cols[name];
			if (name === 'cite') {
				const list = col ? columns.listAt(col, rec.i) : [];
				if (columns.isColumn(col)) { return list; }
				const strings = this.strings;
				return list.map(function (pair) { return [pair[0], strings.get(pair[1])]; });
			}
			return this._text(cols, name, rec.i);
		},

		// Row `i` of column `name` of a block: a text column's numbers are read back from
		// the string table; '' when the column is missing.
		_text: function (cols, name, i) {
			const col = cols[name];
			if (!columns.isColumn(col)) { return ''; }
			return IS_TEXT[name] && ArrayBuffer.isView(col) ? this.strings.get(col[i]) : col[i];
		},

		// @method dateWords(date: String): String
		// A date of the data (EDTF) in words in the page's language; '' when only the
		// English words Python wrote will do.
		dateWords: function (date) {
			return this._dateWords ? this._dateWords.when(date, '') : '';
		},

		// A record block with its typed columns and lists decoded.
		_block: function (cols) {
			const out = columns.decodeAll(cols, TYPED);
			const c = out.c;
			out.c = c && typeof c === 'object' && !columns.isColumn(c) && c.start ? columns.decodeLists(c) : columns.decode(c);
			if (out.cite !== undefined) { out.cite = columns.decodeLists(out.cite); }
			return out;
		},

		// @method bucket(from: Number, to?: Number): Array
		// The records shown in month `from`, or with `to`, in the window of months
		// from..to: the union of their buckets, each record once, in bucket order (events by
		// date, then presence by contingent). The one call the drawing layers, the lists and
		// the counts ask. The array is shared: do not change it.
		bucket: function (from, to) {
			if (to === undefined || to === from) { return this._month(from); }
			return this._window(from, to).records;
		},

		// @method bucketSize(month: Number): Number
		// How many records month `month` shows, without building its bucket when the index
		// says (records the page dropped as malformed counted too).
		bucketSize: function (month) {
			const index = this._index;
			if (index && !this._buckets[month] && month >= 0 && month < this.months.length) {
				return index.start[month + 1] - index.start[month];
			}
			return this._month(month).length;
		},

		// @method bucketEvents(from: Number, to?: Number): Number
		// How many records at the head of the bucket (of a month or a window) are events.
		// A month's number comes from the index while its bucket is not built and no record
		// was dropped (the month histogram asks for every month at start: building them all
		// took 0.2 s and a few million entries at a million records).
		bucketEvents: function (from, to) {
			if (to === undefined || to === from) {
				if (!this._buckets[from] && this._exactIndex() && from >= 0 && from < this.months.length) {
					return this._index.perMonth[from];
				}
				this._month(from);
				return this._eventCounts[from] || 0;
			}
			return this._window(from, to).events;
		},

		// @method bucketLength(month: Number): Number
		// How many records month `month` shows: `bucket(month).length`, from the index
		// without building the bucket while no record was dropped.
		bucketLength: function (month) {
			return this._exactIndex() ? this.bucketSize(month) : this._month(month).length;
		},

		// The index's per-month figures are the buckets' own when every row made a record.
		_exactIndex: function () {
			return !!(this._index && this._index.perMonth) && this._dropped === 0;
		},

		// A window's union, built from the month buckets and kept for the last few windows
		// (a reader going back and forth between two seasons builds each once). An event
		// first seen in a later month began in it, so taking events in the order they first
		// turn up keeps them in date order; presence is put back in legend order.
		_window: function (from, to) {
			const n = this.months.length;
			from = Math.max(0, from);
			to = Math.min(n - 1, to);
			const key = from + '..' + to;
			const memo = this._windows || (this._windows = []);
			for (let k = 0; k < memo.length; k++) {
				if (memo[k].key === key) { return memo[k]; }
			}
			const seen = new Set();
			const events = [];
			const presence = [];
			for (let m = from; m <= to; m++) {
				const b = this._month(m);
				for (let i = 0; i < b.length; i++) {
					if (seen.has(b[i])) { continue; }
					seen.add(b[i]);
					(b[i].type === 'event' ? events : presence).push(b[i]);
				}
			}
			presence.sort(function (a, b) { return a.c[0] - b.c[0] || a.i - b.i; });
			const out = {key: key, records: events.concat(presence), events: events.length};
			memo.unshift(out);
			memo.length = Math.min(memo.length, 4);
			return out;
		},

		// @method recordBounds(): LatLngBounds
		// The theatre: the bounds of every record's geometry (all months), or null when there
		// are no records. Worked out once.
		recordBounds: function () {
			if (this._recordBounds === undefined) {
				const b = L.latLngBounds([]);
				const seen = {};
				for (let r = 0; r < this.records.length; r++) {
					const g = this.records[r].g;
					// (An event with no place on the map has no geometry.)
					if (seen[g] || !this.records[r].geom) { continue; }
					seen[g] = true;
					extend(b, this.geoms[g].c);
				}
				this._recordBounds = b.isValid() ? b : null;
			}
			return this._recordBounds;
		},

		monthIndexOf: function (ym) {
			return this.months.indexOf(util.str(ym));
		},

		// Line parts of a geometry in [lat, lon], each run west to east so that lanes offset
		// to the same side on every stretch (see OffsetPolyline), cached per geometry.
		lineLatLngs: function (g) {
			const geom = this.geoms[g];
			if (!geom) { return []; }
			if (!geom._smParts) {
				geom._smParts = lineParts(geom).map(function (part) {
					const a = part[0];
					const b = part[part.length - 1];
					const reverse = b[1] < a[1] || (b[1] === a[1] && b[0] < a[0]);
					return reverse ? part.slice().reverse() : part;
				});
			}
			return geom._smParts;
		},

		// Keys of the segments of a line geometry, independent of direction; two records
		// sharing a key run along the same piece of track.
		segmentKeys: function (g) {
			const geom = this.geoms[g];
			if (!geom) { return []; }
			if (!geom._smSegs) {
				const keys = [];
				const parts = this.lineLatLngs(g);
				for (let i = 0; i < parts.length; i++) {
					for (let j = 0; j + 1 < parts[i].length; j++) {
						const a = parts[i][j][0] + ',' + parts[i][j][1];
						const b = parts[i][j + 1][0] + ',' + parts[i][j + 1][1];
						if (a !== b) { keys.push(a < b ? a + '|' + b : b + '|' + a); }
					}
				}
				geom._smSegs = keys;
			}
			return geom._smSegs;
		},

		// Vertices of a line geometry as integer ids shared across the data set (parts as in
		// lineLatLngs), so that stretches over the same track meet in the same vertices;
		// `vertexLatLngs[id]` is the position. Cached per geometry.
		lineVertices: function (g) {
			const geom = this.geoms[g];
			if (!geom) { return []; }
			if (!geom._smVerts) {
				const parts = this.lineLatLngs(g);
				const out = [];
				for (let i = 0; i < parts.length; i++) {
					const ids = new Int32Array(parts[i].length);
					for (let j = 0; j < parts[i].length; j++) { ids[j] = this._vertex(parts[i][j][0], parts[i][j][1]); }
					out.push(ids);
				}
				geom._smVerts = out;
			}
			return geom._smVerts;
		},

		_vertex: function (lat, lon) {
			const key = lat + ',' + lon;
			let v = this._vertexIndex.get(key);
			if (v === undefined) {
				v = this.vertexLatLngs.length;
				this._vertexIndex.set(key, v);
				this.vertexLatLngs.push(L.latLng(lat, lon));
			}
			return v;
		},

		// The same segments as small integers (one id per distinct segment in the data set),
		// so that finding shared track is a matter of comparing numbers.
		segmentIds: function (g) {
			const geom = this.geoms[g];
			if (!geom) { return []; }
			if (!geom._smSegIds) {
				const keys = this.segmentKeys(g);
				const index = this._segmentIndex;
				const ids = new Int32Array(keys.length);
				for (let i = 0; i < keys.length; i++) {
					let id = index.get(keys[i]);
					if (id === undefined) { index.set(keys[i], id = index.size); }
					ids[i] = id;
				}
				geom._smSegIds = ids;
			}
			return geom._smSegIds;
		},

		// How many distinct segments segmentIds has handed out so far.
		segmentCount: function () {
			return this._segmentIndex.size;
		},

		_anchorOfGeom: function (g, at, numbers) {
			let a = numbers.get(g);
			if (a === undefined) { numbers.set(g, a = this._anchor(at[0], at[1])); }
			return a;
		},

		_anchor: function (lat, lon) {
			const key = lat + ',' + lon;
			let a = this._anchorIndex.get(key);
			if (a === undefined) {
				a = this.anchorKeys.length;
				this._anchorIndex.set(key, a);
				this.anchorKeys.push(key);
				this.anchorLatLngs.push(L.latLng(lat, lon));
			}
			return a;
		},

		_bounds: function (b) {
			if (Array.isArray(b) && b.length === 2 && isLatLng(b[0]) && isLatLng(b[1])) {
				return L.latLngBounds(b[0], b[1]);
			}
			return null;
		},

		_initContingents: function (list) {
			// No prototype: an id such as 'constructor' or '__proto__' is only a key here.
			const byId = this.contingentIndex = Object.create(null);
			this.contingents = (Array.isArray(list) ? list : []).map(function (c, index) {
				c = c || {};
				const out = {
					index: index,
					id: util.str(c.id),
					name: this.localized(c, 'name') || util.str(c.id),
					side: util.str(c.side),
					colour: util.colour(c.colour),
					strength: util.str(c.strength),
					commanders: util.str(c.commanders),
					source: util.str(c.source),
					note: util.str(c.note)
				};
				byId[out.id] = index;
				return out;
			}, this);
		},

		// The records' places in the page's language by geometry index (`where_l10n`, see
		// docs/architecture.md), or null in English or where the data has none.
		_initWhere: function (block) {
			const labels = block && Array.isArray(block.g) ? block[this.lang] : null;
			if (!Array.isArray(labels)) { return null; }
			const out = new Map();
			for (let i = 0; i < block.g.length; i++) {
				if (typeof labels[i] === 'string' && labels[i]) { out.set(block.g[i], labels[i]); }
			}
			return out;
		},

		// @method localized(obj: Object, key: String): String
		// `obj[key]` in the page's language: `obj[key + '_ru']` on a Russian page where the
		// data gives it, else `obj[key]` ('' when neither is there).
		localized: function (obj, key) {
			const own = obj && obj[key + '_' + this.lang];
			return typeof own === 'string' && own ? own : util.str(obj && obj[key]);
		},

		// Contingent references may be an index, an id, or a list of either. Records with
		// the same contingents share one (frozen) list: a hundred thousand records name a
		// few dozen combinations.
		_contingentList: function (value) {
			const list = Array.isArray(value) ? value : (value === null || value === undefined || value === '' ? [] : [value]);
			const out = [];
			const n = this.contingents.length;
			for (let i = 0; i < list.length; i++) {
				const ci = typeof list[i] === 'number' ? list[i] : this.contingentIndex[util.str(list[i])];
				if (typeof ci === 'number' && ci >= 0 && ci < n && ci % 1 === 0 && out.indexOf(ci) < 0) { out.push(ci); }
			}
			const key = out.join();
			let shared = this._lists.get(key);
			if (!shared) { this._lists.set(key, shared = Object.freeze(out)); }
			return shared;
		},

		// The contingent list of each row of a block's `c` column, as `_contingentList` gives
		// it: a row of up to three contingents (nearly all) is looked up by a number made of
		// them, not joined into a key (a million records name a few dozen lists).
		_listReader: function (col) {
			const self = this;
			const known = new Map();
			const listOf = function (i) { return self._contingentList(columns.listAt(col, i)); };
			const byKey = function (key, i) {
				let list = known.get(key);
				if (!list) { known.set(key, list = listOf(i)); }
				return list;
			};
			if (ArrayBuffer.isView(col)) {
				return function (i) { return i < col.length ? byKey(col[i], i) : listOf(i); };
			}
			if (col && ArrayBuffer.isView(col.v) && ArrayBuffer.isView(col.start)) {
				const start = col.start;
				const v = col.v;
				return function (i) {
					const k = start[i];
					const n = start[i + 1] - k;
					if (!(n >= 0 && n <= 3 && k + n <= v.length)) { return listOf(i); }
					// (Its length, then values under 1024: a number under 2 ** 32, so exact,
					// and each row of values in its order has its own.)
					let key = n;
					for (let j = 0; j < n; j++) {
						if (!(v[k + j] < 1024)) { return listOf(i); }
						key = key * 1024 + v[k + j];
					}
					return byKey(key, i);
				};
			}
			return listOf;
		},

		_addRecords: function (type, cols) {
			const Record = this._Record;
			const ids = columns.isColumn(cols.id) ? cols.id : [];
			const last = this.months.length - 1;
			const rows = this._rows[type];
			const none = [];
			const column = function (name) { return columns.isColumn(cols[name]) ? cols[name] : none; };
			const gs = column('g');
			const m0s = column('m0');
			const m1s = column('m1');
			const uncs = column('unc');
			const listOf = this._listReader(cols.c);
			const firstMonth = new Int32Array(ids.length).fill(1);
			const lastMonth = new Int32Array(ids.length);
			this._spans[type] = {m0: firstMonth, m1: lastMonth};
			// Per geometry, its representative point and anchor number: worked out once, not
			// once per record (a million records stand at a few hundred places). The number is
			// given when the first record kept there comes, as it always was.
			const points = this._geomPoints || (this._geomPoints = new Map());
			const numbers = this._geomAnchors || (this._geomAnchors = new Map());
			for (let i = 0; i < ids.length; i++) {
				const g = gs[i];
				const geom = this.geoms[g];
				let anchor = points.get(g);
				if (anchor === undefined) { points.set(g, anchor = anchorOf(geom)); }
				const m0 = Math.max(0, +m0s[i]);
				const m1 = Math.min(last, +m1s[i]);
				const c = listOf(i);
				// g -1: an event with no place on the map (a decision taken far away), listed
				// in the events panel for its month but not drawn (shape 'none', anchor -1).
				const unplaced = type === 'event' && g === -1;
				if ((!anchor && !unplaced) || !(m0 <= m1) || (type === 'presence' && !c.length)) {
					this._dropped++;
					continue;
				}
				this.records.push(rows[i] = new Record(type, i, util.str(ids[i]), g, unplaced ? null : geom,
					unplaced ? -1 : this._anchorOfGeom(g, anchor, numbers), m0, m1, c, !!+uncs[i]));
				firstMonth[i] = m0;
				lastMonth[i] = m1;
			}
		},

		// Vertex and segment ids of every stretch of railway a presence record runs along,
		// once at load: computed on the way they would land in the first steps through the
		// busiest months (TrackLanes, TrackUnion).
		_initTrack: function () {
			const done = {};
			for (let r = 0; r < this.records.length; r++) {
				const rec = this.records[r];
				if (rec.type !== 'presence' || rec.shape !== 'ln' || done[rec.g]) { continue; }
				done[rec.g] = true;
				this.lineVertices(rec.g);
				this.segmentIds(rec.g);
			}
		},

		// The buckets from the payload's month index: `rec[start[m]..start[m + 1]]` are month
		// m's record numbers in bucket order (event i is i, presence row j is the number of
		// events + j), the first `events[m]` of them events. False (and nothing set) when
		// there is no index or it does not fit this payload. Each month's bucket is built
		// the first time it is asked for (`_month`): at a million records the buckets hold
		// a few million entries, and a reader sees a few months.
		_indexBuckets: function (index) {
			if (!index || typeof index !== 'object') { return false; }
			const start = columns.decode(index.start);
			const rec = columns.decode(index.rec);
			const n = this.months.length;
			if (!start || !rec || start.length !== n + 1 || start[0] !== 0 || start[n] !== rec.length) { return false; }
			for (let m = 0; m < n; m++) {
				if (!(start[m] <= start[m + 1])) { return false; }
			}
			// Events per month, when it fits the months.
			let perMonth = columns.decode(index.events);
			for (let m = 0; perMonth && m < n; m++) {
				if (perMonth.length !== n || !(perMonth[m] >= 0 && perMonth[m] <= start[m + 1] - start[m])) { perMonth = null; }
			}
			this._index = {start: start, rec: rec, perMonth: perMonth, events: columns.isColumn(this.events.id) ? this.events.id.length : 0};
			this._buckets = new Array(n);
			this._eventCounts = new Array(n);
			return true;
		},

		// The buckets not yet asked for, built from month `from` on after the first frame,
		// while the page is idle, so that neither the load nor a step waits for one (at a
		// million records a month's takes a few milliseconds, all of them 0.17 s). At least
		// one a call, and a call at least every 50 ms: a page kept busy (a reader stepping
		// through the months) has them all within a few seconds, not on its steps. A call
		// stops after IDLE_SPAN ms whatever the deadline says: a key press or the next
		// step's timer waits for it (headless Chromium has given 48 ms with one due).
		_buildWhenIdle: function (from) {
			if (typeof window.requestIdleCallback !== 'function' || from >= this.months.length) { return; }
			const self = this;
			const idle = function (deadline) {
				const start = performance.now();
				let m = from;
				do { self._month(m++); } while (m < self.months.length && !deadline.didTimeout && deadline.timeRemaining() > 4 &&
					performance.now() - start < IDLE_SPAN);
				self._buildWhenIdle(m);
			};
			if (from === 0) {
				window.requestAnimationFrame(function () { window.requestIdleCallback(idle, {timeout: 50}); });
			} else {
				window.requestIdleCallback(idle, {timeout: 50});
			}
		},

		// Month m's bucket, built from the index when first asked for; [] for no month.
		_month: function (m) {
			const done = this._buckets[m];
			if (done || !this._index || !(m >= 0 && m < this.months.length)) { return done || []; }
			const start = this._index.start;
			const rec = this._index.rec;
			const nEvents = this._index.events;
			const ev = this._rows.event;
			const pr = this._rows.presence;
			const evSpan = this._spans.event;
			const prSpan = this._spans.presence;
			const bucket = new Array(Math.max(0, start[m + 1] - start[m]));
			let n = 0;
			let events = 0;
			for (let k = start[m]; k < start[m + 1]; k++) {
				const r = rec[k];
				// (A dropped record, one that does not show this month, or no row at all,
				// stays out: undefined compares false.)
				if (r < nEvents) {
					if (!(evSpan.m0[r] <= m && evSpan.m1[r] >= m)) { continue; }
					bucket[n++] = ev[r];
					events++;
				} else {
					if (!(prSpan.m0[r - nEvents] <= m && prSpan.m1[r - nEvents] >= m)) { continue; }
					bucket[n++] = pr[r - nEvents];
				}
			}
			bucket.length = n;
			this._buckets[m] = bucket;
			this._eventCounts[m] = events;
			return bucket;
		},

		// The payload's `counts` (output/columns.py, place_counts) with its typed arrays decoded and its
		// contingent lists as the records' own shared lists; null when absent or malformed
		// (the map then draws every record, however busy the month).
		_initCounts: function (block) {
			if (!block || typeof block !== 'object') { return null; }
			const lists = columns.decodeLists(block.lists);
			const start = columns.decode(block.start);
			const out = {start: start, g: columns.decode(block.g), k: columns.decode(block.k), n: columns.decode(block.n), lists: []};
			if (!lists || columns.isColumn(lists) || !start || !out.g || !out.k || !out.n || start.length !== this.months.length + 1 ||
				start[start.length - 1] !== out.g.length || out.k.length !== out.g.length || out.n.length !== out.g.length) { return null; }
			for (let i = 0; i + 1 < lists.start.length; i++) { out.lists.push(this._contingentList(columns.listAt(lists, i))); }
			for (let e = 0; e < out.g.length; e++) {
				if (!(out.k[e] < out.lists.length) || !this.geoms[out.g[e]]) { return null; }
			}
			return out;
		},

		_initBuckets: function () {
			const events = [];
			const presence = [];
			let r;
			let m;
			for (r = 0; r < this.records.length; r++) {
				(this.records[r].type === 'event' ? events : presence).push(this.records[r]);
			}
			// By day (`sort`, else the date as written), ties in data order.
			const cols = this.events;
			const self = this;
			const key = events.map(function (rec) {
				return util.str((columns.isColumn(cols.sort) && cols.sort[rec.i]) || self.field(rec, 'date'));
			});
			const at = new Map(events.map(function (rec, k) { return [rec, k]; }));
			events.sort(function (a, b) {
				const ka = key[at.get(a)];
				const kb = key[at.get(b)];
				return ka < kb ? -1 : ka > kb ? 1 : a.i - b.i;
			});
			presence.sort(function (a, b) { return a.c[0] - b.c[0] || a.i - b.i; });
			const buckets = this._buckets = this.months.map(function () { return []; });
			const order = events.concat(presence);
			for (r = 0; r < order.length; r++) {
				const rec = order[r];
				for (m = rec.m0; m <= rec.m1; m++) { buckets[m].push(rec); }
			}
			this._eventCounts = this.months.map(function () { return 0; });
			for (r = 0; r < events.length; r++) {
				for (m = events[r].m0; m <= events[r].m1; m++) { this._eventCounts[m]++; }
			}
		}
	});

	// (Getters here: L.Class.extend copies its properties, which would call a getter.)
	Object.defineProperties(SM.Model.prototype, {
		// @property buckets: Array
		// Every month's bucket (`bucket(m)` for one month: this builds them all).
		buckets: {get: function () {
			return this.months.map(function (ym, m) { return this._month(m); }, this);
		}},
		// @property bucketEventCounts: Array
		// How many records at the head of each month's bucket are events (builds them all).
		bucketEventCounts: {get: function () {
			return this.months.map(function (ym, m) { return this.bucketEvents(m); }, this);
		}}
	});

	SM.Model.anchorOf = anchorOf;
})(L);
