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
 * Work is done in pieces (a scene, or a slice of a drawing: see AheadDrawings), and only
 * while the browser is idle, as many in one idle period as its time left holds, judged by
 * what the same kind of piece took the last times (_costOf): a piece never delays the next
 * frame. Steps in quick succession (a key held down) leave little idle time: a step finds
 * its scene, its drawing, part of it or nothing ready, and draws what is not.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	// A piece needs this much more time left than it took last time...
	const SLACK = 1.25;
	// ...or an idle period this long: no frame is due (the longest the browser gives is 50 ms).
	const LONG = 40;
	// Most pieces in one idle callback (the months' scenes and the slices of their drawings)...
	const PIECES = 64;
	// ...and most milliseconds after the first piece: an idle period with no frame due lasts
	// up to 50 ms, and a key press or a timer that comes meanwhile waits for the callback to
	// end (a frame at most). The rest waits for the next idle period: a callback asked for
	// during one runs in the next, so a shorter span would leave most of a reader's pause
	// unused at 100,000 records.
	const SPAN = 16;
	// What a piece is expected to take shrinks by this each time it waits (see _run).
	const DECAY = 0.9;
	// What a piece of a kind never timed is expected to take, in ms (see _costOf).
	const GUESS = 8;

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
			// What the last two pieces of each kind took, in ms: a scene, or a kind of slice
			// of a drawing (RecordCanvas.nextSlice). See _costOf.
			this._cost = {};
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
		// The months still to make ready, in the order they will be (for tests). First the
		// month just stepped to, when its frame is still to come: an idle period can fall
		// between a step and its frame, and the slices of its drawing done there are slices
		// the frame copies (a drawing of it under way when the step came goes on).
		pending: function () {
			const out = [];
			const ctl = this._ctl;
			if (ctl.window().mode !== 'month' || !this._canvas._map) { return out; }
			const m = ctl.monthIndex();
			if (this._canvas.drawPending() && !this._canvas.isPrepared(this._scenes.scene, ctl.at(m))) { out.push(m); }
			const months = [m + this._dir, m - this._dir];
			for (let i = 0; i < months.length; i++) {
				const month = months[i];
				if (month < 0 || month >= ctl.monthCount()) { continue; }
				const s = this._scenes.ahead(month);
				if (!s || !this._canvas.isPrepared(s, ctl.at(month))) { out.push(month); }
			}
			return out;
		},

		// The scene of `month` to draw ahead: the one shown, or one worked out ahead.
		_sceneOf: function (month) {
			return month === this._ctl.monthIndex() ? this._scenes.scene : this._scenes.ahead(month);
		},

		_run: function (deadline) {
			this._idle = null;
			if (this._stopped) { return; }
			// A piece is done only where the time left holds what the same kind of piece took
			// last time, so that it never pushes the next frame back; in a long idle period
			// (no frame due) whatever it takes. Else the next idle period.
			const start = performance.now();
			for (let done = 0; done < PIECES; done++) {
				const todo = this.pending();
				if (!todo.length) { return; }
				const scene = this._sceneOf(todo[0]);
				const kind = scene ? this._canvas.nextSlice(scene, this._ctl.at(todo[0])) : 'scene';
				const cost = this._costOf(kind);
				if (deadline.timeRemaining() < Math.min(cost * SLACK, LONG)) {
					// A piece that took long twice would otherwise wait for a long idle period
					// to be timed again: each time it does not fit, expect it a little shorter.
					const c = this._cost[kind];
					if (c) { this._cost[kind] = [c[0] * DECAY, c[1] * DECAY]; }
					break;
				}
				if (done && performance.now() - start + cost * SLACK > SPAN) { break; }
				const t0 = performance.now();
				if (!this._work(todo[0])) { return; }
				const ms = performance.now() - t0;
				this._cost[kind] = [ms, this._cost[kind] ? this._cost[kind][0] : ms];
			}
			if (this.pending().length) { this._idleLater(); }
		},

		// What a piece of `kind` should take: the shorter of what the last two took (the
		// first piece of a drawing takes longer once, on a new canvas, and a hiccup is not
		// the rule). Before any: for a scene, what the last scene took to work out for a step
		// (RecordScene.fillMs, the load's own at first); for a slice of a kind not timed yet,
		// what the dearest slice timed took (slices are cut to about the same work), or
		// GUESS. Never a long idle period: the first steps after the load come with short
		// ones, and a piece taken for longer than it is would wait for one.
		_costOf: function (kind) {
			const c = this._cost[kind];
			if (c) { return Math.min(c[0], c[1]); }
			if (kind === 'scene') { return typeof this._scenes.fillMs === 'number' ? this._scenes.fillMs : GUESS; }
			let dearest = -1;
			for (const k in this._cost) {
				if (k !== 'scene') { dearest = Math.max(dearest, Math.min(this._cost[k][0], this._cost[k][1])); }
			}
			return dearest >= 0 ? dearest : GUESS;
		},

		// The next piece of work for `month`: its scene, or then the next slice of its drawing.
		// Whether it could be done.
		_work: function (month) {
			const scene = this._sceneOf(month);
			if (!scene) {
				// (Null: the state changed and is not shown yet; its change schedules again.)
				return !!this._scenes.buildAhead(this._sprites, month);
			}
			return this._canvas.prepare(scene, this._ctl.at(month));
		}
	});
})(L);
