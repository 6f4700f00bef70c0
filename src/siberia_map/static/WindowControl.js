/*
 * L.SiberiaMap.WindowControl: in the time bar, which months the map shows together: the
 * month alone, everything up to it, or a range (a second handle on the slider, its first
 * month).
 *
 * Three small buttons choose the mode (a radio group: one is pressed; ←/→ move between
 * them, as in any radio group); in a range, a second thumb lies on the month slider's
 * track, for the first month, while the slider's own thumb is the last. The second
 * slider takes the pointer only on its thumb, so the track under it still answers the
 * first. Like the rest of the bar it holds no state: the controller's window is the truth,
 * and the buttons and the thumb follow its 'change'.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	const MODES = ['month', 'upto', 'range'];
	// Each mode's button: its word, and the longer title (and accessible name) beside it.
	const LABELS = {
		month: ['window.month', 'window.monthTitle'],
		upto: ['window.upto', 'window.uptoTitle'],
		range: ['window.range', 'window.rangeTitle']
	};

	SM.WindowControl = L.Class.extend({

		// @option defaultSpan: Number = 2
		// Months before the current one that a range starts with when the Range button is
		// pressed (2: a season of three months).
		options: {
			defaultSpan: 2
		},

		// @param controller: L.SiberiaMap.Controller
		initialize: function (controller, options) {
			L.setOptions(this, options);
			this._ctl = controller;
		},

		// @method addTo(box: HTMLElement, track: HTMLElement): this
		// Puts the mode buttons in `box` before `track` (the slider's track), the range's
		// first-month thumb on the track.
		addTo: function (box, track) {
			this.onAdd(box, track);
			return this;
		},

		// @method remove(): this
		remove: function () {
			this.onRemove();
			return this;
		},

		onAdd: function (box, track) {
			const group = this._group = util.el('div', 'sm-window', null);
			group.setAttribute('role', 'radiogroup');
			group.setAttribute('aria-label', util.t('window.group'));
			box.insertBefore(group, track);
			this._buttons = MODES.map(function (mode) {
				const b = util.button('sm-window-' + mode, group, util.t(LABELS[mode][0]), util.t(LABELS[mode][1]));
				b.setAttribute('role', 'radio');
				b.title = util.t(LABELS[mode][1]);
				b.dataset.mode = mode;
				return b;
			});
			L.DomEvent.on(group, 'click', this._onClick, this);
			L.DomEvent.on(group, 'keydown', this._onKey, this);

			const from = this._from = util.el('input', 'sm-month-from', track);
			from.type = 'range';
			from.min = '0';
			from.max = String(Math.max(0, this._ctl.monthCount() - 1));
			from.step = '1';
			from.setAttribute('aria-label', util.t('window.from'));
			L.DomEvent.on(from, 'input change', this._onFrom, this);
			this._ctl.on('change', this._render, this);
			this._render();
		},

		onRemove: function () {
			this._ctl.off('change', this._render, this);
			L.DomEvent.off(this._group, 'click', this._onClick, this);
			L.DomEvent.off(this._group, 'keydown', this._onKey, this);
			L.DomEvent.off(this._from, 'input change', this._onFrom, this);
			[this._group, this._from].forEach(function (node) {
				if (node.parentNode) { node.parentNode.removeChild(node); }
			});
		},

		// @method getFromSlider(): HTMLElement
		// The range input of the range's first month (hidden outside a range).
		getFromSlider: function () {
			return this._from;
		},

		// @method setMode(mode: String): this
		// 'month', 'upto' or 'range'; the window keeps its last month.
		setMode: function (mode) {
			const w = this._ctl.window();
			if (mode === w.mode) { return this; }
			this._ctl.setWindow(mode, mode === 'range' ? Math.max(0, w.to - this.options.defaultSpan) : null, w.to);
			return this;
		},

		_onClick: function (e) {
			const b = e.target.closest && e.target.closest('button');
			if (b && b.dataset.mode) { this.setMode(b.dataset.mode); }
		},

		// Arrow keys move the choice, as in a radio group (the bar's own arrow keys, which
		// step the months, are not meant here).
		_onKey: function (e) {
			const d = e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : 0;
			if (!d) { return; }
			L.DomEvent.stop(e);
			const i = (MODES.indexOf(this._ctl.window().mode) + d + MODES.length) % MODES.length;
			this.setMode(MODES[i]);
			this._buttons[i].focus();
		},

		// The first-month thumb cannot pass the last month's: it pushes it along.
		_onFrom: function () {
			const v = +this._from.value;
			this._ctl.setState({mode: 'range', from: v, month: Math.max(v, this._ctl.monthIndex())});
		},

		_render: function () {
			const w = this._ctl.window();
			for (let i = 0; i < this._buttons.length; i++) {
				const on = MODES[i] === w.mode;
				util.setAttr(this._buttons[i], 'aria-checked', on ? 'true' : 'false');
				// (Roving tab stop: Tab reaches the group once, at the chosen mode.)
				if (this._buttons[i].tabIndex !== (on ? 0 : -1)) { this._buttons[i].tabIndex = on ? 0 : -1; }
			}
			util.setHidden(this._from, w.mode !== 'range');
			if (+this._from.value !== w.from) { this._from.value = String(w.from); }
			util.setAttr(this._from, 'aria-valuetext', util.monthLabel(this._ctl.model.months[w.from]));
		}
	});

	SM.windowControl = function (controller, options) {
		return new SM.WindowControl(controller, options);
	};
})(L);
