/*
 * L.SiberiaMap.PopupFocus: popups for the keyboard and screen readers.
 *
 * When a popup opens, the focus moves into it (so a screen reader reads it and Tab reaches
 * its links and buttons); Escape closes it from anywhere on the page (Leaflet's own Escape
 * only works while the map itself has the focus), or with no popup open folds the panel
 * (sheet) the focus is in; and closing a popup, however it is closed,
 * puts the focus back where it was: on the event in the list, the entry of a chooser, or
 * the map.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	SM.PopupFocus = L.Class.extend({

		initialize: function (map) {
			this._map = map;
			this._return = null;
		},

		enable: function () {
			this._map.on('popupopen', this._onOpen, this);
			this._map.on('popupclose', this._onClose, this);
			L.DomEvent.on(document, 'keydown', this._onKey, this);
			return this;
		},

		disable: function () {
			this._map.off('popupopen', this._onOpen, this);
			this._map.off('popupclose', this._onClose, this);
			L.DomEvent.off(document, 'keydown', this._onKey, this);
			return this;
		},

		_onOpen: function (e) {
			const active = document.activeElement;
			const popup = e.popup;
			const node = popup.getElement();
			// (A popup opened from a chooser's entry: closing the chooser has already put the
			// focus back where the chooser was opened from.)
			const usable = active && active !== document.body && !(active.closest && active.closest('.leaflet-popup'));
			this._return = usable ? active : this._map.getContainer();
			const target = node && (node.querySelector('[data-autofocus]') || node.querySelector('.leaflet-popup-content'));
			if (target) {
				if (!target.hasAttribute('tabindex')) { target.setAttribute('tabindex', '-1'); }
				// (No scrolling: the popup may still be panning into view, and scrolling the
				// map's container would shift the whole map.)
				target.focus({preventScroll: true});
			}
		},

		_onClose: function (e) {
			const node = e.popup.getElement();
			const active = document.activeElement;
			const back = this._return;
			const inside = !active || active === document.body || (node && node.contains(active));
			if (!inside) { return; }
			if (back && back.isConnected && back.offsetParent !== null) {
				back.focus({preventScroll: true});
			} else {
				// The entry's list was folded away (a sheet on a phone): its panel's tab.
				const panel = back && back.closest && back.closest('.sm-panel');
				const toggle = folder(panel, false);
				(toggle && toggle.offsetParent !== null ? toggle : this._map.getContainer()).focus({preventScroll: true});
			}
		},

		// Escape closes the popup; with none open, it folds the sheet (panel) the focus is
		// in and leaves the focus on the sheet's tab.
		_onKey: function (e) {
			if (e.key !== 'Escape' || e.defaultPrevented) { return; }
			if (this._map._popup && this._map.hasLayer(this._map._popup)) {
				L.DomEvent.preventDefault(e);
				this._map.closePopup();
				return;
			}
			const active = document.activeElement;
			const panel = active && active.closest && active.closest('.sm-panel');
			const toggle = folder(panel, true);
			if (!toggle) { return; }
			L.DomEvent.preventDefault(e);
			toggle.click();
			toggle.focus({preventScroll: true});
		}
	});

	// The button that folds `panel` (open only, if `openOnly`): its tab in the side sheet,
	// which labels it, else the panel's own toggle.
	function folder(panel, openOnly) {
		if (!panel) { return null; }
		const id = panel.getAttribute('aria-labelledby');
		const tab = id && document.getElementById(id);
		if (tab && tab.classList.contains('sm-sheet-tab')) {
			return !openOnly || tab.getAttribute('aria-expanded') === 'true' ? tab : null;
		}
		return panel.querySelector(openOnly ? '.sm-panel-toggle[aria-expanded="true"]' : '.sm-panel-toggle');
	}

	SM.popupFocus = function (map) {
		return new SM.PopupFocus(map);
	};
})(L);
