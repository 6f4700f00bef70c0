"""The per-month, per-place counts the page draws as badges in busy months (output/columns.py, `place_counts`).

Each count must be the number of records the page would draw at that place in that month
for that contingent list: an event or presence record counted in every month it shows in
(clipped to the slider), events with no place left out.
"""

from siberia_map.output import columns


def test_counts_per_month_place_and_contingent_list():
    # Events: two at place 0 in month 0 with the same contingents, one at place 0 with a
    # different list, one spanning months 0..1 at place 1, one with no place (g -1).
    events = {"g": [0, 0, 0, 1, -1], "m0": [0, 0, 0, 0, 0], "m1": [0, 0, 0, 1, 0],
              "c": [[2, 1], [2, 1], [1], [], [0]]}
    # Presence: contingent 1 at place 0 for months 0..2, contingent 0 at place 1 in month 1.
    presence = {"g": [0, 1], "m0": [0, 1], "m1": [2, 1], "c": [1, 0]}
    per_month = columns.plain_counts(columns.place_counts(events, presence, 3))
    assert per_month == [
        [(0, (2, 1), 2), (0, (1,), 2), (1, (), 1)],
        [(0, (1,), 1), (1, (), 1), (1, (0,), 1)],
        [(0, (1,), 1)],
    ]


def test_counts_clip_months_to_the_slider_and_keep_empty_months():
    events = {"g": [3], "m0": [-2], "m1": [0], "c": [[0]]}
    presence = {"g": [4], "m0": [2], "m1": [9], "c": [0]}
    per_month = columns.plain_counts(columns.place_counts(events, presence, 4))
    assert per_month == [[(3, (0,), 1)], [], [(4, (0,), 1)], [(4, (0,), 1)]]


def test_counts_of_no_records_are_empty_months():
    block = columns.place_counts({"g": [], "m0": [], "m1": [], "c": []},
                         {"g": [], "m0": [], "m1": [], "c": []}, 2)
    assert columns.plain_counts(block) == [[], []]
    assert columns.untyped(block["start"]) == [0, 0, 0]


def test_counts_add_up_to_the_month_index():
    # Every drawn record of a month is counted exactly once there.
    events = {"g": [0, 1, 2, 1], "m0": [0, 1, 0, 2], "m1": [2, 1, 0, 2], "c": [[0], [1], [0, 1], []],
              "sort": ["a", "b", "c", "d"]}
    presence = {"g": [2, 2, 0], "m0": [0, 1, 1], "m1": [1, 2, 2], "c": [1, 1, 0]}
    index = columns.month_index(events, presence, 3)
    start = columns.untyped(index["start"])
    per_month = columns.plain_counts(columns.place_counts(events, presence, 3))
    assert [sum(n for _, _, n in month) for month in per_month] == \
        [b - a for a, b in zip(start, start[1:])]
