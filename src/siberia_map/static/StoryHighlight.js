/*
 * L.SiberiaMap.StoryHighlight: rings around the records a story chapter is about.
 *
 * A few SVG circles (see RingLayer: their pane never takes the pointer, so the records'
 * canvas below keeps its clicks and tooltips). The rings are placed where the records are
 * drawn this month (`locate`), and go as soon as the chapter is left: only while a chapter
 * is active does this listen to the controller.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	SM.StoryHighlight = SM.RingLayer.extend({

		// @option radius: Number = 17
		// Ring radius in pixels: round a symbol and the few spread around the same place.
		// (The pane is RingLayer's own, above the records and below the popups.)
		options: {
			radius: 17
		},

		// @param locate: Function
		// `locate(ids)` -> `[{id, lat, lon}]` of those records drawn now.
		initialize: function (controller, locate, options) {
			SM.RingLayer.prototype.initialize.call(this, controller, options);
			this._locate = locate;
			this._ids = [];
			this._shown = [];
		},

		onAdd: function (map) {
			SM.RingLayer.prototype.onAdd.call(this, map);
			this._renderer = L.svg({pane: this.options.pane, padding: 0.1});
			this._draw();
		},

		onRemove: function (map) {
			this.clear();
			SM.RingLayer.prototype.onRemove.call(this, map);
		},

		// @method mark(ids: Array, isActive: Function): this
		// Rings those records while `isActive()` holds; the first change after which it
		// does not clears them for good.
		mark: function (ids, isActive) {
			this._ids = ids.slice();
			this._isActive = isActive;
			this._listen(true);
			this._draw();
			return this;
		},

		clear: function () {
			this._ids = [];
			this._listen(false);
			if (this._group) { this._group.clearLayers(); }
			this._shown = [];
			return this;
		},

		// @method highlighted(): Array
		// The ids ringed now (for tests and captions).
		highlighted: function () {
			return this._shown.slice();
		},

		_onStep: function () {
			this._draw();
		},

		_draw: function () {
			if (!this._ids.length || !this._isActive || !this._isActive()) {
				this.clear();
				return;
			}
			if (!this._group) { return; }
			this._group.clearLayers();
			const found = this._locate(this._ids);
			const seen = Object.create(null);
			this._shown = [];
			for (let i = 0; i < found.length; i++) {
				const r = found[i];
				if (!isFinite(r.lat) || !isFinite(r.lon) || r.lat === null) { continue; }
				if (!seen[r.id]) {
					seen[r.id] = true;
					this._shown.push(r.id);
				}
				L.circleMarker([r.lat, r.lon], {radius: this.options.radius, renderer: this._renderer,
					interactive: false, className: 'sm-story-ring', color: '#1b1b1b', weight: 2.5,
					opacity: 0.9, fill: false, dashArray: '5 3'}).addTo(this._group);
			}
		}
	});

	SM.storyHighlight = function (controller, locate, options) {
		return new SM.StoryHighlight(controller, locate, options);
	};
})(L);
