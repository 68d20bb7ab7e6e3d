"""Build assistant/store/data/sv_synonyms.tsv.gz from LibreOffice's Swedish thesaurus.

    apt-get download mythes-sv && dpkg -x mythes-sv_*.deb /tmp/mythes
    .venv/bin/python scripts/build_thesaurus.py /tmp/mythes/usr/share/mythes/th_sv_SE_v2.dat

The thesaurus (Debian package mythes-sv, th_sv_SE) is Viggo Kann's Swedish synonym dictionary from the
Folkets synonymlexikon project, © 2009 Viggo Kann; see data/README.md for its licence notice. The
output keeps, per head word (lower case), its synonyms of at most two words, one line per head word:
`ord<TAB>synonym|synonym|…`.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "assistant" / "store" / "data" / "sv_synonyms.tsv.gz"


def main(path: str) -> None:
    lines = Path(path).read_bytes().decode("latin-1").splitlines()[1:]  # first line names the encoding
    synonyms: dict[str, set[str]] = {}
    i = 0
    while i < len(lines):
        head, _, count = lines[i].rpartition("|")
        i += 1
        for _ in range(int(count)):
            for syn in lines[i].split("|")[1:]:
                syn = syn.strip().lower()
                if syn and syn != head.lower() and len(syn.split()) <= 2:
                    synonyms.setdefault(head.strip().lower(), set()).add(syn)
            i += 1
    rows = [f"{head}\t{'|'.join(sorted(syns))}\n" for head, syns in sorted(synonyms.items())]
    OUT.write_bytes(gzip.compress("".join(rows).encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{len(rows)} uppslagsord → {OUT} ({OUT.stat().st_size // 1024} kB)")


if __name__ == "__main__":
    main(sys.argv[1])
