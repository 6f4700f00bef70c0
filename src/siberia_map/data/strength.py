"""Troop strength as numbers: `presence.csv`'s optional `strength_n`, checked and summed.

`strength` is the text the source gives ("18,000 by end of August 1918", "one battalion");
`strength_n` is the number in it, filled only where the source states one for that record
(never estimated), so the chart on the month clock shows what the records say and no more.
Per contingent and month the chart shows the sum over the records present that month that
have a number; a month where none has one is null (a gap), not zero.
"""

from __future__ import annotations

import re

from ..errors import Problem
from .load import PRESENCE

COLUMN = "strength_n"
INTEGER = re.compile(r"^[0-9]{1,9}$")  # under a billion: sums stay exact in JavaScript


def check(table, problems: list[Problem]) -> None:
    if table is None or COLUMN not in table.columns:
        return
    for i, row in enumerate(table.rows):
        value = row.get(COLUMN, "")
        if value and not INTEGER.match(value):
            problems.append(Problem(PRESENCE, table.where(i), COLUMN, value,
                                    "a whole number of men from 0 to 999,999,999 without "
                                    "separators (18000), "
                                    "or empty where the source gives no number"))


