/*
 * L.SiberiaMap.StrengthChart: troop strength by contingent over the months, under the slider.
 *
 * One line per contingent from the payload's `strength` (per month, the sum of the numbers
 * the presence records give; null where none gives one, drawn as a gap, never as zero),
 * on the same month axis as the slider, with a cursor at the current month. A click on the
 * chart goes to that month, and so do Left/Right while it has the focus. It follows the
 * contingent toggles (hidden contingents' lines go, and the scale fits the rest). A
 * visually hidden table gives screen readers the same numbers.
 *
 * Lines are drawn when it is added, when its width changes and when the toggles change;
 * a month step only moves the cursor (two attributes), and not even that while the legend
 * it sits in is folded (option `legend`).
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;
	const NS = 'http://www.w3.org/2000/svg';

	function svg(tag, parent, attrs) {
		const node = document.createElementNS(NS, tag);
		for (const k in attrs) { node.setAttribute(k, attrs[k]); }
		if (parent) { parent.appendChild(node); }
		return node;
	}

	function format(n) {
		return SM.i18n.number(n);
	}

	SM.StrengthChart = L.Class.extend({

		// @option height: Number = 46
		// CSS pixels of the chart (the tallest line's top is a few pixels lower).
		//
		// @option inset: Number = 8
		// CSS pixels from each end to the first and last month: half the slider's thumb,
		// whose centre marks the month, so each month sits under its slider position.
		//
		// @option legend: L.SiberiaMap.ContingentControl = null
		// The legend the chart is in: folded, the chart catches up when it unfolds (see
		// ContingentControl.whenShown).
		options: {
			height: 46,
			inset: 8,
			legend: null
		},

		// @param strength: Array
		// The payload's `strength`: per contingent (legend order) null or one number|null
		// per month.
		initialize: function (controller, strength, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			const n = controller.monthCount();
			const contingents = controller.model.contingents;
			this._series = [];
			for (let ci = 0; ci < contingents.length; ci++) {
				const s = Array.isArray(strength) ? strength[ci] : null;
				if (!Array.isArray(s) || s.length !== n) { continue; }
				this._series.push({ci: ci, values: s.map(function (v) {
					return typeof v === 'number' && isFinite(v) && v >= 0 ? v : null;
				})});
			}
			this._width = 0;
		},

		// @method hasData(): Boolean
		hasData: function () {
			return this._series.length > 0;
		},

		// @method series(): Object
		// `{contingent id: [number|null per month]}` as drawn (for tests and captions).
		series: function () {
			const out = Object.create(null);
			const model = this._ctl.model;
			this._series.forEach(function (s) { out[model.contingents[s.ci].id] = s.values.slice(); });
			return out;
		},

		// @method addTo(parent: HTMLElement): this
		addTo: function (parent) {
			const box = this._box = util.el('div', 'sm-strength', parent);
			const ctl = this._ctl;
			const caption = util.el('div', 'sm-strength-caption', box);
			caption.setAttribute('aria-hidden', 'true');
			util.el('span', null, caption, util.t('strength.caption'));
			this._max = util.el('span', 'sm-strength-max', caption);
			const chart = this._svg = svg('svg', box, {'class': 'sm-strength-chart', height: this.options.height,
				tabindex: '0', role: 'slider', 'aria-label': util.t('strength.aria'),
				'aria-valuemin': '0', 'aria-valuemax': String(ctl.monthCount() - 1)});
			// A window of months is shaded behind the lines, from its first month to its last.
			this._band = svg('rect', chart, {'class': 'sm-strength-window', y: 0, height: this.options.height, width: 0});
			this._lines = svg('g', chart, {fill: 'none', 'stroke-width': '1.6', 'stroke-linecap': 'round',
				'stroke-linejoin': 'round'});
			this._cursor = svg('line', chart, {'class': 'sm-strength-cursor', y1: 0, y2: this.options.height});
			this._table = this._buildTable(util.el('div', 'sm-visually-hidden', box));

			L.DomEvent.on(chart, 'click', this._onClick, this);
			L.DomEvent.on(chart, 'keydown', this._onKey, this);
			if (window.ResizeObserver) {
				this._observer = new ResizeObserver(L.bind(this._resize, this));
				this._observer.observe(chart);
			}
			const onChange = L.bind(this._onChange, this);
			this._update = this.options.legend ? this.options.legend.whenShown(onChange) : onChange;
			ctl.on('change', this._update);
			this._resize();
			return this;
		},

		remove: function () {
			if (this._observer) { this._observer.disconnect(); }
			this._ctl.off('change', this._update);
			if (this._box && this._box.parentNode) { this._box.parentNode.removeChild(this._box); }
			return this;
		},

		// @method monthX(index: Number): Number
		// The x of a month in the chart, in CSS pixels from its left edge.
		monthX: function (m) {
			const n = this._ctl.monthCount();
			const w = this._width;
			const inset = this.options.inset;
			return n > 1 ? inset + m * (w - 2 * inset) / (n - 1) : w / 2;
		},

		_onChange: function (e) {
			if (e.filterChanged) { this._draw(); }
			if (e.monthChanged || e.filterChanged) { this._moveCursor(); }
		},

		_resize: function () {
			const w = this._svg.getBoundingClientRect().width;
			if (!w || w === this._width) { return; }
			this._width = w;
			this._draw();
			this._moveCursor();
		},

		_visible: function () {
			const ctl = this._ctl;
			return this._series.filter(function (s) { return !ctl.isHidden(s.ci); });
		},

		// Each shown contingent's line, with a gap where no record gives a number; a lone
		// month is a dot (a zero-length segment with round caps).
		_draw: function () {
			if (!this._width) { return; }
			while (this._lines.firstChild) { this._lines.removeChild(this._lines.firstChild); }
			const shown = this._visible();
			const h = this.options.height;
			const top = 4;
			let max = 0;
			let i;
			let m;
			for (i = 0; i < shown.length; i++) {
				for (m = 0; m < shown[i].values.length; m++) { max = Math.max(max, shown[i].values[m] || 0); }
			}
			this._max.textContent = max ? util.t('strength.max', {value: format(max)}) : '';
			for (i = 0; i < shown.length; i++) {
				let d = '';
				let pen = false;
				const v = shown[i].values;
				for (m = 0; m < v.length; m++) {
					if (v[m] === null) { pen = false; continue; }
					const x = this.monthX(m).toFixed(1);
					const y = (h - 1 - (h - 1 - top) * v[m] / (max || 1)).toFixed(1);
					const lone = !pen && (m + 1 >= v.length || v[m + 1] === null);
					d += (pen ? 'L' : 'M') + x + ' ' + y + (lone ? 'l0.01 0' : '');
					pen = true;
				}
				const c = this._ctl.model.contingents[shown[i].ci];
				const path = svg('path', this._lines, {d: d, stroke: util.colour(c.colour), 'data-contingent': c.id});
				svg('title', path, {}).textContent = c.name;
			}
		},

		_moveCursor: function () {
			const i = this._ctl.monthIndex();
			const x = this._width ? this.monthX(i).toFixed(1) : 0;
			this._cursor.setAttribute('x1', x);
			this._cursor.setAttribute('x2', x);
			this._svg.setAttribute('aria-valuenow', String(i));
			this._svg.setAttribute('aria-valuetext', this._ctl.windowLabel());
			const w = this._ctl.window();
			const x0 = this._width ? this.monthX(w.from) : 0;
			this._band.setAttribute('x', x0.toFixed(1));
			this._band.setAttribute('width', w.from < w.to ? (this.monthX(w.to) - x0).toFixed(1) : '0');
		},

		// @method windowX(): Array
		// `[x of the window's first month, x of its last]` as shaded, in CSS pixels (for tests).
		windowX: function () {
			const x = +this._band.getAttribute('x');
			return [x, x + +this._band.getAttribute('width')];
		},

		_onClick: function (e) {
			const r = this._svg.getBoundingClientRect();
			const n = this._ctl.monthCount();
			const inset = this.options.inset;
			const step = n > 1 ? (r.width - 2 * inset) / (n - 1) : 1;
			this._ctl.setMonthIndex(Math.max(0, Math.min(n - 1, Math.round((e.clientX - r.left - inset) / step))));
		},

		// The chart moves the month itself, so the page-wide Left/Right step does not also.
		_onKey: function (e) {
			if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) { return; }
			if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') { return; }
			e.preventDefault();
			this._ctl.step(e.key === 'ArrowLeft' ? -1 : 1);
		},

		// The text alternative: one row per month in which any record gives a number.
		_buildTable: function (parent) {
			const model = this._ctl.model;
			const table = util.el('table', 'sm-strength-table', parent);
			const series = this._series;
			util.el('caption', null, table, util.t('strength.table'));
			const head = util.el('tr', null, util.el('thead', null, table));
			util.el('th', null, head, util.t('strength.month')).scope = 'col';
			series.forEach(function (s) { util.el('th', null, head, model.contingents[s.ci].name).scope = 'col'; });
			const body = util.el('tbody', null, table);
			for (let m = 0; m < model.months.length; m++) {
				if (!series.some(function (s) { return s.values[m] !== null; })) { continue; }
				const tr = util.el('tr', null, body);
				const th = util.el('th', null, tr, util.monthLabel(model.months[m]));
				th.scope = 'row';
				tr.setAttribute('data-month', model.months[m]);
				for (let k = 0; k < series.length; k++) {
					const v = series[k].values[m];
					util.el('td', null, tr, v === null ? '\u2013' : format(v));
				}
			}
			return table;
		}
	});

	SM.strengthChart = function (controller, strength, options) {
		return new SM.StrengthChart(controller, strength, options);
	};
})(L);
