/*
 * L.SiberiaMap.RecordScene: where each of the month's records is drawn.
 *
 * RecordLayer asks for a scene on every change, RecordCanvas draws it and RecordHits
 * answers the pointer from it. Working it out is the geometry of legibility: presence
 * along the railway goes beside the track in lanes (MonthTracks); records sharing one place
 * are spread into a small ring (a compact spiral when there are many); one drawing per
 * area, contingent and style.
 *
 * Speed: one pass over the month's records (the Model's bucket, so never over the whole
 * data set), into typed arrays reused from step to step; the railway lines of a month are
 * kept (MonthTracks). The scenes of the months next to the one shown can be worked out
 * ahead (buildAhead, see StepAhead), and a step there takes them as they are.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	// Symbol kinds, in the order of SymbolSprites' styles.
	const POINT = 0;
	const POINT_UNC = 1;
	const EVENT = 2;
	const EVENT_UNC = 3;

	// Up to this many symbols at one place go on a ring, more into a spiral.
	const RING_MAX = 8;
	// The records of a month drawn as badges: none here (frozen: the scene never changes it).
	const NONE = Object.freeze([]);
	const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));

	SM.RecordScene = L.Evented.extend({

		// @option laneSpacing: Number = 5
		// Pixels between the centre lines of neighbouring lanes (see RecordLayer).
		//
		// @option spreadMax: Number = 10
		// Most pixels a symbol's centre may lie from its place when several share it: the
		// stack stays on its town at every zoom, never on the next town or out at sea.
		// Past what a ring of `ringSpacing` holds in it, the symbols overlap (a click
		// inside the disc lists them all in the chooser).
		//
		// @option ringSpacing: Number = 15
		// Pixels between neighbouring symbols when several records share a place.
		options: {
			laneSpacing: 5,
			spreadMax: 10,
			ringSpacing: 15
		},

		// @param controller: L.SiberiaMap.Controller
		// @param palette: Array
		// The contingents' colours in legend order, then the neutral colour.
		initialize: function (controller, palette, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			this._model = controller.model;
			this.tracks = new SM.MonthTracks(controller, palette, {laneSpacing: this.options.laneSpacing});
			this._palette = palette;
			this._neutral = palette.length - 1;
			// Per anchor: symbols there this month, and how far the largest reaches.
			this._count = new Int32Array(this._model.anchorKeys.length);
			this._reach = new Float64Array(this._model.anchorKeys.length);
			// The scene shown, and the scenes of the months next to it worked out ahead
			// (buildAhead), by month, while the same contingents are hidden (`_stamp`).
			this.scene = this._newScene();
			this.clearance = {};
			this._ahead = new Map();
			this._stamp = null;
			this._spares = [];
			// @property fillMs: Number
			// What working out the last scene took, in ms (StepAhead's first guess for the
			// next; undefined before any).
			this.fillMs = undefined;
		},

		// Symbols in the bucket's order (events first, `split` of them), then the lines and
		// areas; `key` says which month (`month`) and hidden contingents it shows (null: a
		// window of months, or not built yet).
		_newScene: function () {
			return {n: 0, split: 0, rec: [], sprite: [], anchor: new Int32Array(0), slot: new Int32Array(0),
				dx: new Float64Array(0), dy: new Float64Array(0), tracks: [], areas: [], clearance: {}, key: null, month: -1};
		},

		// @method build(sprites: Object): Object
		// The scene of the current month and contingents, in one pass over the month's
		// records (which come events first, in date order, then presence by contingent: see
		// Model), into reused arrays: `{n, split, rec, sprite, anchor, slot, dx, dy, tracks,
		// areas, clearance, key, month}` (`clearance`: for each place with symbols,
		// "lat,lon", how many pixels they reach from it), also kept as `scene` and
		// `clearance`. `sprites` are RecordLayer's SymbolSprites. A step to a month worked out
		// ahead takes that scene as it is; the scene it leaves is kept for a step back.
		build: function (sprites) {
			const ctl = this._ctl;
			const key = this._keyOf(ctl);
			const old = this.scene;
			const stamp = this._stampOf(ctl);
			if (stamp !== this._stamp) {
				this._ahead.forEach(this._recycle, this);
				this._ahead.clear();
				this._stamp = stamp;
			}
			let scene = key !== null && old.key !== key ? this._ahead.get(ctl.monthIndex()) : undefined;
			if (scene && scene.key === key) {
				this._ahead.delete(ctl.monthIndex());
			} else if (old.key === key) {
				// (Built again in place: what was made from it is stale.)
				this.fire('recycle', {scene: old});
				scene = this._fill(sprites, ctl, old, key);
			} else {
				scene = this._fill(sprites, ctl, this._spare(), key);
			}
			if (old !== scene) {
				if (old.key !== null && old.key === this._keyAt(this._stamp, old.month) && !this._ahead.has(old.month)) {
					this._ahead.set(old.month, old);
				} else {
					this._recycle(old);
				}
			}
			this.scene = scene;
			this.clearance = scene.clearance;
			this._trim(ctl.monthIndex());
			return scene;
		},

		// @method buildAhead(sprites: Object, month: Number): Object
		// The scene of `month` shown alone with the contingents hidden now, kept for a step
		// there (see StepAhead): built once, then returned as it is.
		buildAhead: function (sprites, month) {
			const view = this._ctl.at(month);
			const key = this._keyOf(view);
			let s = this._ahead.get(month);
			if (s && s.key === key) { return s; }
			if (this._stampOf(view) !== this._stamp || key === this.scene.key) { return null; }
			if (s) { this._recycle(s); }
			s = this._fill(sprites, view, this._spare(), key);
			this._ahead.set(month, s);
			return s;
		},

		// @method ahead(month: Number): Object
		// The scene worked out ahead for `month`, or null.
		ahead: function (month) {
			const s = this._ahead.get(month);
			return s && s.key === this._keyOf(this._ctl.at(month)) ? s : null;
		},

		// Which hidden contingents and badge threshold a scene was built with; with the month,
		// its key (a window of several months, or "up to", has none: steps there are not
		// worked out ahead).
		_stampOf: function (ctl) {
			return ctl.hiddenIndices().join() + '|' + ctl.badgeThreshold;
		},

		_keyOf: function (ctl) {
			const w = ctl.window();
			return w.mode === 'month' ? this._keyAt(this._stampOf(ctl), w.to) : null;
		},

		_keyAt: function (stamp, month) {
			return stamp + '@' + month;
		},

		// Only the months next to the one shown are kept ahead.
		_trim: function (m) {
			this._ahead.forEach(function (s, month) {
				if (Math.abs(month - m) > 1) {
					this._ahead.delete(month);
					this._recycle(s);
				}
			}, this);
		},

		// @event recycle: Event
		// Fired with `scene` before a scene's arrays are used for another month: whatever
		// was made from it (a drawing ahead) is stale.
		_recycle: function (s) {
			this.fire('recycle', {scene: s});
			s.key = null;
			if (this._spares.length < 2) { this._spares.push(s); }
		},

		_spare: function () {
			return this._spares.pop() || this._newScene();
		},

		// Works the scene of `ctl`'s state out into `s`.
		_fill: function (sprites, ctl, s, key) {
			const t0 = performance.now();
			s = this._fillScene(sprites, ctl, s, key);
			this.fillMs = performance.now() - t0;
			return s;
		},

		_fillScene: function (sprites, ctl, s, key) {
			// A busy month is drawn as count badges instead (CountBadgeLayer): no records, and
			// no railway lanes worked out and kept for it.
			const summarized = ctl.summarized();
			const recs = summarized ? NONE : ctl.visibleRecords();
			const tracks = summarized ? {groups: NONE} : this.tracks.entry(ctl);
			const lineRecs = [];
			const count = this._count;
			const reach = this._reach;
			const touched = [];
			const seenArea = new Map();
			const anyHidden = ctl.hiddenIndices().length;
			const nColours = this._palette.length;
			let i;
			let k;
			let a;
			this._reserve(s, recs.length);
			s.key = key;
			s.month = key === null ? -1 : ctl.monthIndex();
			s.n = s.split = 0;
			s.areas = [];
			for (i = 0; i < recs.length; i++) {
				const rec = recs[i];
				const ci = anyHidden ? ctl.recordColourIndex(rec) : (rec.c.length ? rec.c[0] : -1);
				const colour = ci < 0 ? this._neutral : ci;
				if (rec.type === 'presence' && rec.shape === 'ln') {
					lineRecs.push(rec);
					continue;
				}
				if (rec.shape === 'none') { continue; }  // listed in the events panel, not drawn
				if (rec.type === 'presence' && rec.shape === 'pg') {
					// One drawing per area, contingent and style: the rest would be drawn
					// exactly on top of it. The later record is the one on top, as before.
					const key = (rec.g * nColours + colour) * 2 + (rec.unc ? 1 : 0);
					const at = seenArea.get(key);
					const item = {rec: rec, colour: colour, colourValue: this._palette[colour]};
					if (at === undefined) {
						seenArea.set(key, s.areas.length);
						s.areas.push(item);
					} else {
						s.areas[at] = item;
					}
				}
				const kind = rec.type === 'event' ? (rec.unc ? EVENT_UNC : EVENT) : (rec.unc ? POINT_UNC : POINT);
				const sprite = sprites.get(kind, colour);
				k = s.n++;
				if (rec.type === 'event') { s.split = s.n; }
				a = rec.a;
				s.rec[k] = rec;
				s.sprite[k] = sprite;
				s.anchor[k] = a;
				if (!count[a]) {
					touched.push(a);
					reach[a] = 0;
				}
				s.slot[k] = count[a]++;
				if (sprite.extent > reach[a]) { reach[a] = sprite.extent; }
			}
			s.rec.length = s.sprite.length = s.n;
			if (!tracks.groups) { tracks.groups = this.tracks.build(ctl.window(), lineRecs); }
			s.tracks = tracks.groups;
			for (k = 0; k < s.n; k++) { this._shift(s, k, count[s.anchor[k]]); }
			const clearance = {};
			const keys = this._model.anchorKeys;
			for (i = 0; i < touched.length; i++) {
				a = touched[i];
				clearance[keys[a]] = this.radius(count[a]) + reach[a];
				count[a] = 0;
			}
			s.clearance = clearance;
			return s;
		},

		_reserve: function (s, n) {
			if (s.anchor.length >= n) { return; }
			n = Math.max(n, 2 * s.anchor.length, 64);
			s.anchor = new Int32Array(n);
			s.slot = new Int32Array(n);
			s.dx = new Float64Array(n);
			s.dy = new Float64Array(n);
		},

		// Several symbols on one place: events first, then presence in legend order (the
		// order they come in). A few sit on a ring just wide enough for them (two side by
		// side); more are packed in a sunflower spiral, in a disc of at most `spreadMax`
		// pixels, so a busy place (Vladivostok) stays a compact pile on its town.
		_shift: function (s, k, n) {
			const i = s.slot[k];
			let r;
			let a;
			if (n === 1) {
				s.dx[k] = s.dy[k] = 0;
				return;
			}
			if (n <= RING_MAX) {
				r = this.radius(n);
				a = (n === 2 ? Math.PI : -Math.PI / 2) + 2 * Math.PI * i / n;
			} else {
				r = this.options.spreadMax * Math.sqrt((i + 0.5) / n);
				a = i * GOLDEN_ANGLE;
			}
			s.dx[k] = Math.round(r * Math.cos(a));
			s.dy[k] = Math.round(r * Math.sin(a));
		},

		// How far from the place the centres of `n` symbols there lie (the outermost one).
		// @method radius(n: Number): Number
		radius: function (n) {
			const spacing = this.options.ringSpacing;
			const max = this.options.spreadMax;
			if (n <= 1) { return 0; }
			if (n <= RING_MAX) { return Math.min(max, Math.max(spacing / 2 + 1, n * spacing / (2 * Math.PI))); }
			return max * Math.sqrt((n - 0.5) / n);
		},

		// @method offsetOf(rec: Object): Array
		// [dx, dy]: how far the record's symbol is shifted from its place in this scene, or
		// null when it has no symbol.
		offsetOf: function (rec) {
			const s = this.scene;
			for (let k = 0; k < s.n; k++) {
				if (s.rec[k] === rec) { return [s.dx[k], s.dy[k]]; }
			}
			return null;
		}
	});
})(L);
