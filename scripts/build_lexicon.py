"""Build assistant/store/data/sv_words.tsv.gz: Swedish word forms with their Zipf frequency.

    .venv/bin/pip install wordfreq==3.1.1 && .venv/bin/python scripts/build_lexicon.py

The list comes from wordfreq's Swedish data (CC BY-SA 4.0, https://github.com/rspeer/wordfreq): forms
of three or more letters with Zipf frequency ≥ 2.0 (about once per 100 million words). It serves two
purposes at run time, with no network and no heavy import: splitting compounds into known parts
(»leverantörskedjan« → leverantörs + kedjan) and telling everyday words (»igång«, »siffror«) from
rare or foreign ones when a question's word does not occur in the documents.
"""

from __future__ import annotations

import gzip
import math
from pathlib import Path

import wordfreq

MIN_ZIPF = 2.0
OUT = Path(__file__).resolve().parent.parent / "assistant" / "store" / "data" / "sv_words.tsv.gz"


def main() -> None:
    rows = []
    for word, freq in wordfreq.get_frequency_dict("sv").items():
        zipf = math.log10(freq * 1e9)
        if zipf >= MIN_ZIPF and word.isalpha() and len(word) >= 3:
            rows.append((word, round(zipf, 1)))
    rows.sort()
    data = "".join(f"{w}\t{z}\n" for w, z in rows).encode("utf-8")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same list gives byte-identical output.
    OUT.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{len(rows)} ord → {OUT} ({OUT.stat().st_size // 1024} kB)")


if __name__ == "__main__":
    main()
