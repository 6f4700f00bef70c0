"""Append the numeric `strength_n` column to geodata/presence.csv, touching nothing else.

Each number below was read off that record's own `strength` text (the text its sources
give), and is written only while the text is still exactly what it was read from: if a
record's strength has been corrected since, the script says so and leaves the cell empty
for a person to read again. Records whose text gives no number for that record (a unit
name, "several thousand", a total evacuated over two years, two figures for different
groups) are left empty on purpose; nothing is estimated.

Every other byte of the file stays as it was: the column is added at the end of each
record's last line, so the diff shows only the new column.

    python scripts/add_strength_n.py [geodata/presence.csv]
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

COLUMN = "strength_n"

# id: (the strength text the number was read from, the number)
READ = {
    "jp-vladivostok": ("18,000 by end of August 1918", 18000),
    "jp-nikolayevsk": ("350 (garrison, early 1920)", 350),
    "jp-cer": ("6,000 moved to Manzhouli by end of August 1918", 6000),
    "jp-chita": ("5,200 (5th Division near Chita, spring 1920)", 5200),
    "jp-sakhalin": ("about 1,900 (1,200 at Aleksandrovsk, December 1924)", 1900),
    "pl-novonikolaevsk": ("about 8,000 when the division was formed (January 1919)", 8000),
    "pl-retreat": ("about 11,000 (taken prisoner)", 11000),
    "us-vladivostok": ("8,763 (eventual total)", 8763),
    "us-suchan": ("about 500 at the mines (winter 1918–19)", 500),
    "gb-west": ("543 infantrymen and machine-gunners (with other Allied units)", 543),
    "gb-omsk-ufa": ("at least 64 Royal Marines and sailors of HMS Suffolk", 64),
    "gb-hampshires-omsk": ("32 officers and 945 other ranks", 977),
    "gb-kama-transit": ("35 men", 35),
    "gb-kama": ("35 men; four 12-pounders and one 6-inch gun", 35),
    "gb-mission-omsk": ("500 (250 officers, 250 NCOs)", 500),
    "ca-vladivostok": ("4,192", 4192),
    "ca-omsk": ("fewer than 100 (advance party of 55)", 55),
    "ca-mission-flight": ("2", 2),
    "fr-vladivostok-1918": ("1,140 (battalion)", 1140),
    "cn-vladivostok": ("2,300", 2300),
    "cn-suchan": ("50", 50),
    "it-vladivostok": ("about 100 armed Redenti plus a depot detachment", 100),
    "wh-priamur-vlad": ("7,315 (Zemskaya Rat, 1 Sept 1922)", 7315),
    "wh-khabarovsk-1921": ("4,950 at Volochayevka", 4950),
    "se-chita": ("20,000 (May 1920)", 20000),
    "rd-ussuri": ("about 5,000 left Shmakovka on 24 Aug", 5000),
    "rd-nikolayevsk": ("about 4,000 partisans", 4000),
    "rd-khabarovsk-1922": ("7,600 (NRA at Volochayevka)", 7600),
}


def add_column(text: str) -> tuple[str, list[str]]:
    """The file's text with `strength_n` appended to every record; notes on stale texts."""
    lines = text.splitlines(keepends=True)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    if COLUMN in header:
        raise SystemExit(f"presence.csv already has a {COLUMN} column")
    ends = {reader.line_num - 1: COLUMN}  # 0-based index of each record's last line
    notes, seen = [], set()
    for record in reader:
        if not record:
            continue
        row = dict(zip(header, record))
        rid = row.get("id", "")
        value = ""
        if rid in READ:
            seen.add(rid)
            expected, number = READ[rid]
            if row.get("strength", "") == expected:
                value = str(number)
            else:
                notes.append(f"{rid}: strength is now {row.get('strength', '')!r}, "
                             f"was {expected!r}; left empty, read it again")
        ends[reader.line_num - 1] = value
    notes += [f"{rid}: no such record any more" for rid in READ if rid not in seen]
    out = []
    for i, line in enumerate(lines):
        if i in ends:
            body = line.rstrip("\r\n")
            out.append(f"{body},{ends[i]}{line[len(body):]}")
        else:
            out.append(line)
    return "".join(out), notes


def main(path: str = "geodata/presence.csv") -> None:
    p = Path(path)
    text, notes = add_column(p.read_text(encoding="utf-8"))
    tmp = p.with_suffix(".csv.tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    tmp.replace(p)
    for note in notes:
        print(note, file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:])
