/*
 * L.SiberiaMap.HashState: the state in the URL, `#1919-03&hide=usa,japan`.
 *
 * A historian cites "the map in March 1919 without the Japanese" by copying the address.
 * The hash is rewritten with replaceState, so stepping through fifty months does not leave
 * fifty entries in the Back button; a hash typed or pasted by hand (hashchange) is applied.
 */
(function (L) {
	'use strict';

	var SM = L.SiberiaMap = L.SiberiaMap || {};

	var MONTH = /^\d{4}-\d{2}$/;

	function decode(s) {
		try {
			return decodeURIComponent(s);
		} catch (e) {
			return s;
		}
	}

	SM.HashState = L.Class.extend({

		// @option window: Window = window
		// Injected so tests and embedding pages can point it elsewhere.
		options: {
			window: null
		},

		initialize: function (controller, options) {
			L.setOptions(this, options);
			this._ctl = controller;
			this._win = this.options.window || window;
		},

		// Applies the current hash, then keeps hash and state in step both ways.
		enable: function () {
			this.read();
			this._ctl.on('change', this.write, this);
			L.DomEvent.on(this._win, 'hashchange', this.read, this);
			return this;
		},

		disable: function () {
			this._ctl.off('change', this.write, this);
			L.DomEvent.off(this._win, 'hashchange', this.read, this);
			return this;
		},

		// Unknown months and contingent ids are ignored rather than reported: old links
		// should keep working as the data set grows.
		read: function () {
			var parsed = SM.HashState.parse(this._win.location.hash), model = this._ctl.model, state = {};
			var m = parsed.month ? model.monthIndexOf(parsed.month) : -1;
			if (m >= 0) { state.month = m; }
			if (parsed.month || parsed.hide.length) {
				state.hidden = parsed.hide.map(function (id) { return model.contingentIndex[id]; })
					.filter(function (ci) { return ci !== undefined; });
			}
			this._ctl.setState(state);
		},

		write: function () {
			var ctl = this._ctl, model = ctl.model;
			var hash = SM.HashState.format(ctl.month(), ctl.hiddenIndices().map(function (ci) {
				return model.contingents[ci].id;
			}));
			if (this._win.location.hash === hash) { return; }
			try {
				this._win.history.replaceState(this._win.history.state, '', hash);
			} catch (e) {
				// Some sandboxed frames refuse replaceState; the map works without the URL.
			}
		}
	});

	SM.HashState.parse = function (hash) {
		var out = {month: null, hide: []};
		String(hash || '').replace(/^#/, '').split('&').forEach(function (part) {
			if (MONTH.test(part)) {
				out.month = part;
			} else if (part.indexOf('hide=') === 0) {
				out.hide = part.slice(5).split(',').filter(Boolean).map(decode);
			}
		});
		return out;
	};

	SM.HashState.format = function (month, hiddenIds) {
		var hash = '#' + month;
		if (hiddenIds.length) { hash += '&hide=' + hiddenIds.map(encodeURIComponent).join(','); }
		return hash;
	};
})(L);
