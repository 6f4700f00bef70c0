/*
 * L.SiberiaMap.MonthControl: the time bar (previous, slider, next, play, month in words).
 *
 * It holds no month of its own: every input asks the controller, and the bar re-renders
 * from the controller's 'change', so the slider can never disagree with the map.
 *
 * Keyboard: Left/Right step a month anywhere on the page except where the key already
 * means something: text fields, selects, the slider itself (whose own arrow handling moves
 * it and reaches the controller through its 'input' event, once) and the map when it has
 * the focus (Leaflet pans it). PageUp/PageDown move a year and Home/End go to the first
 * and last month, on the slider and anywhere a list is not there to be scrolled.
 *
 * One row along the bottom of the map: the buttons, the month in words, the speed of play,
 * the window's mode (WindowControl), then the slider with the histogram under it, in the
 * markup in the order they show (Tab follows the screen); the skip link leads to the slider.
 *
 * In a window of months the label says the window, the histogram shades it, and the
 * buttons, play and the keys outside the slider move the whole window (a range slides by
 * a month, keeping its length); the slider's thumb moves its last month only, and a
 * second thumb (WindowControl) its first.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	SM.MonthControl = L.Control.extend({

		// @option position: String = 'bottomleft'
		// Styled to run along the bottom of the map.
		//
		// @option interval: Number = 1500
		// Milliseconds per month while playing at the normal speed; long enough to read the
		// month's name.
		//
		// @option speeds: Array = [0.5, 1, 2]
		// The speeds of play the speed button goes through (times the normal speed); it
		// starts at the one that is 1.
		//
		// @option keyboard: Boolean = true
		// Whether Left/Right on the page step through the months.
		options: {
			position: 'bottomleft',
			interval: 1500,
			speeds: [0.5, 1, 2],
			keyboard: true
		},

		initialize: function (controller, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			this._timer = null;
			this._speed = Math.max(0, this.options.speeds.indexOf(1));
		},

		addTo: function (map) {
			L.Control.prototype.addTo.call(this, map);
			this._fitLabel();
			return this;
		},

		// The label is as wide as the widest month it can say, in this language and in the
		// font the reader's browser chose: no month runs under the speed button, and a step
		// never moves the controls beside it. (A width in em cannot know the font: at 8.2em,
		// "November 1919" overflowed in DejaVu Serif.) Measured once the bar is on the page;
		// CSS keeps its own width where none is measured, and a window of months or a narrow
		// screen sizes the label otherwise.
		_fitLabel: function () {
			const label = this._label;
			const canvas = document.createElement('canvas');
			const ctx = canvas.getContext && canvas.getContext('2d');
			if (!ctx || !label.isConnected) { return; }
			const cs = window.getComputedStyle(label);
			ctx.font = [cs.fontStyle, cs.fontWeight, cs.fontSize, cs.fontFamily].join(' ');
			const spacing = parseFloat(cs.letterSpacing) || 0;
			const months = this._ctl.model.months;
			let widest = 0;
			for (let i = 0; i < months.length; i++) {
				const text = util.monthLabel(months[i]);
				widest = Math.max(widest, ctx.measureText(text).width + spacing * text.length);
			}
			// (A pixel or two for rounding between canvas and page text.)
			if (widest > 0) { label.style.setProperty('--sm-month-label-width', Math.ceil(widest) + 2 + 'px'); }
		},

		onAdd: function (map) {
			const box = L.DomUtil.create('div', 'sm-month');
			box.setAttribute('role', 'group');
			box.setAttribute('aria-label', util.t('month.aria'));

			const row = util.el('div', 'sm-month-row', box);
			this._prev = util.button('sm-month-prev', row, '\u2039', util.t('month.previous'));
			this._play = util.button('sm-month-play', row, '\u25b6', util.t('month.play'));
			this._next = util.button('sm-month-next', row, '\u203a', util.t('month.next'));
			this._label = util.el('div', 'sm-month-label', box);
			this._label.setAttribute('aria-hidden', 'true');
			this._speedButton = util.button('sm-month-speed', box);
			L.DomEvent.on(this._speedButton, 'click', this._nextSpeed, this);

			const track = util.el('div', 'sm-month-track', box);
			const slider = this._slider = util.el('input', 'sm-month-slider', track);
			slider.type = 'range';
			slider.min = '0';
			slider.max = String(Math.max(0, this._ctl.monthCount() - 1));
			slider.step = '1';
			slider.id = L.Util.stamp(this) + '-sm-month-slider';
			slider.setAttribute('aria-label', util.t('month.aria'));

			// When things happened: events (and, fainter, presence) per month, under the slider.
			this._histogram = SM.monthHistogram(this._ctl.model, {height: 20}).addTo(track);
			this._window = SM.windowControl(this._ctl).addTo(box, track);

			// The slider's ends in words, as its tooltip (the bar has no room for a line of them).
			const months = this._ctl.months();
			track.title = SM.i18n.monthRange(months[0], months[months.length - 1]);

			// Screen readers hear the month and its number of events after every change.
			this._live = util.el('div', 'sm-month-live sm-visually-hidden', box);
			this._live.setAttribute('aria-live', 'polite');
			this._live.setAttribute('role', 'status');

			L.DomEvent.disableClickPropagation(box);
			L.DomEvent.disableScrollPropagation(box);
			L.DomEvent.on(this._prev, 'click', function () { this._stop(); this._ctl.step(-1); }, this);
			L.DomEvent.on(this._next, 'click', function () { this._stop(); this._ctl.step(1); }, this);
			L.DomEvent.on(this._play, 'click', this._togglePlay, this);
			L.DomEvent.on(slider, 'input change', this._onSlider, this);

			if (this.options.keyboard) {
				L.DomEvent.on(document, 'keydown', this._onKey, this);
			}
			this._mapContainer = map.getContainer();
			// A click on a panel's text focuses the map's container (the nearest focusable
			// element), but the reader meant the panel, not the map: the keys still step.
			// (Capturing: the controls stop mousedown from bubbling to the map.)
			this._onPointerBound = L.bind(this._onPointer, this);
			this._mapContainer.addEventListener('pointerdown', this._onPointerBound, true);
			this._ctl.on('change', this._render, this);
			this._render();
			return box;
		},

		onRemove: function () {
			this._stop();
			this._histogram.remove();
			this._window.remove();
			L.DomEvent.off(document, 'keydown', this._onKey, this);
			this._mapContainer.removeEventListener('pointerdown', this._onPointerBound, true);
			this._ctl.off('change', this._render, this);
		},

		isPlaying: function () {
			return this._timer !== null;
		},

		// @method getSpeed(): Number
		// The speed of play, times the normal speed.
		getSpeed: function () {
			return this.options.speeds[this._speed];
		},

		// @method setSpeed(speed: Number): this
		// One of `options.speeds`; while playing, the next step comes at the new pace.
		setSpeed: function (speed) {
			const i = this.options.speeds.indexOf(speed);
			if (i < 0) { throw new RangeError('siberia-map: no speed ' + speed); }
			this._speed = i;
			if (this._timer !== null) {
				this._stop();
				this._togglePlay();
			}
			this._render();
			return this;
		},

		_nextSpeed: function () {
			this.setSpeed(this.options.speeds[(this._speed + 1) % this.options.speeds.length]);
		},

		// The thumb is the window's last month: in a range its first stays (pushed along
		// when the last is dragged before it).
		_onSlider: function () {
			this._stop();
			const v = +this._slider.value;
			const w = this._ctl.window();
			if (w.mode === 'range') {
				this._ctl.setState({from: Math.min(w.from, v), month: v});
			} else {
				this._ctl.setMonthIndex(v);
			}
		},

		// @method getWindowControl(): L.SiberiaMap.WindowControl
		getWindowControl: function () {
			return this._window;
		},

		// @method getHistogram(): L.SiberiaMap.MonthHistogram
		getHistogram: function () {
			return this._histogram;
		},

		// @method getSlider(): HTMLElement
		// The range input (the skip link's target).
		getSlider: function () {
			return this._slider;
		},

		_onPointer: function (e) {
			this._inControl = !!(e.target && e.target.closest && e.target.closest('.leaflet-control'));
		},

		_onKey: function (e) {
			if (e.key === 'Tab') { this._inControl = false; }
			if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) { return; }
			const target = document.activeElement || e.target;
			const onSlider = target === this._slider;
			// (The range's first-month thumb handles its own keys, Home and End included.)
			if (target === this._window.getFromSlider()) { return; }
			let to = null;
			if (!onSlider && (util.isTextEntry(e.target) || util.isTextEntry(target))) { return; }
			const i = this._ctl.monthIndex();
			const last = this._ctl.monthCount() - 1;
			if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
				// The slider moves itself; the focused map pans (Leaflet's keyboard handler).
				if (onSlider || (target === this._mapContainer && !this._inControl)) { return; }
				to = i + (e.key === 'ArrowLeft' ? -1 : 1);
			} else if (e.key === 'PageUp' || e.key === 'PageDown' || e.key === 'Home' || e.key === 'End') {
				// In a list or a popup these keys scroll it.
				if (!onSlider && target && target.closest && target.closest('.sm-panel-body, .leaflet-popup')) { return; }
				// (PageUp raises the slider's value, as on any slider: a year later.)
				to = e.key === 'Home' ? 0 : e.key === 'End' ? last : i + (e.key === 'PageUp' ? 12 : -12);
			} else {
				return;
			}
			e.preventDefault();
			this._stop();
			if (onSlider) {
				// (The slider's own keys: its thumb, the last month, as a drag would.)
				this._slider.value = String(Math.max(0, Math.min(last, to)));
				this._onSlider();
			} else {
				this._ctl.setMonthIndex(Math.max(0, Math.min(last, to)));
			}
		},

		_togglePlay: function () {
			if (this._timer !== null) {
				this._stop();
				return;
			}
			// Playing from the last month starts over rather than doing nothing.
			if (this._ctl.monthIndex() >= this._ctl.monthCount() - 1) { this._ctl.setMonthIndex(0); }
			this._timer = setInterval(L.bind(function () {
				if (this._ctl.monthIndex() >= this._ctl.monthCount() - 1) {
					this._stop();
				} else {
					this._ctl.step(1);
				}
			}, this), this.options.interval / this.getSpeed());
			this._render();
		},

		_stop: function () {
			if (this._timer === null) { return; }
			clearInterval(this._timer);
			this._timer = null;
			this._render();
		},

		_render: function () {
			const i = this._ctl.monthIndex();
			const last = this._ctl.monthCount() - 1;
			const w = this._ctl.window();
			const label = this._ctl.windowLabel();
			// (Only what differs is written: see util.setText.)
			util.setText(this._label, label);
			L.DomUtil[this._ctl.isWindow() ? 'addClass' : 'removeClass'](this._label, 'sm-month-label-window');
			if (+this._slider.value !== i) { this._slider.value = String(i); }
			util.setAttr(this._slider, 'aria-valuetext', this._ctl.monthLabel());
			util.setAttr(this._slider, 'aria-label', util.t(w.mode === 'month' ? 'month.aria' : 'month.last'));
			this._histogram.setWindow(w.from, w.to);
			// (A range slides: it cannot go back once its first month is the first.)
			const first = (w.mode === 'range' ? w.from : i) <= 0;
			if (this._prev.disabled !== first) { this._prev.disabled = first; }
			if (this._next.disabled !== i >= last) { this._next.disabled = i >= last; }
			const playing = this._timer !== null;
			util.setText(this._play, playing ? '\u275a\u275a' : '\u25b6');
			util.setAttr(this._play, 'aria-label', util.t(playing ? 'month.pause' : 'month.play'));
			const speed = this.getSpeed();
			const seconds = this.options.interval / speed / 1000;
			util.setText(this._speedButton, (speed === 0.5 ? '\u00bd' : String(speed)) + '\u00d7');
			util.setAttr(this._speedButton, 'aria-label', util.t('month.speedLabel', {speed: speed, seconds: Math.round(seconds * 100) / 100}));
			util.setAttr(this._speedButton, 'title', util.t('month.speedTitle', {seconds: Math.round(seconds * 100) / 100}));
			const n = this._ctl.visibleEventCount();
			const text = n ? util.t('month.events', {month: label, count: n}) : util.t('month.noEvents', {month: label});
			util.setText(this._live, text);
		}
	});

	SM.monthControl = function (controller, options) {
		return new SM.MonthControl(controller, options);
	};
})(L);
