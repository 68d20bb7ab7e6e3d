"""The Ambitionsgrafen page without Streamlit: the questionnaire's state and everything the page shows.

Respondents have stable ids. Every widget key carries the id (`ag_r3_V1.2`), never a list position,
so adding, removing or renaming a respondent cannot move answers from one respondent to another. The
state lives in any mutable mapping – `st.session_state` in the app, a dict in tests.
"""

from __future__ import annotations

import json
from collections.abc import Callable, MutableMapping
from datetime import date
from typing import Any

from assistant.ambitionsgraf import ROLES, Problem
from assistant.ambitionsgraf.history import Comparison, SavedAssessment
from assistant.ambitionsgraf.inputs import load_json
from assistant.ambitionsgraf.report import signed
from assistant.ambitionsgraf.rubric import FREQUENCY_KEY, SCOPE_KEY, Question, Rubric
from assistant.errors import InputError

OTHER_ROLE = "Annan roll …"
ROLE_OPTIONS = [*ROLES, OTHER_ROLE]
SCOPE_LABELS = {"delar": "Delar av inköpsportföljen", "hela": "Hela inköpsportföljen"}
BASIS_LABELS = {"bilaga": "Bilagan", "rapporten": "rapporten", "tolkning": "verktygets tolkning"}
# What the form calls the fields that are not question ids (form errors name fields as the form does).
FIELD_LABELS = {"role": "roll", SCOPE_KEY: "omfattning för V3.4", FREQUENCY_KEY: "hur ofta (V3.5)",
                "organisation": "organisationens namn", "datum": "datum", "answers": "svaren",
                "respondents": "svarande"}

_IDS, _NEXT, _ACTIVE = "ag_ids", "ag_next", "ag_active"
TABS_KEY = "ag_tabs"


def plural(n: int, one: str, many: str) -> str:
    """'1 uppgift', '3 uppgifter'."""
    return f"{n} {one if n == 1 else many}"


def format_score(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def answer_label(q: Question, value: bool | int, rubric: Rubric) -> str:
    """An answer option as the respondent sees it – without points, which could steer the answer."""
    if q.answer_type == "ja_nej":
        return "Ja" if value else "Nej"
    return f"{value} – {rubric.scale.label(value)}"


def scale_options(rubric: Rubric) -> list[int]:
    return list(reversed(rubric.scale.values))  # 4 first: "Instämmer i hög grad"


class Form:
    """The respondents of the questionnaire, kept in `state` under keys that carry a stable id."""

    def __init__(self, state: MutableMapping[str, Any], rubric: Rubric):
        self.state = state
        self.rubric = rubric
        if _IDS not in state:
            state[_IDS] = []
            state[_NEXT] = 1
            self.add()

    # -- keys and fields ------------------------------------------------------------------------------

    @staticmethod
    def key(rid: int, field: str) -> str:
        return f"ag_r{rid}_{field}"

    def fields(self) -> list[str]:
        return ["role", "role_other", *self.rubric.question_ids, SCOPE_KEY, FREQUENCY_KEY]

    @property
    def ids(self) -> list[int]:
        return list(self.state[_IDS])

    @property
    def active(self) -> int:
        rid = self.state.get(_ACTIVE)
        return rid if rid in self.state[_IDS] else self.state[_IDS][0]

    # -- respondents ------------------------------------------------------------------------------------

    def add(self, role: str | None = None) -> int:
        """A new, empty respondent, which becomes the open one. Its role defaults to the first of the
        report's roles not taken yet."""
        rid = self.state[_NEXT]
        self.state[_NEXT] = rid + 1
        taken = {self.role(r) for r in self.state[_IDS]}
        default = next((r for r in ROLES if r not in taken), ROLES[-1])
        role = default if role is None else role
        for field in self.fields():
            self.state[self.key(rid, field)] = None
        self.state[self.key(rid, "role")] = role if role in ROLES else OTHER_ROLE
        self.state[self.key(rid, "role_other")] = "" if role in ROLES else role
        self.state[_IDS] = [*self.state[_IDS], rid]
        self.state[_ACTIVE] = rid
        return rid

    def remove(self, rid: int) -> None:
        """Remove one respondent and their answers; the others keep theirs. At least one stays."""
        ids = self.state[_IDS]
        if rid not in ids or len(ids) == 1:
            return
        pos = ids.index(rid)
        self.state[_IDS] = [r for r in ids if r != rid]
        for field in self.fields():
            self.state.pop(self.key(rid, field), None)
        if self.state.get(_ACTIVE) == rid or self.state.get(_ACTIVE) not in self.state[_IDS]:
            self.state[_ACTIVE] = self.state[_IDS][min(pos, len(self.state[_IDS]) - 1)]

    def role(self, rid: int) -> str:
        choice = self.state.get(self.key(rid, "role"))
        if choice == OTHER_ROLE:
            return (self.state.get(self.key(rid, "role_other")) or "").strip()
        return choice or ""

    def answers(self, rid: int) -> dict[str, Any]:
        out = {}
        for field in [*self.rubric.question_ids, SCOPE_KEY, FREQUENCY_KEY]:
            value = self.state.get(self.key(rid, field))
            if value is not None and value != "":
                out[field] = value
        return out

    def respondents(self) -> list[dict[str, Any]]:
        return [{"role": self.role(rid), "answers": self.answers(rid)} for rid in self.ids]

    # -- tabs -------------------------------------------------------------------------------------------

    def label(self, rid: int) -> str:
        """'2. inköpschef': unique (numbered), so the open tab is found again after a role change."""
        return f"{self.state[_IDS].index(rid) + 1}. {self.role(rid) or 'roll saknas'}"

    def labels(self) -> list[str]:
        return [self.label(rid) for rid in self.ids]

    def open_tab(self) -> str:
        """The label of the open respondent, also written where the tabs widget reads its selection, so
        the same respondent stays open when labels change."""
        label = self.label(self.active)
        self.state[TABS_KEY] = label
        return label

    def tab_selected(self) -> None:
        """Callback for the tabs widget: remember which respondent the user opened."""
        selected = self.state.get(TABS_KEY)
        for rid in self.ids:
            if self.label(rid) == selected:
                self.state[_ACTIVE] = rid

    # -- import -----------------------------------------------------------------------------------------

    def load(self, data: dict[str, Any]) -> None:
        """Replace the respondents by those of an imported assessment (already checked by `read_import`)."""
        for rid in self.ids:
            for field in self.fields():
                self.state.pop(self.key(rid, field), None)
        self.state[_IDS] = []
        self.state["ag_org"] = data.get("organisation", "")
        self.state["ag_date"] = date.fromisoformat(data["datum"]) if data.get("datum") else date.today()
        for r in data.get("respondents") or [{"role": ROLES[0], "answers": {}}]:
            rid = self.add(r["role"])
            for field, value in r["answers"].items():
                self.state[self.key(rid, field)] = value
        self.state[_ACTIVE] = self.state[_IDS][0]


def read_import(raw: bytes, rubric: Rubric) -> tuple[dict[str, Any], list[str]]:
    """An exported assessment, read for the form: (data with only the usable values, notes in Swedish on
    what was left out). Raises `InputError` when the file is not an assessment at all."""
    data = load_json(raw)
    if not isinstance(data, dict) or not isinstance(data.get("respondents"), list):
        raise InputError("Filen är inte en exporterad bedömning: den ska ha formatet {\"organisation\": …, "
                         "\"respondents\": [{\"role\": …, \"answers\": {…}}]}, som knappen Exportera svaren ger.")
    notes: list[str] = []
    organisation = data.get("organisation")
    if not isinstance(organisation, str):
        notes.append("Organisationens namn saknades eller var inte text – fyll i det.")
        organisation = ""
    datum = data.get("datum")
    try:
        datum = date.fromisoformat(datum).isoformat() if datum is not None else None
    except (TypeError, ValueError):
        notes.append(f"Datumet {json.dumps(datum, ensure_ascii=False)} kunde inte läsas – dagens datum används.")
        datum = None
    fits = _answer_checks(rubric)
    respondents = []
    for n, r in enumerate(data["respondents"], start=1):
        if not isinstance(r, dict):
            notes.append(f"Svarande {n} var inte en svarande med roll och svar och hoppades över.")
            continue
        role = r.get("role").strip() if isinstance(r.get("role"), str) else ""
        who = f"Svarande {n}" + (f" ({role})" if role else "")
        answers = {}
        for field, value in (r.get("answers") if isinstance(r.get("answers"), dict) else {}).items():
            if field not in fits:
                notes.append(f"{who}: {field} är ingen fråga i enkäten och lästes inte in.")
            elif value is not None and not fits[field](value):
                notes.append(f"{who}: svaret på {field_label(field)} ({json.dumps(value, ensure_ascii=False)}) "
                             "finns inte bland svarsalternativen och lämnades obesvarat.")
            else:
                answers[field] = value
        respondents.append({"role": role, "answers": answers})
    return {"organisation": organisation, "datum": datum, "respondents": respondents}, notes


def _answer_checks(rubric: Rubric) -> dict[str, Callable[[Any], bool]]:
    """Per answer key: does a value match one of the form's options? (Type-aware: True is not 1.)"""
    scale = set(rubric.scale.values)
    out: dict[str, Callable[[Any], bool]] = {}
    for q in rubric.questions:
        if q.answer_type == "ja_nej":
            out[q.id] = lambda v: isinstance(v, bool)
        else:
            out[q.id] = lambda v: isinstance(v, int) and not isinstance(v, bool) and v in scale
        if q.has_scope:
            out[SCOPE_KEY] = lambda v, ok=set(q.weight_by_scope or {}): isinstance(v, str) and v in ok
        if q.frequencies:
            out[FREQUENCY_KEY] = lambda v, ok=set(q.frequencies): isinstance(v, str) and v in ok
    return out


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def problem_text(p: Problem) -> str:
    """An input problem as the form names things: 'Svarande 2 (inköpschef), omfattning för V3.4: …'."""
    where = []
    if p.respondent is not None:
        where.append(f"Svarande {p.respondent}" + (f" ({p.role})" if p.role else ""))
    if p.field:
        where.append(field_label(p.field))
    return f"{', '.join(where)}: {p.message}" if where else p.message


# ---- what is missing -------------------------------------------------------------------------------------


def missing_answers(organisation: str, respondents: list[dict[str, Any]], rubric: Rubric) -> tuple[int, list[str]]:
    """(number of unanswered items, one line per respondent naming them as the form does)."""
    count = 0
    lines = []
    if not organisation.strip():
        count += 1
        lines.append("Organisationens namn")
    for i, r in enumerate(respondents, 1):
        answers = r.get("answers", {})
        missing = [q.id for q in rubric.questions if answers.get(q.id) is None]
        if rubric.scope_question is not None and not answers.get(SCOPE_KEY):
            missing.append(field_label(SCOPE_KEY))
        if not r.get("role", "").strip():
            missing.insert(0, field_label("role"))
        if missing:
            count += len(missing)
            lines.append(f"Svarande {i} ({r.get('role') or 'roll saknas'}): {', '.join(missing)}")
    return count, lines


def assessment_dict(organisation: str, datum: date | None, respondents: list[dict[str, Any]]) -> dict[str, Any]:
    """The questionnaire state as the JSON the CLI reads (`kategori score FILE.json`)."""
    data: dict[str, Any] = {"organisation": organisation.strip(), "respondents": []}
    if datum:
        data["datum"] = datum.isoformat()
    for r in respondents:
        answers = {k: v for k, v in r.get("answers", {}).items() if v is not None and v != ""}
        data["respondents"].append({"role": r.get("role", "").strip(), "answers": answers})
    return data


# ---- result tables ---------------------------------------------------------------------------------------


def area_rows(result: dict[str, Any], rubric: Rubric) -> list[dict[str, Any]]:
    rows = []
    for area in rubric.vertical_areas:
        spread = result["spread"]["axes"].get(area.id, {})
        rows.append({"Område": f"{area.id} {area.name}", "Resultat": format_score(result["areas"][area.id]),
                     "Spann mellan svarande": f"{format_score(spread.get('min', 0))}–"
                                              f"{format_score(spread.get('max', 0))}"})
    return rows


def respondent_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"Svarande": f"{r['index']}. {r['role']}", "Vertikal": format_score(r["vertical"]),
             "Horisontell": format_score(r["horizontal"])} for r in result["respondents"]]


def spread_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Questions where the respondents disagree enough to talk about it (the report's follow-up)."""
    rows = []
    for q in result["spread"]["questions"].values():
        if q.get("flagged"):
            answers = ", ".join(f"{a['role']}: {_answer_text(a)}" for a in q.get("answers", []))
            rows.append({"Fråga": f"{q['id']} {q['short']}", "Svar": answers, "Varför": "; ".join(q.get("reasons", []))})
    return rows


def _answer_text(a: dict[str, Any]) -> str:
    value = a.get("answer")
    if isinstance(value, bool):
        return "ja" if value else "nej"
    scope = a.get("scope")
    return f"{value} ({scope})" if scope else str(value)


def history_rows(entries: list[SavedAssessment], rubric: Rubric) -> list[dict[str, Any]]:
    rows = []
    for i, e in enumerate(entries):
        same = next((f.id for f in entries[:i] if f.same_content(e)), None)
        rows.append({
            "Nr": e.id, "Datum": e.datum.isoformat(), "Sparad": f"{e.saved_at.astimezone():%Y-%m-%d %H:%M}",
            "Svarande": e.n_respondents, "Vertikal": format_score(e.vertical),
            "Horisontell": format_score(e.horizontal),
            **{a.id: format_score(e.areas[a.id]) for a in rubric.vertical_areas if a.id in e.areas},
            "Anmärkning": f"dubblett av nr {same}" if same is not None else "",
        })
    return rows


def comparison_rows(cmp: Comparison, rubric: Rubric) -> list[dict[str, str]]:
    names = {"vertical": "Vertikal axel (ledningen)", "horizontal": "Horisontell axel (verksamheten)",
             **{a.id: f"{a.id} {a.name}" for a in rubric.vertical_areas}}
    return [{"Mått": names[key], "Förra": format_score(d.previous), "Nu": format_score(d.current),
             "Förändring": signed(d.change)} for key, d in {**cmp.axes, **cmp.areas}.items()]


def export_file_name(organisation: str, datum: date | None, suffix: str) -> str:
    slug = "-".join((organisation or "organisation").split()) or "organisation"
    slug = "".join(ch for ch in slug if ch.isalnum() or ch in "-_")
    return f"ambitionsgraf-{slug}-{datum or date.today()}.{suffix}"
