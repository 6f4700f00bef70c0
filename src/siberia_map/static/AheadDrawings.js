/*
 * L.SiberiaMap.AheadDrawings: the records' drawings made off the page, ahead of the steps
 * that will show them (RecordCanvas.prepare, for StepAhead).
 *
 * A busy month takes longer to draw than the idle time between two quick steps holds (at
 * 10,000 records about 5 ms, half of it the rasterising; at 100,000 about 30), and a piece
 * of idle work must never push the next frame back. So a drawing is made in slices (see
 * RecordCanvas._slices and SceneDrawing: the underlays, the areas, the lines a few groups at
 * a time, the symbols in batches), one slice per idle piece, each rasterised before its piece
 * ends: left to the end, rasterising the whole month would be one piece as long as the
 * drawing itself. (Rasterised by reading one pixel back: where the browser draws canvases
 * on a GPU, that read waits for the GPU, in idle time.)
 * A step to a month whose drawing is under way copies what is drawn and draws the rest
 * (take), so no slice is wasted.
 *
 * A drawing is done for one scene and one key (RecordCanvas._key: the view and what the
 * underlays draw); another scene or key starts again. Each drawing keeps its own canvas, and
 * the canvas of a drawing dropped goes to the next one: a new canvas the size of the window
 * costs two to four milliseconds to allocate and clear, more than a slice.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	SM.AheadDrawings = L.Class.extend({

		initialize: function () {
			// Finished drawings: scene -> {canvas, key}.
			this._done = new Map();
			// The drawing under way: {scene, key, canvas, ctx, slices, next}.
			this._job = null;
			// Canvases of drawings dropped, to draw the next ones on.
			this._free = [];
		},

		// @method step(scene: Object, key: String, width: Number, height: Number, begin: Function): this
		// Draws the next slice of `scene`'s drawing for `key` on a canvas of `width` by
		// `height` device pixels. `begin(ctx)` starts a drawing: it sets the context's
		// transform and returns the slices, functions of the context run in order (a slice
		// may add slices after it).
		step: function (scene, key, width, height, begin) {
			let job = this._job;
			if (!job || job.scene !== scene || job.key !== key) {
				if (job) { this._release(job.canvas); }
				let canvas = this._free.pop();
				while (canvas && (canvas.width !== width || canvas.height !== height)) { canvas = this._free.pop(); }
				canvas = canvas || new OffscreenCanvas(width, height);
				const ctx = canvas.getContext('2d');
				ctx.setTransform(1, 0, 0, 1, 0, 0);
				ctx.clearRect(0, 0, width, height);
				job = this._job = {scene: scene, key: key, canvas: canvas, ctx: ctx, slices: null, next: 0};
				job.slices = begin(ctx);
			}
			job.slices[job.next++](job.ctx);
			if (job.next < job.slices.length) {
				// Reading a pixel back rasterises what the slice drew, now rather than in a later piece.
				job.ctx.getImageData(0, 0, 1, 1);
				return this;
			}
			this._job = null;
			this.forget(scene);
			this._done.set(scene, {canvas: job.canvas, key: key});
			return this;
		},

		// @method next(scene: Object, key: String): String
		// What the next slice of `scene`'s drawing for `key` is (the slice function's `kind`),
		// 'start' before it is begun, or null when it is done.
		next: function (scene, key) {
			if (this.ready(scene, key)) { return null; }
			const job = this._job;
			if (!job || job.scene !== scene || job.key !== key) { return 'start'; }
			return job.slices[job.next].kind || 'slice';
		},

		// @method ready(scene: Object, key: String): OffscreenCanvas
		// The finished drawing of `scene` for `key`, or null.
		ready: function (scene, key) {
			const d = this._done.get(scene);
			return d && d.key === key ? d.canvas : null;
		},

		// @method take(scene: Object, key: String): Object
		// The drawing of `scene` for `key` under way, as `{canvas, slices, next}` (what is
		// drawn, the drawing's slices, and the first one left to draw: slices that add slices
		// add them to that list), or null. It is no longer under way: give the canvas back
		// (release) once copied.
		take: function (scene, key) {
			const job = this._job;
			if (!job || job.scene !== scene || job.key !== key) { return null; }
			this._job = null;
			return {canvas: job.canvas, slices: job.slices, next: job.next};
		},

		// @method forget(scene: Object): this
		// Drops the drawing of `scene`, finished or under way (its arrays are about to change).
		forget: function (scene) {
			const d = this._done.get(scene);
			if (d) {
				this._release(d.canvas);
				this._done.delete(scene);
			}
			if (this._job && this._job.scene === scene) {
				this._release(this._job.canvas);
				this._job = null;
			}
			return this;
		},

		// @method release(canvas: OffscreenCanvas): this
		// A canvas from take(), copied: the next drawing may draw on it.
		release: function (canvas) {
			this._release(canvas);
			return this;
		},

		_release: function (canvas) {
			// One is enough: a drawing is dropped as another begins (a scene recycled, a view
			// changed). Each canvas is the window's size times the pixel ratio squared (8 MB at
			// 1920 x 1080, four times that on a retina screen), so no more are kept.
			if (!this._free.length) { this._free.push(canvas); }
		},

		// @method clear(): this
		// Drops every drawing and its canvas.
		clear: function () {
			this._done.clear();
			this._free = [];
			this._job = null;
			return this;
		}
	});
})(L);
