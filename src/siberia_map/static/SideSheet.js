/*
 * L.SiberiaMap.SideSheet: one sheet whose tabs hold the folding panels (events, story,
 * legend), one shown at a time, and which folds down to its strip of tabs.
 *
 * The panels stay what they are (each builds and updates its own body); the sheet only
 * takes their containers in, hides their own fold buttons and decides which one is open.
 * A panel that unfolds itself (a chapter shown by a link) selects its tab; Layout places
 * the sheet (top right on a wide screen, a bottom sheet on a phone) and sizes its pane.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};
	const util = SM.util;

	// @event select: Event
	// Fired after the open tab changed (`panel`: the panel shown, or null when folded).
	SM.SideSheet = L.Control.extend({

		includes: L.Evented.prototype,

		// @option position: String = 'topright'
		// Layout moves it to the bottom of a narrow screen with CSS.
		options: {
			position: 'topright'
		},

		initialize: function (options) {
			L.setOptions(this, options);
			this._tabs = [];
			this._open = null;
		},

		onAdd: function (map) {
			const box = L.DomUtil.create('div', 'sm-sheet sm-sheet-folded');
			this._strip = util.el('div', 'sm-sheet-tabs', box);
			this._strip.setAttribute('role', 'tablist');
			this._strip.setAttribute('aria-label', util.t('sheet.aria'));
			this._panes = util.el('div', 'sm-sheet-panes', box);
			L.DomEvent.disableClickPropagation(box);
			L.DomEvent.disableScrollPropagation(box);
			L.DomEvent.on(box, 'sm-toggle', this._onToggle, this);
			L.DomEvent.on(this._strip, 'keydown', this._onKey, this);
			this._map = map;
			return box;
		},

		onRemove: function () {
			L.DomEvent.off(this._container, 'sm-toggle', this._onToggle, this);
			L.DomEvent.off(this._strip, 'keydown', this._onKey, this);
		},

		// @method addPanel(panel, label: String, counter?: Function): this
		// Takes a panel (already added to the map) in as the next tab. `counter()`, if given,
		// is a number shown on the tab (the month's events), refreshed by `refresh()`.
		addPanel: function (panel, label, counter) {
			const pane = panel.getContainer();
			const tab = util.button('sm-sheet-tab', this._strip);
			util.el('span', 'sm-sheet-tab-label', tab, label);
			const count = counter ? util.el('span', 'sm-sheet-tab-count', tab) : null;
			tab.setAttribute('role', 'tab');
			tab.id = L.Util.stamp(panel) + '-sm-tab';
			pane.id = pane.id || L.Util.stamp(panel) + '-sm-pane';
			tab.setAttribute('aria-controls', pane.id);
			pane.setAttribute('role', 'tabpanel');
			pane.setAttribute('aria-labelledby', tab.id);
			L.DomUtil.addClass(pane, 'sm-sheet-pane');
			this._panes.appendChild(pane);
			const entry = {panel: panel, tab: tab, count: count, counter: counter};
			this._tabs.push(entry);
			L.DomEvent.on(tab, 'click', function () { this.select(this._open === panel ? null : panel); }, this);
			panel.setCollapsed(true, true);
			this._refreshTab(entry);
			this._mark();
			return this;
		},

		// @method select(panel|null): this
		// Opens that panel's tab (folding the others), or folds the sheet to its tabs.
		select: function (panel) {
			this._open = panel || null;
			this._selecting = true;
			for (let i = 0; i < this._tabs.length; i++) {
				const p = this._tabs[i].panel;
				const open = p === this._open;
				if (p.isCollapsed() === open) { p.setCollapsed(!open, true); }
			}
			this._selecting = false;
			this._mark();
			this.fire('select', {panel: this._open});
			// The layout re-measures, as for any panel that folds or unfolds.
			this._container.dispatchEvent(new CustomEvent('sm-sheet', {bubbles: true, detail: {panel: this._open}}));
			return this;
		},

		// @method selected(): panel|null
		selected: function () {
			return this._open;
		},

		isFolded: function () {
			return this._open === null;
		},

		// @method refresh(): this
		// Updates the numbers on the tabs.
		refresh: function () {
			for (let i = 0; i < this._tabs.length; i++) { this._refreshTab(this._tabs[i]); }
			return this;
		},

		_refreshTab: function (entry) {
			if (!entry.count) { return; }
			util.setText(entry.count, String(entry.counter()));
		},

		_mark: function () {
			for (let i = 0; i < this._tabs.length; i++) {
				const t = this._tabs[i];
				const open = t.panel === this._open;
				t.tab.setAttribute('aria-selected', open ? 'true' : 'false');
				t.tab.setAttribute('aria-expanded', open ? 'true' : 'false');
				L.DomUtil[open ? 'addClass' : 'removeClass'](t.tab, 'sm-sheet-tab-open');
			}
			L.DomUtil[this._open ? 'removeClass' : 'addClass'](this._container, 'sm-sheet-folded');
		},

		// A panel that unfolds or folds itself (a chapter shown by a link, the Layout before
		// a popup on a phone) moves the sheet with it.
		_onToggle: function (e) {
			if (this._selecting) { return; }
			const panel = e.detail && e.detail.panel;
			if (!panel) { return; }
			if (!panel.isCollapsed()) {
				this.select(panel);
			} else if (panel === this._open) {
				this.select(null);
			}
		},

		// Left/Right move between the tabs (the tabs pattern), Home/End to the ends.
		_onKey: function (e) {
			let i = -1;
			const n = this._tabs.length;
			let to;
			for (let k = 0; k < n; k++) { if (this._tabs[k].tab === document.activeElement) { i = k; } }
			if (i < 0) { return; }
			if (e.key === 'ArrowRight') { to = (i + 1) % n; } else if (e.key === 'ArrowLeft') { to = (i + n - 1) % n; } else if (e.key === 'Home') { to = 0; } else if (e.key === 'End') { to = n - 1; } else { return; }
			L.DomEvent.stop(e);
			this._tabs[to].tab.focus();
		}
	});

	SM.sideSheet = function (options) {
		return new SM.SideSheet(options);
	};
})(L);
