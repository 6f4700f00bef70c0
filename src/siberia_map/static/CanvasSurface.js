/*
 * L.SiberiaMap.CanvasSurface: a canvas drawn off the page and shown as one finished bitmap.
 *
 * Why: where Chromium composites in software (no GPU, as in headless runs and on many
 * virtual machines), every 2D canvas on the page is copied into a new compositor resource on
 * every frame the page changes at all, whether anything was drawn on it or not: five
 * full-window canvases cost 3-4 ms of each month step before a single record is drawn. A
 * canvas whose context is 'bitmaprenderer' only shows bitmaps handed to it, and costs
 * nothing on frames where it gets none. So the drawing goes to an OffscreenCanvas, and each
 * finished drawing is handed over whole (transferToImageBitmap, then
 * transferFromImageBitmap: a move of the pixels, not a copy), in the same task, so it
 * reaches the screen in the same frame as the rest of the page, as a 2D canvas would.
 *
 * After present() the offscreen bitmap is blank again (that is what transferring it does):
 * each drawing starts from nothing, so whoever draws must draw everything, and need not
 * clear (`offscreen()`). Browsers without OffscreenCanvas or 'bitmaprenderer' get the
 * canvas's own 2D context, and present() does nothing.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	SM.CanvasSurface = L.Class.extend({

		// @param canvas: HTMLCanvasElement
		// The canvas on the page; no context may have been asked of it yet.
		initialize: function (canvas) {
			this.canvas = canvas;
			const shown = typeof OffscreenCanvas === 'function' ? canvas.getContext('bitmaprenderer') : null;
			if (shown) {
				this._shown = shown;
				this._off = new OffscreenCanvas(Math.max(canvas.width, 1), Math.max(canvas.height, 1));
				// @property ctx: CanvasRenderingContext2D
				// The context to draw with (the offscreen canvas's, or the canvas's own).
				this.ctx = this._off.getContext('2d');
			} else {
				this.ctx = canvas.getContext('2d');
			}
		},

		// @method resize(width: Number, height: Number): this
		// Sets the size in device pixels of the canvas and of what is drawn, which clears
		// both and resets the context's state, as setting a canvas's size does.
		resize: function (width, height) {
			this.canvas.width = width;
			this.canvas.height = height;
			if (this._off) {
				// An OffscreenCanvas cannot be empty: transferToImageBitmap fails on 0 x 0.
				this._off.width = Math.max(width, 1);
				this._off.height = Math.max(height, 1);
			}
			return this;
		},

		// @method present(): this
		// Shows what has been drawn, and starts the next drawing from a blank bitmap.
		present: function () {
			if (this._off) {
				this._shown.transferFromImageBitmap(this._off.transferToImageBitmap());
			}
			return this;
		},

		// @method offscreen(): Boolean
		// Whether drawing happens off the page, each drawing on a blank bitmap (false: on
		// the canvas itself, which keeps what was drawn).
		offscreen: function () {
			return !!this._off;
		}
	});

	// @function pixels(canvas: HTMLCanvasElement): ImageData
	// What a canvas shows, whatever its context ('2d' or 'bitmaprenderer', whose pixels
	// cannot be read directly): for tests and embedding pages.
	SM.CanvasSurface.pixels = function (canvas) {
		const copy = document.createElement('canvas');
		copy.width = canvas.width;
		copy.height = canvas.height;
		const ctx = copy.getContext('2d');
		if (canvas.width && canvas.height) { ctx.drawImage(canvas, 0, 0); }
		return ctx.getImageData(0, 0, Math.max(copy.width, 1), Math.max(copy.height, 1));
	};

	SM.canvasSurface = function (canvas) {
		return new SM.CanvasSurface(canvas);
	};
})(L);
