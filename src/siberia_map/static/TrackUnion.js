/*
 * L.SiberiaMap.TrackUnion: one contingent's railway lines of a month, without overlaps.
 *
 * A contingent is often recorded on many stretches at once that overlap ("Omsk to
 * Irkutsk" and "Novonikolaevsk to Krasnoyarsk"), and with 100,000 records a month holds
 * thousands of them over the same few thousand pieces of track. Stroking a wide line costs
 * per pixel covered, again for every overlap, so each piece of track is drawn once per
 * contingent and style: the union of the stretches' segments, joined into chains between
 * junctions (so lanes still bend with mitred corners), each run west to east like the
 * stretches themselves (see LineOffset). For the pointer, each segment remembers the record
 * that put it there last, which is the one that would have been drawn on top.
 */
(function (L) {
	'use strict';

	const SM = L.SiberiaMap = L.SiberiaMap || {};

	const grow = SM.util.growInt32;

	SM.TrackUnion = L.Class.extend({

		// @param model: L.SiberiaMap.Model
		initialize: function (model) {
			this._model = model;
			// Per segment id (Model.segmentIds): the group that last took it, and where.
			this._stamp = new Int32Array(0);
			this._slot = new Int32Array(0);
			this._stamps = 0;
			this._deg = new Int32Array(0);
			this._first = new Int32Array(0);
			this._fill = new Int32Array(0);
		},

		// @method build(lines: Array): Array
		// `lines`: `{rec, colour, colourValue, offset}`, one per record drawn along the
		// railway, in draw order. Returns one group per colour and style:
		// `{colour, colourValue, uncertain, offset, chains, chainSegments, segmentRecord}`,
		// `chains[i]` the vertex ids of a chain (Model.vertexLatLngs), `chainSegments[i]`
		// its segments, `segmentRecord[s]` the record a segment is shown for.
		build: function (lines) {
			const model = this._model;
			const groups = [];
			const byKey = new Map();
			let i;
			let j;
			let p;
			let l;
			for (i = 0; i < lines.length; i++) {
				const line = lines[i];
				const key = 2 * line.colour + (line.rec.unc ? 1 : 0);
				let g = byKey.get(key);
				if (!g) {
					g = {colour: line.colour, colourValue: line.colourValue, uncertain: !!line.rec.unc, offset: line.offset,
						lines: [], su: [], sv: [], segmentRecord: [], chains: [], chainSegments: []};
					byKey.set(key, g);
					groups.push(g);
				}
				g.lines.push(line.rec);
			}
			// One group at a time, so a segment's stamp says "already in this group".
			for (i = 0; i < groups.length; i++) {
				const g = groups[i];
				const stampValue = ++this._stamps;
				for (l = 0; l < g.lines.length; l++) {
					const rec = g.lines[l];
					const parts = model.lineVertices(rec.g);
					const ids = model.segmentIds(rec.g);
					let k = 0;
					if (this._stamp.length < model.segmentCount()) {
						// (Grown with their contents: this group's marks so far must survive.)
						this._stamp = grow(this._stamp, 2 * model.segmentCount());
						this._slot = grow(this._slot, this._stamp.length);
					}
					const stamp = this._stamp;
					const slot = this._slot;
					for (p = 0; p < parts.length; p++) {
						const vs = parts[p];
						for (j = 1; j < vs.length; j++) {
							const u = vs[j - 1];
							const v = vs[j];
							// (Skipped the same way in Model.segmentKeys, so ids[k] is this segment.)
							if (u === v) { continue; }
							const id = ids[k++];
							if (stamp[id] !== stampValue) {
								stamp[id] = stampValue;
								slot[id] = g.su.length;
								g.su.push(u);
								g.sv.push(v);
								g.segmentRecord.push(rec);
							} else {
								g.segmentRecord[slot[id]] = rec;
							}
						}
					}
				}
				this._chain(g);
				g.lines = g.su = g.sv = null;
			}
			return groups;
		},

		// Walks the group's segments into maximal chains through vertices of degree two.
		_chain: function (g) {
			const su = g.su;
			const sv = g.sv;
			const n = su.length;
			const nv = this._model.vertexLatLngs.length;
			let i;
			let v;
			let s;
			if (this._deg.length < nv) {
				this._deg = new Int32Array(nv);
				this._first = new Int32Array(nv);
				this._fill = new Int32Array(nv);
			}
			const deg = this._deg;
			const first = this._first;
			const fill = this._fill;
			const touched = [];
			const adj = new Int32Array(2 * n);
			const done = new Uint8Array(n);
			for (s = 0; s < n; s++) {
				if (!deg[su[s]]++) { touched.push(su[s]); }
				if (!deg[sv[s]]++) { touched.push(sv[s]); }
			}
			// Incident segments per vertex, packed: adj[first[v] .. first[v] + deg[v]).
			let at = 0;
			for (i = 0; i < touched.length; i++) {
				first[touched[i]] = at;
				at += deg[touched[i]];
			}
			for (s = 0; s < n; s++) {
				adj[first[su[s]] + fill[su[s]]++] = s;
				adj[first[sv[s]] + fill[sv[s]]++] = s;
			}
			// (A chain is collected in scratch arrays and copied out once: building it with
			// push and Int32Array.from took a third of a busy month's lines at 100,000.)
			const vbuf = new Int32Array(n + 1);
			const sbuf = new Int32Array(n);
			const self = this;
			const walk = function (start, seg) {
				let len = 0;
				let cur = start;
				vbuf[0] = start;
				for (;;) {
					done[seg] = 1;
					sbuf[len++] = seg;
					cur = su[seg] === cur ? sv[seg] : su[seg];
					vbuf[len] = cur;
					if (deg[cur] !== 2) { break; }
					const o = adj[first[cur]] === seg ? adj[first[cur] + 1] : adj[first[cur]];
					if (done[o]) { break; }
					seg = o;
				}
				self._emit(g, vbuf.slice(0, len + 1), sbuf.slice(0, len));
			};
			// Chains end at junctions and line ends; what is left are closed loops.
			for (i = 0; i < touched.length; i++) {
				v = touched[i];
				if (deg[v] === 2) { continue; }
				for (let e = first[v]; e < first[v] + deg[v]; e++) {
					if (!done[adj[e]]) { walk(v, adj[e]); }
				}
			}
			for (s = 0; s < n; s++) {
				if (!done[s]) { walk(su[s], s); }
			}
			for (i = 0; i < touched.length; i++) { deg[touched[i]] = fill[touched[i]] = 0; }
		},

		// West to east (then south to north), as the stretches run, so lanes keep their side.
		_emit: function (g, verts, segs) {
			const ll = this._model.vertexLatLngs;
			const a = ll[verts[0]];
			const b = ll[verts[verts.length - 1]];
			if (b.lng < a.lng || (b.lng === a.lng && b.lat < a.lat)) {
				verts.reverse();
				segs.reverse();
			}
			g.chains.push(verts);
			g.chainSegments.push(segs);
		}
	});
})(L);
