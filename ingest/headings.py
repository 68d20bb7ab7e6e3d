"""Find headings among page-aware lines: numbered (`6.4.2 …`), document patterns, page titles, subheadings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ingest.lines import Line
from ingest.models import SectionRules

_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+(\S.*)$")
# "upphandling.4": a column fragment with a footnote-like digit still ends a sentence.
_TERMINAL = re.compile(r"[.,;:!?]\d*$")
# A heading does not end on a conjunction or preposition; a wrapped sentence does ("… bostäder) och").
_DANGLING = re.compile(
    r"\b(och|eller|samt|som|att|för|i|av|med|till|på|om|den|det|de|en|ett|vid|från|mot|men|är)$", re.I
)
_SENTENCE_END = re.compile(r"[.!?:”\"]$")
_MAX_CONTINUATION = 2

Kind = Literal["pattern", "title", "numbered", "page_title", "sub"]


@dataclass(frozen=True)
class HeadingLines:
    """A heading spanning lines[first : last + 1]."""

    first: int
    last: int
    level: int
    kind: Kind
    number: str | None = None


def _starts_upper(text: str) -> bool:
    return bool(text) and text[0].isupper()


def _starts_lower(text: str) -> bool:
    return bool(text) and text[0].islower()


def is_successor(prev: tuple[int, ...], cand: tuple[int, ...]) -> bool:
    """Whether `cand` can follow `prev` in a numbered outline (next sibling, first child or an uncle)."""
    if not prev:
        return cand[-1] == 1 or len(cand) == 1
    if cand == prev + (1,):
        return True
    return any(cand == prev[:depth] + (prev[depth] + 1,) for depth in range(len(prev)))


class _Lines:
    def __init__(self, lines: list[Line]):
        self.lines = lines

    def ends_block(self, i: int) -> bool:
        return i >= len(self.lines) or self.lines[i].blank or self.lines[i].first_on_page

    def blank_before(self, i: int) -> bool:
        return i == 0 or self.lines[i - 1].blank or self.lines[i].first_on_page

    def next_nonblank(self, i: int) -> int | None:
        j = i + 1
        while j < len(self.lines) and self.lines[j].blank:
            j += 1
        return j if j < len(self.lines) else None

    def wrapped(self, i: int) -> int:
        """Last line of a heading that wraps onto lower-case lines and then ends its block."""
        last = i
        while (
            last - i < _MAX_CONTINUATION
            and not self.ends_block(last + 1)
            and not _TERMINAL.search(self.lines[last].text)
            and _starts_lower(self.lines[last + 1].text)
        ):
            last += 1
        return last if last == i or self.ends_block(last + 1) else i

    def title_lines(self, i: int, limit: int = 6) -> int:
        """Last line of a titled heading ("Fokusområde 1:" + its title): lower-case continuations, or
        any line right after a colon."""
        last = i
        while last - i < limit and not self.ends_block(last + 1):
            nxt = self.lines[last + 1].text
            if not (_starts_lower(nxt) or self.lines[last].text.endswith(":")):
                break
            last += 1
        return last


def detect_headings(lines: list[Line], rules: SectionRules) -> list[HeadingLines]:
    scan = _Lines(lines)
    patterns = [(re.compile(p.regex), p) for p in rules.patterns]
    first_content = next((i for i, ln in enumerate(lines) if not ln.blank), None)
    found: list[HeadingLines] = []
    number_state: tuple[int, ...] = ()
    structural_level = 0  # level of the latest heading that is not a subheading
    i = 0
    while i < len(lines):
        if lines[i].blank:
            i += 1
            continue
        text = lines[i].text
        heading: HeadingLines | None = None

        for regex, pattern in patterns:
            if regex.search(text):
                last = scan.title_lines(i) if pattern.continues else i
                heading = HeadingLines(i, last, pattern.level, "pattern")
                break

        if heading is None and rules.first_line_title and i == first_content:
            heading = HeadingLines(i, scan.wrapped(i), 1, "title")

        if heading is None and rules.numbered:
            number = _numbered(scan, i, number_state, rules)
            if number:
                number_state = number
                heading = HeadingLines(i, scan.wrapped(i), len(number), "numbered", ".".join(map(str, number)))

        if heading is None and rules.page_titles and lines[i].first_on_page and _starts_upper(text):
            last = scan.wrapped(i)
            after = last + 1
            if (after >= len(lines) or lines[after].blank) and not _TERMINAL.search(lines[last].text) and len(text) <= 90:
                heading = HeadingLines(i, last, 1, "page_title")

        if heading is None and rules.subheadings is not None and structural_level >= rules.subheadings.min_parent_level:
            last = _subheading_end(scan, i, rules)
            if last is not None:
                heading = HeadingLines(i, last, min(structural_level + 1, 6), "sub")

        if heading is None:
            i += 1
            continue
        found.append(heading)
        if heading.kind != "sub":
            structural_level = heading.level
        i = heading.last + 1
    return found


def _numbered(scan: _Lines, i: int, state: tuple[int, ...], rules: SectionRules) -> tuple[int, ...] | None:
    line = scan.lines[i]
    m = _NUMBERED.match(line.text)
    if not m or not _starts_upper(m.group(2)) or len(line.text) > 100 or _TERMINAL.search(line.text):
        return None
    number = tuple(int(x) for x in m.group(1).split("."))
    if not is_successor(state, number):
        return None
    if len(number) == 1:
        if rules.chapters_start_on_new_page:
            return number if line.first_on_page else None
        return number if scan.blank_before(i) and len(line.text) <= 80 else None
    return number


def _subheading_end(scan: _Lines, i: int, rules: SectionRules) -> int | None:
    """Last line of a short unnumbered heading starting at line i, if it is one."""
    rule = rules.subheadings
    assert rule is not None
    lines = scan.lines
    text = lines[i].text
    if not _starts_upper(text) or text.startswith("•"):
        return None
    if not scan.blank_before(i):
        # One-paragraph-per-line web text has no blank lines: a finished sentence before will do.
        if rule.max_lines > 1 or not _SENTENCE_END.search(lines[i - 1].text):
            return None
    last = i
    while True:
        if len(lines[last].text) > rule.max_line_length:
            return None
        nxt = last + 1
        if nxt >= len(lines):
            return None
        if scan.ends_block(nxt):
            if not rule.body_may_follow_blank:
                return None
            body = scan.next_nonblank(last)
            break
        if _starts_upper(lines[nxt].text) and len(lines[nxt].text) >= rule.min_body_line_length:
            body = nxt
            break
        if last - i + 1 >= rule.max_lines:
            return None
        last = nxt
    if _TERMINAL.search(lines[last].text) or _DANGLING.search(lines[last].text) or body is None:
        return None
    body_text = lines[body].text
    if len(body_text) < rule.min_body_line_length:
        return None
    return last if _starts_upper(body_text) or body_text.startswith("•") else None
