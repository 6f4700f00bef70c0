/*
 * L.SiberiaMap.StepAhead: the months next to the one shown, made ready between steps, so
 * that a step there copies one drawing instead of working out and drawing a month.
 *
 * Readers step month by month (the buttons, the arrow keys, play), and a busy month's records
 * take longer to lay out and draw than a frame lasts. Between two steps of a reader the
 * browser is mostly idle: this uses that time to build the scene of the next month in the
 * direction of travel, then of the month behind (RecordScene.buildAhead), and to draw each
 * off the page as the records' canvas would draw it there (RecordCanvas.prepare). A step to
 * one of them then takes its scene and copies its drawing: the work is the same, done
 * before the reader asks rather than after. Anything else (a jump, a window of months,
 * another contingent hidden, a pan) works as before, and the months around the new place
 * are made ready afterwards.
 *
 * Work is done in pieces (a scene, or a drawing), and only while the browser is idle, as
 * many in one idle period as its time left holds, judged by what the same kind of piece
 * took last time: a piece never delays the next frame. Steps in quick succession (a key
 * held down) leave little idle time: a step finds its scene, its drawing or nothing ready,
 * and draws what is not.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	// A piece needs this much more time left than it took last time...
	const SLACK = 1.25;
	// ...or an idle period this long: no frame is due (the longest the browser gives is 50 ms).
	const LONG = 40;
	// Most pieces in one idle period: the two months' scenes and drawings.
	const PIECES = 4;

	SM.StepAhead = L.Class.extend({

		// @param controller: L.SiberiaMap.Controller
		// @param scenes: L.SiberiaMap.RecordScene
		// @param canvas: L.SiberiaMap.RecordCanvas
		// @param sprites: L.SiberiaMap.SymbolSprites
		initialize: function (controller, scenes, canvas, sprites) {
			this._ctl = controller;
			this._scenes = scenes;
			this._canvas = canvas;
			this._sprites = sprites;
			this._idle = null;
			this._stopped = false;
			// The direction of the last step (+1 later, -1 earlier), and where it ended.
			this._dir = 1;
			this._last = controller.monthIndex();
			// What the last piece of each kind took, in ms (before the first: a long idle period).
			this._cost = {scene: LONG, drawing: LONG};
		},

		// @method schedule(): this
		// After a change or a move of the view: makes the neighbouring months ready when the
		// browser is idle. Does nothing where requestIdleCallback is missing.
		schedule: function () {
			const m = this._ctl.monthIndex();
			if (m !== this._last) {
				this._dir = m > this._last ? 1 : -1;
				this._last = m;
			}
			this._stopped = false;
			if (typeof window.requestIdleCallback === 'function') { this._idleLater(); }
			return this;
		},

		_idleLater: function () {
			if (!this._idle) { this._idle = window.requestIdleCallback(L.bind(this._run, this)); }
		},

		// @method stop(): this
		// No more work (the records left the map).
		stop: function () {
			this._stopped = true;
			if (this._idle) { window.cancelIdleCallback(this._idle); }
			this._idle = null;
			return this;
		},

		// @method pending(): Array
		// The months still to make ready, in the order they will be (for tests).
		pending: function () {
			const out = [];
			const ctl = this._ctl;
			if (ctl.window().mode !== 'month' || !this._canvas._map) { return out; }
			const m = ctl.monthIndex();
			const months = [m + this._dir, m - this._dir];
			for (let i = 0; i < months.length; i++) {
				const month = months[i];
				if (month < 0 || month >= ctl.monthCount()) { continue; }
				const s = this._scenes.ahead(month);
				if (!s || !this._canvas.isPrepared(s, ctl.at(month))) { out.push(month); }
			}
			return out;
		},

		_run: function (deadline) {
			this._idle = null;
			if (this._stopped) { return; }
			// A piece is done only where the time left holds what the same kind of piece took
			// last time, so that it never pushes the next frame back; in a long idle period
			// (no frame due) whatever it takes. Else the next idle period.
			for (let done = 0; done < PIECES; done++) {
				const todo = this.pending();
				if (!todo.length) { return; }
				const kind = this._scenes.ahead(todo[0]) ? 'drawing' : 'scene';
				if (deadline.timeRemaining() < Math.min(this._cost[kind] * SLACK, LONG)) { break; }
				const t0 = performance.now();
				if (!this._work(todo[0])) { return; }
				this._cost[kind] = performance.now() - t0;
			}
			if (this.pending().length) { this._idleLater(); }
		},

		// The next piece of work for `month`: its scene, or then its drawing. Whether it
		// could be done.
		_work: function (month) {
			const scene = this._scenes.ahead(month);
			if (!scene) {
				// (Null: the state changed and is not shown yet; its change schedules again.)
				return !!this._scenes.buildAhead(this._sprites, month);
			}
			return this._canvas.prepare(scene, this._ctl.at(month));
		}
	});
})(L);
