/*
 * Switches for benchmarks/ablate.py: each turns one part of a month step off, so that
 * stepping without it shows what it costs. Injected by Playwright before the page's own
 * scripts (never shipped); `window.__ablate` names the switches to turn on.
 *
 * They replace methods on the classes' prototypes when the page calls L.SiberiaMap.start,
 * so before any layer binds them as listeners: every class is defined by then, and no map
 * is built yet. `window.__ablateInstalled` says that they were (`__ablateOn`: which). Each switch checks that
 * what it replaces exists, so a renamed method fails loudly rather than measuring nothing.
 */
(function () {
	'use strict';

	function replace(proto, name, fn) {
		if (typeof proto[name] !== 'function') { throw new Error('ablate: no method ' + name + ' to switch off'); }
		proto[name] = fn;
	}

	function nothing() {}
	function self() { return this; }

	// Name -> what it switches off.
	var SWITCHES = {
		// The records' canvas draws no records (areas, railway lanes, symbols); the
		// movements under them are still drawn.
		records: function (SM) { replace(SM.SceneDrawing.prototype, 'slices', function (s, slices) { return slices; }); },
		lanes: function (SM) { replace(SM.SceneDrawing.prototype, '_drawLines', nothing); },
		symbols: function (SM) { replace(SM.SceneDrawing.prototype, '_drawSymbols', nothing); },
		movements: function (SM) { replace(SM.MovementLayer.prototype, 'drawUnder', self); },
		// The journeys' whole routes (faint dashes) only.
		'movement-routes': function (SM) { replace(SM.MovementLayer.prototype, '_strokeRoutes', nothing); },
		// The list is neither refilled nor its heading updated.
		'events-list': function (SM) { replace(SM.EventsPanel.prototype, '_render', nothing); },
		// Who held each station: no re-styling, so Leaflet redraws nothing on its canvas.
		control: function (SM) { replace(SM.ControlLayer.prototype, '_update', nothing); },
		labels: function (SM) { replace(SM.PlaceLabels.prototype, 'setClearance', nothing); },
		badges: function (SM) { replace(SM.CountBadgeLayer.prototype, '_update', nothing); },
		// Nothing is made ready between steps (every step draws).
		'step-ahead': function (SM) { replace(SM.StepAhead.prototype, 'schedule', self); }
	};

	// Calls then(value) when obj[name] is first set (at once if it is), and leaves it a
	// plain property again.
	function whenSet(obj, name, then) {
		if (obj[name] !== undefined) {
			then(obj[name]);
			return;
		}
		Object.defineProperty(obj, name, {
			configurable: true,
			enumerable: true,
			get: function () { return undefined; },
			set: function (v) {
				Object.defineProperty(obj, name, {value: v, writable: true, configurable: true, enumerable: true});
				then(v);
			}
		});
	}

	window.__ablateSwitches = Object.keys(SWITCHES);
	window.__ablateInstalled = false;
	whenSet(window, 'L', function (L) {
		whenSet(L, 'SiberiaMap', function (SM) {
			whenSet(SM, 'start', function (start) {
				SM.start = function () {
					if (!window.__ablateInstalled) {
						var on = window.__ablate || [];
						for (var i = 0; i < on.length; i++) { SWITCHES[on[i]](SM); }
						window.__ablateInstalled = true;
						window.__ablateOn = on.slice();
					}
					return start.apply(this, arguments);
				};
			});
		});
	});
})();
