"""How wide a piece of text is when printed, for laying out Word tables.

Advance widths (in em) of DejaVu Sans and DejaVu Sans Bold, read once from the fonts with fontTools:
LibreOffice falls back to DejaVu Sans when the document's Calibri is missing, and DejaVu is the wider of
the two, so a column wide enough for DejaVu is wide enough for Calibri in Word as well.
"""

from __future__ import annotations

CM_PER_PT = 2.54 / 72
_UNKNOWN = 0.75  # characters outside the table: wider than most, so a column errs on the wide side


def _table(groups: dict[float, str]) -> dict[str, float]:
    return {ch: width for width, chars in groups.items() for ch in chars}


_REGULAR = _table({
    0.275: "'",
    0.278: 'ijl',
    0.295: 'IJ',
    0.318: ' ,.\xa0·',
    0.337: '/:;\\|',
    0.352: 'f',
    0.361: '-',
    0.39: '()[]',
    0.392: 't',
    0.401: '!',
    0.411: 'r',
    0.46: '"',
    0.5: '*_`–§',
    0.521: 's',
    0.525: 'z',
    0.531: '?',
    0.55: 'c',
    0.557: 'L',
    0.575: 'F',
    0.579: 'k',
    0.59: '•',
    0.592: 'vxy',
    0.603: 'P',
    0.611: 'TY',
    0.612: 'oö»«',
    0.613: 'aåä',
    0.615: 'eé',
    0.632: 'EÉ',
    0.634: 'hnuü',
    0.635: 'Sbdgpq',
    0.636: '$0123456789{}',
    0.656: 'K',
    0.684: 'AVÅÄ',
    0.685: 'XZ',
    0.686: 'B',
    0.695: 'R',
    0.698: 'C',
    0.732: 'UÜ',
    0.748: 'N',
    0.752: 'H',
    0.77: 'D',
    0.775: 'G',
    0.78: '&',
    0.787: 'OQÖ',
    0.818: 'w',
    0.838: '#+<=>^~−',
    0.863: 'M',
    0.95: '%%',
    0.974: 'm',
    0.989: 'W',
    1.0: '@…',
})
_BOLD = _table({
    0.306: "'",
    0.343: 'ijl',
    0.348: ' \xa0',
    0.365: '/\\|',
    0.372: 'IJ',
    0.38: ',.·',
    0.4: ':;',
    0.415: '-',
    0.435: 'f',
    0.456: '!',
    0.457: '()[]',
    0.478: 't',
    0.493: 'r',
    0.5: '_`–§',
    0.521: '"',
    0.523: '*',
    0.58: '?',
    0.582: 'z',
    0.593: 'c',
    0.595: 's',
    0.637: 'L',
    0.639: '•',
    0.645: 'x',
    0.646: '»«',
    0.652: 'vy',
    0.665: 'k',
    0.675: 'aåä',
    0.678: 'eé',
    0.682: 'T',
    0.683: 'EFÉ',
    0.687: 'oö',
    0.696: '$0123456789',
    0.712: 'hnu{}ü',
    0.716: 'bdgpq',
    0.72: 'S',
    0.724: 'Y',
    0.725: 'Z',
    0.733: 'P',
    0.734: 'C',
    0.762: 'B',
    0.77: 'R',
    0.771: 'X',
    0.774: 'AVÅÄ',
    0.775: 'K',
    0.812: 'UÜ',
    0.821: 'G',
    0.83: 'D',
    0.837: 'HN',
    0.838: '#+<=>^~−',
    0.85: 'OQÖ',
    0.872: '&',
    0.924: 'w',
    0.995: 'M',
    1.0: '@…',
    1.002: '%%',
    1.042: 'm',
    1.103: 'W',
})


def width_cm(text: str, size_pt: float, bold: bool = False) -> float:
    table = _BOLD if bold else _REGULAR
    return sum(table.get(ch, _UNKNOWN) for ch in text) * size_pt * CM_PER_PT
