"""The payload's string table and list columns (output/columns.py), read back as the page reads them."""

import pytest

from siberia_map.output import columns


def test_each_text_is_stored_once_and_empty_is_zero():
    strings = columns.Strings()
    got = strings.column(["Omsk", "", "Omsk", None, float("nan"), "Chita"])
    assert got[0] == got[2] and got[1] == got[3] == got[4] == 0 and len(set(got)) == 3
    table, renumber = strings.encode()
    assert [columns.text(table, int(renumber[i])) for i in got] == ["Omsk", "", "Omsk", "", "", "Chita"]


class _Name(str):
    """A str subclass (as a pandas or numpy cell may be): stored as the plain text."""


@pytest.mark.parametrize("cols", [
    [["b", "a", "b"], ["c", "a", "", "d"]],
    [["x", None, 3, _Name("x")], [float("nan"), "3", 2.5, "y"]],
])
def test_a_column_is_numbered_as_added_cell_by_cell(cols):
    whole, cells = columns.Strings(), columns.Strings()
    got = [whole.column(col) for col in cols]
    assert got == [[cells.add(v) for v in col] for col in cols]
    assert whole.encode()[0] == cells.encode()[0]
    assert all(type(t) is str for t in whole._items)


@pytest.mark.parametrize("texts", [
    ["plain", "Ekaterinburg", "caf\u00e9"],  # one-byte only
    ["15\u201321 August 1918", "\u041e\u043c\u0441\u043a"],  # wide only
    ["a", "14 June \u2013 13 July", "b", "\U0001f600 astral", "\u00e9"],  # mixed, a surrogate pair
])
def test_one_byte_texts_come_first_and_read_back(texts):
    strings = columns.Strings()
    numbers = strings.column(texts)
    table, renumber = strings.encode()
    final = [int(renumber[i]) for i in numbers]
    assert [columns.text(table, k) for k in final] == texts
    narrow = [k for t, k in zip(texts, final) if all(ord(ch) < 256 for ch in t)]
    assert all(k < table["n1"] for k in narrow)
    assert all(k >= table["n1"] for k in set(final) - set(narrow))
    assert all(ord(ch) < 256 for ch in table["one"])


def test_the_wide_texts_are_written_as_their_utf8_bytes_a_character_each():
    texts = ["caf\u00e9", "x\u2013", "\U0001f600", "\u041e\u043c\u0441\u043a"]
    strings = columns.Strings()
    strings.column(texts)
    table, _ = strings.encode()
    # No character of the payload's table is wider than a byte (see assets._narrow).
    assert all(ord(ch) < 256 for ch in table["one"] + table["two"])
    assert table["two"].encode("latin-1") == "".join(texts[1:]).encode("utf-8")


def test_a_lone_surrogate_is_written_as_the_replacement_character():
    strings = columns.Strings()
    k = strings.add("a\ud800b")
    table, renumber = strings.encode()
    # As the browser's TextEncoder would have written it: three bytes, U+FFFD.
    assert columns.untyped(table["end"])[-1] == 5
    assert columns.text(table, int(renumber[k])) == "a\ufffdb"


def test_offsets_count_characters_then_utf8_bytes():
    strings = columns.Strings()
    strings.column(["caf\u00e9", "\U0001f600", "x\u2013"])
    table, _ = strings.encode()
    # One-byte texts in characters; the others in the UTF-8 bytes the page keeps them in.
    assert columns.untyped(table["end"]) == [0, 4, 4, 8]


def test_lists_are_offsets_and_values():
    col = columns.lists([[3], [], [1, 13, 2]])
    assert columns.untyped(col["start"]) == [0, 1, 1, 4]
    assert columns.untyped(col["v"]) == [3, 1, 13, 2]


def test_plain_reads_a_block_as_the_page_does():
    strings = columns.Strings()
    title, loc = strings.column(["Landing", "ch. IV"])
    table, renumber = strings.encode()
    cite = columns.lists([[0, 2], []])
    payload = {"strings": table, "events": {
        "id": ["a", "b"], "m0": columns.typed([0, 5]),
        "title": columns.typed([int(renumber[title]), 0]),
        "c": columns.lists([[1], [0, 2]]),
        "cite": {"start": cite["start"], "src": cite["v"],
                 "loc": columns.typed([int(renumber[loc]), 0])}}}
    assert columns.plain(payload, "events") == {
        "id": ["a", "b"], "m0": [0, 5], "title": ["Landing", ""], "c": [[1], [0, 2]],
        "cite": [[[0, "ch. IV"], [2, ""]], []]}
