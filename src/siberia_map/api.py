"""The Python API behind `siberia_map.load` and `siberia_map.render`.

```python
import siberia_map
ds = siberia_map.load()                    # the packaged Siberian data set, validated and joined
html = siberia_map.render(ds)              # one self-contained HTML page, as text
ds = siberia_map.load("my_campaign/")      # any data set in the geodata/ format
```
"""

from __future__ import annotations

from pathlib import Path

from .model.dataset import Dataset, default_data


def load(path: str | Path | None = None) -> Dataset:
    """Read, validate and join a data set directory in the `geodata/` format.

    `path` defaults to the project's own data set (the checkout's `geodata/`, else the copy
    installed with the package). Raises `siberia_map.DataError` whose `.problems` lists
    every problem found (file, row or feature, field, value and what was expected), so one
    run shows them all.
    """
    from .model.join import prepare

    return prepare(Path(path) if path is not None else default_data())


def render(dataset: Dataset, *, cdn: bool = False, compress: str = "auto", lang=None) -> str:
    """The map of `dataset` as one HTML page (text), exactly what `siberia-map build` writes.

    Options: `cdn=True` links Leaflet from a pinned CDN URL with Subresource Integrity
    instead of embedding it; `compress` is "auto" (gzip the embedded data above 2 MB of
    JSON), "always" or "never"; `lang` the languages the page holds: "ru" (Russian
    only), "en,ru,fr" or a list (those, the first the page's own); default all five
    (en, ru, fr, cs, ja), English first.
    """
    from . import i18n
    from .output.render import render as render_page

    if compress not in ("auto", "always", "never"):
        raise ValueError(f"compress={compress!r}: one of 'auto', 'always', 'never'")
    langs = i18n.parse(lang)
    # (The page's TimeSlicedLayer checks the Dataset: one edited by hand with a NaN or 95
    # degrees north is named.)
    return render_page(dataset, cdn=cdn, compress=compress, lang=langs).html
