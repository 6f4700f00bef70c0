"""model/window.py: an option's window of months read onto the slider, and rows cut to it."""

import pandas as pd
import pytest

from siberia_map.data import timeline
from siberia_map.errors import ArgumentError
from siberia_map.model import window

FIRST, LAST = timeline.parse_month_key("1918-03"), timeline.parse_month_key("1920-12")
M = timeline.parse_month_key


@pytest.mark.parametrize("text,expected", [
    ("1919-06", ("1919-06", "1919-06")),
    ("1919-06..1919-08", ("1919-06", "1919-08")),
    ("..1919-08", ("1918-03", "1919-08")),
    (" 1919-06..1919-06 ", ("1919-06", "1919-06")),
])
def test_a_window_is_read_as_the_map_writes_it(text, expected):
    assert window.parse("--window", text, FIRST, LAST) == tuple(M(k) for k in expected)


@pytest.mark.parametrize("text", ["1919-06..1919-08", "..1919-08"])
def test_month_takes_one_month_only(text):
    with pytest.raises(ArgumentError, match=r"--month '.*': expected a month YYYY-MM$"):
        window.parse("--month", text, FIRST, LAST, window=False)


def test_rows_are_kept_when_they_show_in_any_month_of_the_window():
    frame = pd.DataFrame({"id": ["before", "across", "inside", "after"],
                          "m0": [M("1918-05"), M("1919-01"), M("1919-07"), M("1919-09")],
                          "m1": [M("1919-05"), M("1919-12"), M("1919-07"), M("1919-10")]})
    kept = window.within(frame, (M("1919-06"), M("1919-08")))
    assert list(kept["id"]) == ["across", "inside"]
    assert window.within(frame, None) is frame


def test_describe():
    assert window.describe(M("1919-06"), M("1919-06")) == "June 1919"
    assert window.describe(M("1919-06"), M("1919-08")) == "June 1919 to August 1919"
