/*
 * L.SiberiaMap.RecordCanvas: the canvas the month's records are drawn on.
 *
 * Speed: a month can show ten thousand records, and a step has to fit a frame. Leaflet
 * layers per record (objects, event bindings, a dirty rectangle per change) cost more than
 * the drawing itself, so the records are no layers at all: RecordLayer hands over a scene
 * (typed arrays of who is drawn where), and this canvas draws it in one pass: areas, then
 * railway lines (one path per contingent and style, see TrackUnion), then symbols as copies
 * of pre-rendered sprites (SymbolSprites), leaving out those hidden under others
 * (OcclusionMask): see SceneDrawing.
 * A month made ready ahead (StepAhead) was drawn off the page the same way (prepare), slice
 * by slice in the browser's idle time (AheadDrawings), and a step there copies that drawing
 * instead, or what of it is drawn and then the rest.
 *
 * It has the canvas to itself, so a step redraws records only, never the railways and
 * places, which stay on the shared canvas below. What else changes with the month above
 * the railways and under the records (the movements) is drawn here too, first, by its
 * underlays: every canvas that changes in a step is a full-window bitmap the browser
 * clears, copies and composites again, which costs more than the drawing.
 *
 * It extends L.Canvas (through FollowCanvas) for what L.Canvas does well (following pans
 * and zooms, the zoom animation, retina) and takes no pointer events: the shared canvas below hears the
 * pointer (a canvas only hears it when it is the top one) and asks hitTest() through
 * RecordHitArea, so records still win over the railway beneath them. The pixels come from
 * RecordProjection and the pointer is answered by RecordHits, both over the scene drawn.
 *
 * Relies on L.Canvas internals of Leaflet 1.9.4 (_update, _redraw, _redrawRequest, _clear,
 * _postponeUpdatePaths); the version is pinned.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	SM.RecordCanvas = SM.FollowCanvas.extend({

		// @option pane: String = 'smRecords'
		// Created by RecordLayer above the overlay pane, with pointer events off.
		//
		// @option padding: Number = 0
		// The canvas is redrawn on every step, so it covers the view and nothing beyond
		// (see FollowCanvas).
		//
		// @option tolerance: Number = 3
		// Pixels around a symbol or line that still count as on it.
		//
		// @option line, lineUncertain, area, areaUncertain: Object
		// Path styles (weight, opacity, fillOpacity, dashArray, lineCap, lineJoin) for
		// presence along the railway and over areas; the colour comes with the scene.
		options: {
			pane: 'smRecords',
			padding: 0,
			tolerance: 3,
			line: null,
			lineUncertain: null,
			area: null,
			areaUncertain: null
		},

		// @param model: L.SiberiaMap.Model
		initialize: function (model, options) {
			L.Canvas.prototype.initialize.call(this, options);
			this._model = model;
			this._scene = null;
			this._proj = new SM.RecordProjection(model);
			this._hits = new SM.RecordHits(this._proj, {tolerance: this.options.tolerance, line: this.options.line,
				lineUncertain: this.options.lineUncertain, area: this.options.area, areaUncertain: this.options.areaUncertain});
			this._drawing = new SM.SceneDrawing(this._proj, L.bind(this._view, this), {line: this.options.line,
				lineUncertain: this.options.lineUncertain, area: this.options.area, areaUncertain: this.options.areaUncertain});
			this._underlays = [];
			// Drawings made ahead off the page (see prepare).
			this._ahead = new SM.AheadDrawings();
		},

		onRemove: function (map) {
			this._ahead.clear();
			SM.FollowCanvas.prototype.onRemove.call(this, map);
		},

		// @method setScene(scene: Object): this
		// What to draw (see RecordLayer._scene); drawn on the next animation frame.
		setScene: function (scene) {
			this._scene = scene;
			this._hits.invalidate();
			return this.redraw();
		},

		// @method redraw(): this
		// Draws everything again on the next animation frame (once, however often asked).
		redraw: function () {
			if (this._map && !this._redrawRequest) {
				this._redrawRequest = L.Util.requestAnimFrame(this._redraw, this);
			}
			return this;
		},

		// @method addUnderlay(layer: Object): this
		// `layer.drawUnder(ctx, map, at)` is called on every redraw before the records, with
		// the context in world pixels, `at` null (or, drawing ahead, a Controller.at view);
		// the layer asks for a redraw() when it changes. `layer.drawKey(at)` says what it
		// would draw there (equal keys, equal drawings); without it nothing is drawn ahead.
		addUnderlay: function (layer) {
			if (this._underlays.indexOf(layer) < 0) { this._underlays.push(layer); }
			return this.redraw();
		},

		// @method removeUnderlay(layer: Object): this
		removeUnderlay: function (layer) {
			this._underlays = this._underlays.filter(function (u) { return u !== layer; });
			return this.redraw();
		},

		// @method hitTest(layerPoint: Point): Object
		// The topmost record drawn at a point, as `{rec, symbol}` (`symbol`: its index in
		// the scene's symbols, or -1 for a line or an area), or null (see RecordHits).
		hitTest: function (layerPoint) {
			return this._ask('hitTest', layerPoint, null);
		},

		// @method hitAll(layerPoint: Point): Array
		// Every record drawn at a point, topmost first, as `{rec, symbol}` (see RecordHits).
		hitAll: function (layerPoint) {
			return this._ask('hitAll', layerPoint, []);
		},

		_ask: function (method, layerPoint, none) {
			const s = this._scene;
			const map = this._map;
			if (!s || !map || !this._bounds) { return none; }
			this._project();
			const po = map.getPixelOrigin();
			const b = this._bounds;
			return this._hits[method](s, layerPoint.x + po.x, layerPoint.y + po.y, L.bounds(b.min.add(po), b.max.add(po)));
		},

		// No listeners: the pointer goes through to the shared canvas (see above).
		_initContainer: function () {
			const container = this._container = document.createElement('canvas');
			container.style.pointerEvents = 'none';
			this._ctx = container.getContext('2d');
		},

		// After a pan or zoom (L.Canvas has just resized and cleared the canvas).
		_updatePaths: function () {
			if (this._postponeUpdatePaths) { return; }
			this._hits.invalidate();
			this._redrawBounds = null;
			this._redraw();
		},

		// @method prepare(scene: Object, at: Object): Boolean
		// Draws the next slice of `scene`, with the underlays as they would be at `at`
		// (Controller.at), off the page, for a step there to copy (see StepAhead): a copy of
		// the whole canvas costs a fraction of drawing a busy month. False when it cannot be:
		// no OffscreenCanvas, no view, or an underlay that cannot say what it would draw
		// (drawKey).
		prepare: function (scene, at) {
			const key = this._key(at);
			const c = this._container;
			if (key === null || typeof window.OffscreenCanvas !== 'function' || !c || !c.width || !c.height) { return false; }
			const b = this._bounds;
			const po = this._map.getPixelOrigin();
			const r = c.width / Math.max(1, b.getSize().x);
			this._ahead.step(scene, key, c.width, c.height, L.bind(function (ctx) {
				// The page's canvas's transform (L.Canvas._update: retina scale, then the
				// bounds), in world pixels (as _paint draws).
				ctx.setTransform(r, 0, 0, r, -r * (b.min.x + po.x), -r * (b.min.y + po.y));
				return this._slices(scene, at);
			}, this));
			return true;
		},

		// @method nextSlice(scene: Object, at: Object): String
		// What the next prepare(scene, at) would draw ('start', 'lines', 'order', 'symbols';
		// StepAhead times each kind), or null when the drawing is made.
		nextSlice: function (scene, at) {
			return this._ahead.next(scene, this._key(at));
		},

		// @method drawPending(): Boolean
		// Whether a redraw waits for the next animation frame.
		drawPending: function () {
			return !!this._redrawRequest;
		},

		// @method isPrepared(scene: Object, at: Object): Boolean
		// Whether `scene` is drawn off the page as it would be drawn at `at` in this view.
		isPrepared: function (scene, at) {
			return !!this._ahead.ready(scene, this._key(at));
		},

		// @method forget(scene: Object): this
		// Drops the drawing prepared for `scene` (its arrays are about to change).
		forget: function (scene) {
			this._ahead.forget(scene);
			return this;
		},

		// What a drawing depends on besides the scene: the view, and what each underlay
		// would draw at `at` (null: the current state). Null when an underlay cannot say.
		_key: function (at) {
			const map = this._map;
			const b = this._bounds;
			const c = this._container;
			if (!map || !b) { return null; }
			const po = map.getPixelOrigin();
			let key = [map.getZoom(), po.x, po.y, b.min.x, b.min.y, b.max.x, b.max.y, c.width, c.height].join();
			for (let u = 0; u < this._underlays.length; u++) {
				const k = this._underlays[u].drawKey ? this._underlays[u].drawKey(at) : null;
				if (k === null || k === undefined) { return null; }
				key += '/' + k;
			}
			return key;
		},

		// The scene drawn ahead for this view is copied whole; one under way is copied as far
		// as it is drawn, and the rest drawn here; anything else is drawn.
		_draw: function () {
			const s = this._scene;
			const ctx = this._ctx;
			if (!this._map || !ctx || !this._bounds) { return; }
			const key = s ? this._key(null) : null;
			const ready = key !== null && this._ahead.ready(s, key);
			if (ready) {
				this._copy(ctx, ready);
				return;
			}
			const part = key !== null && this._ahead.take(s, key);
			if (part) {
				this._copy(ctx, part.canvas);
				this._ahead.release(part.canvas);
			}
			this._paint(ctx, part ? part.slices : this._slices(s, null), part ? part.next : 0);
		},

		_copy: function (ctx, canvas) {
			ctx.save();
			ctx.setTransform(1, 0, 0, 1, 0, 0);
			ctx.globalCompositeOperation = 'copy';
			ctx.drawImage(canvas, 0, 0);
			ctx.restore();
		},

		// Runs `slices` (see _slices) from the `from`th on the page's canvas, whose transform
		// maps layer pixels.
		_paint: function (ctx, slices, from) {
			const po = this._map.getPixelOrigin();
			ctx.save();
			ctx.translate(-po.x, -po.y);
			for (let i = from; i < slices.length; i++) { slices[i](ctx); }
			ctx.restore();
		},

		// The drawing of scene `s` (null: the underlays only), with the underlays as they are
		// at `at` (see prepare) or now (null), as slices to run in order, each a function of a
		// context in world pixels with a `kind` (see SceneDrawing): the underlays ('start'),
		// then the scene's. On the page they run one after the other; drawn ahead, one per
		// piece of idle time (AheadDrawings).
		_slices: function (s, at) {
			const self = this;
			const map = this._map;
			const slices = [SM.SceneDrawing.slice('start', function (ctx) {
				for (let u = 0; u < self._underlays.length; u++) {
					ctx.save();
					self._underlays[u].drawUnder(ctx, map, at);
					ctx.restore();
				}
			})];
			return s ? this._drawing.slices(s, slices) : slices;
		},

		// The visible rectangle in world pixels, which everything here is drawn in.
		_view: function () {
			this._project();
			const po = this._map.getPixelOrigin();
			const b = this._bounds;
			return L.bounds(b.min.add(po), b.max.add(po));
		},

		// Anchors and railway vertices at the current zoom (RecordProjection); the symbols'
		// grid is redone when they move.
		_project: function () {
			if (this._proj.update(this._map)) { this._hits.invalidate(); }
		}
	});

	SM.recordCanvas = function (model, options) {
		return new SM.RecordCanvas(model, options);
	};
})(L);
