"""Property-based tests: months from any EDTF date, and loaders that never crash."""

import calendar
import copy
import csv
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EVENTS, write_dataset
from siberia_map.data import timeline
from siberia_map.errors import DataError
from siberia_map.model.join import prepare

years = st.integers(1916, 1924)
months = st.integers(1, 12)


@st.composite
def edtf_date(draw):
    y, m = draw(years), draw(months)
    form = draw(st.sampled_from(["year", "month", "day", "season"]))
    q = draw(st.sampled_from(["", "", "~", "?", "%"]))
    if form == "year":
        return f"{y}{q}", dt.date(y, 1, 1), dt.date(y, 12, 31)
    if form == "season":
        # Winter (24) runs from December into February of the next year (not December
        # alone, as the edtf library reads it); seasons are read by timeline, qualifiers too.
        s = draw(st.integers(21, 24))
        start = {21: 3, 22: 6, 23: 9, 24: 12}[s]
        ey, end = (y + 1, 2) if s == 24 else (y, start + 2)
        return f"{y}-{s}{q}", dt.date(y, start, 1), dt.date(ey, end, calendar.monthrange(ey, end)[1])
    last = calendar.monthrange(y, m)[1]
    if form == "month":
        return f"{y}-{m:02d}{q}", dt.date(y, m, 1), dt.date(y, m, last)
    d = draw(st.integers(1, last))
    return f"{y}-{m:02d}-{d:02d}{q}", dt.date(y, m, d), dt.date(y, m, d)


@st.composite
def edtf_any(draw):
    a = draw(edtf_date())
    if draw(st.booleans()):
        return a
    b = draw(edtf_date())
    if b[2] < a[1]:
        a, b = b, a
    return f"{a[0]}/{b[0]}", a[1], b[2]


def touched(first: dt.date, last: dt.date) -> list[str]:
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


@given(edtf_any())
def test_a_record_is_in_exactly_the_months_its_interval_touches(case):
    text, first, last = case
    span = timeline.parse(text)
    shown = timeline.month_range(span.first_month, span.last_month)
    assert shown == touched(first, last), text
    assert span.label  # always something to show


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(edtf_any(), min_size=1, max_size=6))
def test_every_record_lies_inside_the_slider(tmp_path_factory, dates):
    rows = [dict(EVENTS[0], id=f"e{i}", date=d[0]) for i, d in enumerate(dates)]
    ds = prepare(write_dataset(tmp_path_factory.mktemp("d"), events=rows))
    months = ds.months
    for m0, m1 in zip(ds.events["m0"], ds.events["m1"]):
        assert 0 <= m0 - ds.first_month <= m1 - ds.first_month < len(months)
    assert len(months) == len(set(months))
    assert months == sorted(months)


cells = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.fixed_dictionaries({k: cells for k in EVENTS[0]}), st.sampled_from([",", ";", "\t"]))
def test_any_csv_row_loads_or_fails_cleanly(tmp_path_factory, row, delimiter):
    root = write_dataset(tmp_path_factory.mktemp("d"))
    with open(root / "events.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(EVENTS[0]), delimiter=delimiter)
        w.writeheader()
        w.writerow(EVENTS[0])
        w.writerow(row)
    try:
        ds = prepare(root)
    except DataError as exc:
        assert exc.problems and all(p.file for p in exc.problems)
    else:
        blank = not any(v.strip() for v in row.values())
        assert len(ds.events) == (1 if blank else 2)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200))
def test_any_bytes_as_a_table_fail_cleanly_or_load(tmp_path_factory, data):
    root = write_dataset(tmp_path_factory.mktemp("d"))
    (root / "presence.csv").write_bytes(data)
    try:
        prepare(root)
    except DataError as exc:
        assert all(p.file == "presence.csv" for p in exc.problems)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["places", "railways"]), st.integers(0, 2),
       st.sampled_from(["id", "name", "names", "kind", "source", "label", "precision_km",
                        "modern_name", "note", "line", "from", "to", "geometry", "properties"]),
       json_values)
def test_any_json_value_in_any_feature_field_fails_cleanly_or_renders(
        tmp_path_factory, which, index, key, value):
    from conftest import PLACES, RAILWAYS
    from siberia_map.output.render import render
    feats = copy.deepcopy(PLACES if which == "places" else RAILWAYS)
    if key in ("geometry", "properties"):
        feats[index][key] = value
    else:
        feats[index]["properties"][key] = value
    root = write_dataset(tmp_path_factory.mktemp("d"), **{which: feats})
    try:
        ds = prepare(root)
    except DataError as exc:
        assert exc.problems and all(p.file for p in exc.problems)
    else:
        assert render(ds).html.startswith("<!DOCTYPE html>")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["title", "subtitle", "citation", "bounds",
                                        "first_month", "last_month"]), json_values, max_size=3))
def test_any_dataset_json_fails_cleanly_or_renders(tmp_path_factory, meta):
    from siberia_map.output.render import render
    root = write_dataset(tmp_path_factory.mktemp("d"), meta=meta)
    try:
        ds = prepare(root)
    except DataError as exc:
        assert all(p.file in ("dataset.json", "events.csv", "presence.csv") for p in exc.problems)
    else:
        assert render(ds).html.startswith("<!DOCTYPE html>")
