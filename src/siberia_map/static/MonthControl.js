/*
 * L.SiberiaMap.MonthControl: the time bar (previous, slider, next, play, month in words).
 *
 * It holds no month of its own: every input asks the controller, and the bar re-renders
 * from the controller's 'change', so the slider can never disagree with the map.
 *
 * Keyboard: Left/Right step a month anywhere on the page except where the key already
 * means something (text fields, selects and the slider itself, whose own arrow handling
 * moves it and reaches the controller through its 'input' event, once). Leaflet's own
 * Left/Right panning is switched off because the same key cannot pan and step at once;
 * Up/Down still pan.
 */
(function (L) {
	'use strict';

	var SM = L.SiberiaMap = L.SiberiaMap || {};
	var util = SM.util;

	SM.MonthControl = L.Control.extend({

		// @option position: String = 'bottomleft'
		// Styled to run along the bottom of the map.
		//
		// @option interval: Number = 1500
		// Milliseconds per month while playing; long enough to read the month's name.
		//
		// @option keyboard: Boolean = true
		// Whether Left/Right on the page step through the months.
		options: {
			position: 'bottomleft',
			interval: 1500,
			keyboard: true
		},

		initialize: function (controller, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			this._timer = null;
		},

		onAdd: function (map) {
			var box = L.DomUtil.create('div', 'sm-month');
			box.setAttribute('role', 'group');
			box.setAttribute('aria-label', 'Month');

			var row = util.el('div', 'sm-month-row', box);
			this._prev = util.button('sm-month-prev', row, '\u2039', 'Previous month');
			this._play = util.button('sm-month-play', row, '\u25b6', 'Play through the months');
			this._next = util.button('sm-month-next', row, '\u203a', 'Next month');
			this._label = util.el('div', 'sm-month-label', row);
			this._label.setAttribute('aria-hidden', 'true');

			var slider = this._slider = util.el('input', 'sm-month-slider', box);
			slider.type = 'range';
			slider.min = '0';
			slider.max = String(Math.max(0, this._ctl.monthCount() - 1));
			slider.step = '1';
			slider.setAttribute('aria-label', 'Month');

			var ends = util.el('div', 'sm-month-ends', box), months = this._ctl.months();
			util.el('span', null, ends, util.monthLabel(months[0]));
			util.el('span', null, ends, util.monthLabel(months[months.length - 1]));
			ends.setAttribute('aria-hidden', 'true');

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
				if (map.keyboard && map.keyboard._panKeys) {
					delete map.keyboard._panKeys[37];
					delete map.keyboard._panKeys[39];
				}
			}
			this._ctl.on('change', this._render, this);
			this._render();
			return box;
		},

		onRemove: function () {
			this._stop();
			L.DomEvent.off(document, 'keydown', this._onKey, this);
			this._ctl.off('change', this._render, this);
		},

		isPlaying: function () {
			return this._timer !== null;
		},

		_onSlider: function () {
			this._stop();
			this._ctl.setMonthIndex(+this._slider.value);
		},

		_onKey: function (e) {
			if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) { return; }
			if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') { return; }
			if (util.isTextEntry(e.target) || util.isTextEntry(document.activeElement)) { return; }
			e.preventDefault();
			this._stop();
			this._ctl.step(e.key === 'ArrowLeft' ? -1 : 1);
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
			}, this), this.options.interval);
			this._render();
		},

		_stop: function () {
			if (this._timer === null) { return; }
			clearInterval(this._timer);
			this._timer = null;
			this._render();
		},

		_render: function () {
			var i = this._ctl.monthIndex(), last = this._ctl.monthCount() - 1, label = this._ctl.monthLabel();
			this._label.textContent = label;
			if (+this._slider.value !== i) { this._slider.value = String(i); }
			this._slider.setAttribute('aria-valuetext', label);
			this._prev.disabled = i <= 0;
			this._next.disabled = i >= last;
			var playing = this._timer !== null;
			this._play.textContent = playing ? '\u275a\u275a' : '\u25b6';
			this._play.setAttribute('aria-label', playing ? 'Pause' : 'Play through the months');
			var n = this._ctl.visibleEventCount();
			var text = label + ': ' + (n ? util.plural(n, 'event', 'events') : 'no events');
			if (this._live.textContent !== text) { this._live.textContent = text; }
		}
	});

	SM.monthControl = function (controller, options) {
		return new SM.MonthControl(controller, options);
	};
})(L);
