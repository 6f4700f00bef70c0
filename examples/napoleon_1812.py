"""`siberia_map.explore` on a data set that is not the Siberian one: Napoleon's 1812 campaign.

A GeoDataFrame written inline: the best-known dated events of the French invasion of Russia
(points) and the Grande Armée's advance and retreat (lines), grouped by phase. Dates are
EDTF strings in the Gregorian calendar; coordinates are the towns' (approximate for the
battlefields); each row names its source.

    python examples/napoleon_1812.py [out.html]
"""

import sys

import geopandas as gpd
from shapely.geometry import LineString, Point

import siberia_map

WP = "Wikipedia, "
TOWNS = {  # lon, lat
    "Kaunas": (23.90, 54.90), "Vilnius": (25.28, 54.69), "Vitebsk": (30.20, 55.19),
    "Smolensk": (32.05, 54.78), "Borodino": (35.82, 55.52), "Moscow": (37.62, 55.75),
    "Maloyaroslavets": (36.47, 55.01), "Vyazma": (34.30, 55.21), "Borisov": (28.51, 54.23),
}
EVENTS = [
    ("1812-06-24", "advance", "Kaunas", "The Grande Armée crosses the Niemen",
     WP + "'French invasion of Russia'"),
    ("1812-06-28", "advance", "Vilnius", "The French enter Vilnius",
     WP + "'French invasion of Russia'"),
    ("1812-08-16/1812-08-18", "advance", "Smolensk", "Battle of Smolensk",
     WP + "'Battle of Smolensk (1812)'"),
    ("1812-09-07", "advance", "Borodino", "Battle of Borodino", WP + "'Battle of Borodino'"),
    ("1812-09-14", "advance", "Moscow", "The French enter Moscow",
     WP + "'French occupation of Moscow'"),
    ("1812-10-19", "retreat", "Moscow", "Napoleon leaves Moscow",
     WP + "'French invasion of Russia'"),
    ("1812-10-24", "retreat", "Maloyaroslavets", "Battle of Maloyaroslavets",
     WP + "'Battle of Maloyaroslavets'"),
    ("1812-11-03", "retreat", "Vyazma", "Battle of Vyazma", WP + "'Battle of Vyazma'"),
    ("1812-11-26/1812-11-29", "retreat", "Borisov", "Battle of the Berezina",
     WP + "'Battle of Berezina'"),
]
ROUTES = [
    ("1812-06-24/1812-09-14", "advance", ["Kaunas", "Vilnius", "Vitebsk", "Smolensk",
                                          "Borodino", "Moscow"], "The advance on Moscow"),
    ("1812-10-19/1812-12", "retreat", ["Moscow", "Maloyaroslavets", "Vyazma", "Smolensk",
                                       "Borisov", "Vilnius", "Kaunas"], "The retreat"),
]


def frame() -> gpd.GeoDataFrame:
    rows = [{"date": d, "phase": phase, "title": title, "where": town, "source": src,
             "geometry": Point(TOWNS[town])} for d, phase, town, title, src in EVENTS]
    rows += [{"date": d, "phase": phase, "title": title, "where": " – ".join(towns),
              "source": WP + "'French invasion of Russia'",
              "geometry": LineString([TOWNS[t] for t in towns])}
             for d, phase, towns, title in ROUTES]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def main(out: str = "napoleon_1812.html") -> None:
    m = siberia_map.explore(frame(), date="date", group="phase",
                            title="Napoleon's invasion of Russia, 1812")
    m.save(out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(*sys.argv[1:])
