"""The ambitionsgraf computation: pure, deterministic, no I/O.

Arithmetic is done in exact fractions and converted to float only in the result, so the numbers do
not depend on summation order and hand-computed values match exactly.
"""

from __future__ import annotations

from fractions import Fraction

from assistant.ambitionsgraf.inputs import check_assessment, duplicate_respondents
from assistant.ambitionsgraf.models import (
    AnswerByRole,
    Assessment,
    AxisStat,
    InterpretationOut,
    Levels,
    QuestionStat,
    Respondent,
    RespondentResult,
    ScoreResult,
    Spread,
    WeakItem,
)
from assistant.ambitionsgraf.rubric import FREQUENCY_KEY, SCOPE_KEY, Area, Question, Rubric, load_rubric


def points(q: Question, answer: bool | int) -> Fraction:
    """Points for one answer before weighting (V1.1: ja 3, nej 0; scale answers are their value)."""
    if q.answer_type == "ja_nej":
        return Fraction((q.points or {})["ja" if answer else "nej"])
    return Fraction(answer)


def weight(q: Question, answers: dict) -> Fraction:
    if q.weight_by_scope is not None:
        return Fraction(str(q.weight_by_scope[answers[SCOPE_KEY]]))
    return Fraction(str(q.weight))


def area_score(area: Area, answers: dict) -> Fraction:
    """Sum of weight × points over the area's questions, divided by the area's divisor."""
    total = sum((weight(q, answers) * points(q, answers[q.id]) for q in area.questions), Fraction(0))
    return total / area.divisor


def _mean(values: list[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def _is_weak_answer(q: Question, answer: bool | int, rubric: Rubric) -> bool:
    if q.answer_type == "ja_nej":
        return answer is False
    return answer <= rubric.weak.max_scale_answer


class _RespondentScore:
    def __init__(self, index: int, respondent: Respondent, rubric: Rubric):
        self.index = index
        self.respondent = respondent
        answers = respondent.answers
        self.areas = {a.id: area_score(a, answers) for a in rubric.vertical_areas}
        self.vertical = _mean(list(self.areas.values()))
        self.horizontal = area_score(rubric.horizontal_area, answers)
        self.weak = [q.id for q in rubric.questions if _is_weak_answer(q, answers[q.id], rubric)]

    def result(self) -> RespondentResult:
        return RespondentResult(
            index=self.index,
            role=self.respondent.role,
            vertical=float(self.vertical),
            horizontal=float(self.horizontal),
            areas={k: float(v) for k, v in self.areas.items()},
            weak=self.weak,
            answers=dict(self.respondent.answers),
        )


def score(assessment: Assessment, rubric: Rubric | None = None) -> ScoreResult:
    """Place an organisation in the ambitionsgraf. Raises `AssessmentInputError` if the assessment does
    not fit `rubric` (so a hand-built Assessment can never be half-computed)."""
    rubric = rubric or load_rubric()
    check_assessment(assessment, rubric)
    scored = [_RespondentScore(i, r, rubric) for i, r in enumerate(assessment.respondents, start=1)]

    areas = {a.id: _mean([s.areas[a.id] for s in scored]) for a in rubric.vertical_areas}
    vertical = _mean([s.vertical for s in scored])
    horizontal = _mean([s.horizontal for s in scored])

    return ScoreResult(
        organisation=assessment.organisation,
        datum=assessment.datum,
        rubric_version=rubric.version,
        n_respondents=len(scored),
        vertical=float(vertical),
        horizontal=float(horizontal),
        areas={k: float(v) for k, v in areas.items()},
        levels=Levels(
            vertical=rubric.levels.name_for(float(vertical)),
            horizontal=rubric.levels.name_for(float(horizontal)),
            note=rubric.levels.note,
        ),
        respondents=[s.result() for s in scored],
        spread=_spread(scored, rubric),
        weak_items=_weak_items(scored, rubric),
        interpretations=[
            InterpretationOut(id=i.id, basis=i.basis, text=i.text, quote=i.quote) for i in rubric.interpretations
        ],
        warnings=duplicate_respondents(assessment),
    )


def _axis_stat(values: list[Fraction]) -> AxisStat:
    lo, hi = min(values), max(values)
    return AxisStat(min=float(lo), max=float(hi), range=float(hi - lo))


def _spread(scored: list[_RespondentScore], rubric: Rubric) -> Spread:
    axes = {
        "vertical": _axis_stat([s.vertical for s in scored]),
        "horizontal": _axis_stat([s.horizontal for s in scored]),
    }
    for area in rubric.vertical_areas:
        axes[area.id] = _axis_stat([s.areas[area.id] for s in scored])

    steps = rubric.spread.flag_steps
    questions: dict[str, QuestionStat] = {}
    for area in rubric.areas:
        for q in area.questions:
            rows = []
            for s in scored:
                ans = s.respondent.answers
                rows.append(AnswerByRole(
                    respondent=s.index,
                    role=s.respondent.role,
                    answer=ans[q.id],
                    points=float(points(q, ans[q.id])),
                    weight=float(weight(q, ans)),
                    scope=ans.get(SCOPE_KEY) if q.has_scope else None,
                    frequency=ans.get(FREQUENCY_KEY) if q.frequencies else None,
                ))
            pts = [points(q, s.respondent.answers[q.id]) for s in scored]
            lo, hi = min(pts), max(pts)
            reasons = []
            if q.answer_type == "ja_nej" and lo != hi:
                reasons.append("de svarande är oense (ja och nej)")
            elif q.answer_type == "skala" and hi - lo >= steps:
                reasons.append(f"svaren skiljer sig med {int(hi - lo)} skalsteg (gräns: {steps})")
            if q.has_scope and len({r.scope for r in rows}) > 1:
                reasons.append("de svarande har angett olika omfattning (delar/hela inköpsportföljen)")
            questions[q.id] = QuestionStat(
                id=q.id, area=area.id, short=q.short, mean=float(_mean(pts)), min=float(lo), max=float(hi),
                difference=float(hi - lo), flagged=bool(reasons), reasons=reasons, answers=rows,
            )
    rule = (f"En fråga flaggas när svaren skiljer sig med minst {steps} skalsteg, när någon svarat ja och "
            "någon nej, eller när de svarande angett olika omfattning för uppföljningen. Skillnaderna är "
            "underlag för samtal inom organisationen.")
    return Spread(
        axes=axes,
        questions=questions,
        flagged=[qid for qid, st in questions.items() if st.flagged],
        rule=rule,
        quote=rubric.spread.quote,
    )


def _weak_items(scored: list[_RespondentScore], rubric: Rubric) -> list[WeakItem]:
    n = len(scored)
    out: list[WeakItem] = []
    for q in rubric.questions:
        answers = [s.respondent.answers[q.id] for s in scored]
        mean = _mean([points(q, a) for a in answers])
        weak_roles = [s.respondent.role for s in scored if q.id in s.weak]
        if q.answer_type == "ja_nej":
            weak = bool(weak_roles) and Fraction(len(weak_roles), n) >= Fraction(str(rubric.weak.min_no_share))
        else:
            weak = mean <= Fraction(str(rubric.weak.max_scale_answer))
        if weak:
            out.append(WeakItem(question_id=q.id, trigger="svag", mean=float(mean), roles=weak_roles))
        if q.has_scope:
            partial = [s.respondent.role for s in scored if s.respondent.answers[SCOPE_KEY] == "delar"]
            if partial and Fraction(len(partial), n) >= Fraction(str(rubric.weak.min_partial_share)):
                out.append(WeakItem(question_id=q.id, trigger="delar", mean=float(mean), roles=partial))
    return out
