"""Recommendations grounded in the report: which advice applies is decided by the score, what it says
and which passages it cites come from the rubric, and every quote is resolved to document, page and
section with `locate_quote` (so a citation can never point at text the report does not contain)."""

from __future__ import annotations

from assistant.ambitionsgraf.models import InterpretationOut, Recommendation, ScoreResult
from assistant.ambitionsgraf.rubric import Rubric, load_rubric
from assistant.config import Settings, get_settings
from assistant.errors import KategoriError
from assistant.passages import LocatedPassage, locate_quote
from assistant.store.index import ActiveIndex

# Locating a quote scans the whole cleaned document (about 0.2 s a quote); the answer only depends on the
# corpus file, or on the index generation when one is given, so it is cached per corpus directory or
# generation directory. Without this the app re-located some thirty quotes on every click.
_cache: dict[tuple[str, str, str], LocatedPassage] = {}


def cite(quote: str, *, rubric: Rubric | None = None, settings: Settings | None = None,
         index: ActiveIndex | None = None) -> LocatedPassage:
    """Resolve a verbatim quote from the rubric's document to a citation. Raises `KategoriError`."""
    rubric = rubric or load_rubric()
    settings = settings or get_settings()
    where = f"index:{index.local_dir}" if index is not None else f"corpus:{settings.corpus_dir}"
    key = (where, rubric.doc_id, quote)
    if key not in _cache:
        _cache[key] = locate_quote(rubric.doc_id, quote, settings, index=index)
    return _cache[key]


def section_label(passage: LocatedPassage) -> str:
    """From the deepest numbered heading down: '6.4.3 Planera-delens två steg › Planera inköp per kategori'."""
    parts = [p for p in passage.section.split(" > ") if p]
    numbered = [i for i, p in enumerate(parts) if p[:1].isdigit()]
    start = numbered[-1] if numbered else max(len(parts) - 1, 0)
    return " › ".join(parts[start:])


def recommendations(result: ScoreResult, rubric: Rubric | None = None, *, settings: Settings | None = None,
                    index: ActiveIndex | None = None) -> list[Recommendation]:
    """One recommendation per weak item in `result`, in rubric order (V1 … V3, then H)."""
    rubric = rubric or load_rubric()
    out = []
    for item in result.weak_items:
        q = rubric.question(item.question_id)
        rule = q.advice_for(item.trigger)
        if rule is None:
            raise KategoriError(f"Bedömningsmallen saknar råd för {q.id} (trigger '{item.trigger}').")
        area = rubric.area_of(q.id)
        out.append(Recommendation(
            question_id=q.id,
            question=q.text,
            short=q.short,
            area_id=area.id,
            area_name=area.name,
            axis=area.axis,
            trigger=item.trigger,
            mean=item.mean,
            roles=item.roles,
            advice=rule.text,
            limitation=rule.limitation,
            citations=[cite(ref.quote, rubric=rubric, settings=settings, index=index) for ref in rule.quotes],
        ))
    return out


def cited_interpretations(result: ScoreResult, rubric: Rubric | None = None, *,
                          settings: Settings | None = None,
                          index: ActiveIndex | None = None) -> list[InterpretationOut]:
    return [
        i.model_copy(update={"citation": cite(i.quote, rubric=rubric, settings=settings, index=index)})
        if i.quote else i
        for i in result.interpretations
    ]


def rubric_quote_problems(rubric: Rubric | None = None, settings: Settings | None = None) -> list[str]:
    """Every rubric quote that is not verbatim in the report, or not in the section the rubric names.

    Empty when the rubric is sound; used by the tests and usable as a health check after editing
    rubric.yaml."""
    rubric = rubric or load_rubric()
    problems = []
    for quote, section in rubric.all_quotes():
        try:
            passage = cite(quote, rubric=rubric, settings=settings)
        except KategoriError as err:
            problems.append(str(err))
            continue
        if section is not None:
            numbers = [p.split(" ", 1)[0] for p in passage.section.split(" > ")]
            if section not in numbers:
                problems.append(f"»{quote[:60]}…« står i {passage.section or 'okänt avsnitt'}, inte i {section}.")
    return problems
