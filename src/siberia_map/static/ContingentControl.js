/*
 * L.SiberiaMap.ContingentControl: the legend, which is also the filter.
 *
 * One checkbox per contingent in the data set's order, each with its colour, so the key to
 * the colours and the switch for them are the same thing and cannot disagree. Contingents
 * with nothing on the map this month are dimmed, which shows at a glance who was there.
 * Below, the key to the symbols, including the note that borders are modern.
 *
 * Folded (the sheet shows another tab), the legend's body is not on screen, and a month
 * step updates nothing in it: this list, the control key and the strength chart catch up
 * when it unfolds or the page is printed (see whenShown).
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	SM.ContingentControl = L.Control.extend({

		// setCollapsed, isCollapsed, getBody, getToggle (see util.js).
		includes: SM.CollapsiblePanel,

		// @option position: String = 'topright'
		//
		// @option collapsedBelow: Number = 700
		// Viewport width in pixels under which the legend starts folded, to leave the small
		// screen to the map.
		//
		// @option bordersNote: Boolean = true
		// Whether the symbol key lists the (modern) borders; off when the basemap has none.
		//
		// @option basemapSource: String = ''
		// Where the basemap comes from, shown as plain text under the key.
		options: {
			position: 'topright',
			collapsedBelow: 700,
			bordersNote: true,
			basemapSource: ''
		},

		initialize: function (controller, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			this._shownHooks = [];
			this._printing = false;
		},

		onAdd: function () {
			const box = L.DomUtil.create('div', 'sm-panel sm-legend');
			const ctl = this._ctl;
			const self = this;
			box.setAttribute('role', 'region');
			box.setAttribute('aria-label', util.t('legend.aria'));
			this._toggle = util.button('sm-panel-toggle', util.el('h2', 'sm-panel-heading', box), util.t('legend.tab'));
			const body = this._body = util.el('div', 'sm-panel-body', box);
			body.id = L.Util.stamp(this) + '-sm-legend-body';
			this._toggle.setAttribute('aria-controls', body.id);

			const head = util.el('div', 'sm-panel-head', body);
			// A data set may name its groups (payload.group_label: explore's group column).
			util.el('h2', 'sm-panel-title', head, util.str(ctl.model.payload.group_label) || util.t('legend.groups'));
			const bulk = util.el('div', 'sm-bulk', head);
			const all = util.button('sm-bulk-all', bulk, util.t('legend.all'), util.t('legend.allLabel'));
			const none = util.button('sm-bulk-none', bulk, util.t('legend.none'), util.t('legend.noneLabel'));

			const list = util.el('ul', 'sm-contingent-list', body);
			this._items = ctl.model.contingents.map(function (c) {
				const li = util.el('li', 'sm-contingent', list);
				const label = util.el('label', null, li);
				const input = util.el('input', null, label);
				input.type = 'checkbox';
				input.value = c.id;
				input.setAttribute('data-contingent', c.id);
				util.swatch(label, c.colour);
				util.el('span', 'sm-contingent-name', label, c.name);
				L.DomEvent.on(input, 'change', function () { ctl.setHidden(c.index, !input.checked); });
				return {li: li, input: input, label: label};
			});

			util.el('h2', 'sm-panel-title sm-symbols-title', body, util.t('legend.symbols'));
			this._symbols(util.el('ul', 'sm-symbols', body));
			if (this.options.basemapSource) {
				util.el('p', 'sm-basemap-source', body, util.t('legend.basemap', {source: this.options.basemapSource}));
			}

			L.DomEvent.on(all, 'click', function () { ctl.setAllHidden(false); });
			L.DomEvent.on(none, 'click', function () { ctl.setAllHidden(true); });
			L.DomEvent.on(this._toggle, 'click', function () { self.setCollapsed(!self._collapsed); });
			L.DomEvent.disableClickPropagation(box);
			L.DomEvent.disableScrollPropagation(box);

			this._setCollapsed(window.innerWidth < this.options.collapsedBelow);
			this._update = this.whenShown(L.bind(this._render, this));
			ctl.on('change', this._update);
			// (Print shows the folded legend's body: it is brought up to date first.)
			this._offPrint = util.onPrint(this._onPrint, this._onAfterPrint, this);
			this._render();
			return box;
		},

		onRemove: function () {
			this._ctl.off('change', this._update);
			this._offPrint();
		},

		// @method whenShown(render: Function): Function
		// For what the legend's body holds (its list, the control key, the strength chart):
		// returns `update(e)`, which calls `render(e)` at once while the legend is unfolded,
		// and otherwise once it unfolds or the page is printed, with the flags of the
		// changes it missed (`monthChanged`, `filterChanged`...) merged into one event.
		whenShown: function (render) {
			const self = this;
			let missed = null;
			this._shownHooks.push(function () {
				if (!missed) { return; }
				const e = missed;
				missed = null;
				render(e);
			});
			return function (e) {
				if (self._collapsed && !self._printing) {
					missed = missed || {};
					for (const k in e) {
						if (e[k] === true) { missed[k] = true; }
					}
					return;
				}
				missed = null;
				render(e || {});
			};
		},

		_catchUp: function () {
			for (let i = 0; i < this._shownHooks.length; i++) { this._shownHooks[i](); }
		},

		_onPrint: function () {
			this._printing = true;
			this._catchUp();
		},

		_onAfterPrint: function () {
			this._printing = false;
		},

		// @method getBody(): HTMLElement
		// The panel's body, where other keys (the control layer's) add their sections.
		getBody: function () {
			return this._body;
		},

		_symbols: function (ul) {
			const rows = [
				['sm-sym-event', 'symbol.event'],
				['sm-sym-event sm-sym-none', 'symbol.eventNone'],
				['sm-sym-point', 'symbol.point'],
				['sm-sym-line', 'symbol.line'],
				['sm-sym-area', 'symbol.area'],
				['sm-sym-point sm-sym-unc', 'symbol.approximate'],
				['sm-sym-rail', 'symbol.railway']
			];
			if (this.options.bordersNote) { rows.push(['sm-sym-border', 'symbol.border']); }
			rows.forEach(function (r) {
				const li = util.el('li', null, ul);
				util.el('span', 'sm-sym ' + r[0], li).setAttribute('aria-hidden', 'true');
				util.el('span', null, li, util.t(r[1]));
			});
		},

		_setCollapsed: function (collapsed) {
			this._collapsed = collapsed;
			L.DomUtil[collapsed ? 'addClass' : 'removeClass'](this._container || this._body.parentNode, 'sm-collapsed');
			this._toggle.setAttribute('aria-expanded', collapsed ? 'false' : 'true');
			if (!collapsed) { this._catchUp(); }
		},

		_render: function () {
			const present = this._ctl.presentContingents();
			const ctl = this._ctl;
			const nothing = util.t(ctl.isWindow() ? 'legend.nothingWindow' : 'legend.nothing');
			this._items.forEach(function (item, ci) {
				const hidden = ctl.isHidden(ci);
				if (item.input.checked === hidden) { item.input.checked = !hidden; }
				L.DomUtil[hidden ? 'addClass' : 'removeClass'](item.li, 'sm-off');
				const absent = !present[ci];
				L.DomUtil[absent ? 'addClass' : 'removeClass'](item.li, 'sm-absent');
				if (absent) {
					util.setAttr(item.label, 'title', nothing);
				} else if (item.label.hasAttribute('title')) {
					item.label.removeAttribute('title');
				}
			});
		}
	});

	SM.contingentControl = function (controller, options) {
		return new SM.ContingentControl(controller, options);
	};
})(L);
