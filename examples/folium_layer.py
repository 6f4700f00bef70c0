"""`siberia_map.TimeSlicedLayer` on an ordinary folium map, beside the map's own layers.

The map is folium's own (its Leaflet, its tiles); the layer adds the month control, the
toggles, the events panel and the dated records of the 1812 example; a static layer of towns
and a layer switcher stay the map's.

    python examples/folium_layer.py [out.html]
"""

import sys
from pathlib import Path

import folium

import siberia_map

sys.path.insert(0, str(Path(__file__).resolve().parent))
from napoleon_1812 import TOWNS, frame  # noqa: E402


def build_map(tiles: str | None = "OpenStreetMap") -> folium.Map:
    m = folium.Map(location=[55, 31], zoom_start=5, tiles=tiles)
    towns = folium.FeatureGroup(name="Towns (static)")
    for name, (lon, lat) in TOWNS.items():
        folium.CircleMarker([lat, lon], radius=4, color="#333333", fill=True,
                            tooltip=name).add_to(towns)
    towns.add_to(m)
    siberia_map.TimeSlicedLayer(frame(), date="date", group="phase",
                                title="1812, month by month").add_to(m)
    folium.LayerControl(position="bottomleft").add_to(m)
    return m


def main(out: str = "folium_layer.html") -> None:
    build_map().save(out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(*sys.argv[1:])
