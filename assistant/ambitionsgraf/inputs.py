"""Validating an assessment against the rubric: every problem is collected and reported at once, in
Swedish, naming the respondent, the id and what is allowed, so a user fixes the file in one pass."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from assistant.ambitionsgraf.models import Assessment, Problem, Respondent
from assistant.ambitionsgraf.rubric import FREQUENCY_KEY, SCOPE_KEY, Question, Rubric, load_rubric
from assistant.errors import InputError

_TOP_KEYS = ("organisation", "respondents", "datum")
MAX_FILE_BYTES = 10_000_000
_RESPONDENT_KEYS = ("role", "answers")
# Marks keys that occurred more than once in one JSON object (json.loads silently keeps the last).
_DUPLICATES = "\x00duplicates"


class AssessmentInputError(InputError):
    """Bad assessment input. `problems` lists each problem for a UI; `str()` is the full message."""

    def __init__(self, problems: list[Problem], source: str | None = None):
        self.problems = problems
        self.source = source
        where = f" i {source}" if source else ""
        if len(problems) == 1:
            head = f"Bedömningen{where} har ett fel, så ingenting har räknats ut:"
        else:
            head = f"Bedömningen{where} har {len(problems)} fel, så ingenting har räknats ut:"
        super().__init__("\n".join([head, *(f"  • {p}" for p in problems)]))


def read_assessment_file(path: Path | str, rubric: Rubric | None = None) -> Assessment:
    """Read and validate an assessment JSON file."""
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES and path.is_file():
            raise AssessmentInputError([Problem(
                message=f"Filen {path} är {size / 1_000_000:.0f} MB; en bedömning är några kB och största tillåtna "
                        f"storlek är {MAX_FILE_BYTES // 1_000_000} MB. Kontrollera att det är rätt fil.")])
        text = path.read_bytes()
    except FileNotFoundError:
        raise AssessmentInputError([Problem(message=f"Filen {path} finns inte.")]) from None
    except IsADirectoryError:
        raise AssessmentInputError([Problem(message=f"{path} är en mapp – ange en JSON-fil.")]) from None
    except OSError as err:
        raise AssessmentInputError([Problem(message=f"Filen {path} kunde inte läsas ({err.strerror}).")]) from None
    return parse_assessment(text, rubric, source=source)


def parse_assessment(data: dict[str, Any] | str | bytes, rubric: Rubric | None = None, *,
                     source: str | None = None) -> Assessment:
    """Validate `data` (a dict, or JSON text) and return an `Assessment`.

    Raises `AssessmentInputError` (an `InputError`, exit code 2) listing every problem."""
    rubric = rubric or load_rubric()
    if isinstance(data, bytes | str):
        data = load_json(data, source)
    problems = find_problems(data, rubric)
    if problems:
        raise AssessmentInputError(problems, source)
    return Assessment(
        organisation=data["organisation"].strip(),
        datum=date.fromisoformat(data["datum"]) if data.get("datum") is not None else None,
        respondents=[
            Respondent(
                role=r["role"].strip(),
                answers={k: v for k, v in r["answers"].items() if not (k == FREQUENCY_KEY and v is None)},
            )
            for r in data["respondents"]
        ],
    )


def check_assessment(assessment: Assessment, rubric: Rubric) -> None:
    """Re-validate an `Assessment` built by hand (not via parse_assessment) against `rubric`."""
    problems = find_problems(assessment.to_input(), rubric)
    if problems:
        raise AssessmentInputError(problems)


def load_json(text: str | bytes, source: str | None = None) -> Any:
    """Parse assessment JSON (UTF-8, with or without BOM); raises `AssessmentInputError` in Swedish."""
    def fail(message: str) -> AssessmentInputError:
        return AssessmentInputError([Problem(message=message)], source)

    if isinstance(text, bytes):
        if text.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise fail("Indata är UTF-16-kodad – spara filen som UTF-8 JSON (i Anteckningar: Spara som › "
                       "Kodning: UTF-8).")
        try:
            text = text.decode("utf-8-sig")  # Windows editors write a byte-order mark first
        except UnicodeDecodeError as err:
            raise fail(f"Indata är inte UTF-8-kodad text (ogiltig byte på position {err.start}) – spara filen "
                       "som UTF-8 JSON.") from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise fail("Indata är tom – förväntade ett JSON-objekt.")
    try:
        return json.loads(text, object_pairs_hook=_pairs)
    except json.JSONDecodeError as err:
        raise fail(f"Ogiltig JSON på rad {err.lineno}, kolumn {err.colno}: {_json_reason(err.msg)}.") from None
    except RecursionError:
        raise fail("JSON-strukturen är för djupt nästlad för att vara en bedömning – en bedömning har bara "
                   "tre nivåer (organisation › svarande › svar).") from None
    except ValueError as err:  # e.g. an integer with more digits than Python converts
        raise fail(f"Ogiltig JSON: ett värde kan inte läsas ({_json_reason(str(err))}).") from None


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    dupes: list[str] = []
    for key, value in pairs:
        if key in out and key not in dupes:
            dupes.append(key)
        out[key] = value
    if dupes:
        out[_DUPLICATES] = dupes
    return out


_JSON_REASONS = {
    "Expecting value": "ett värde saknas",
    "Expecting property name enclosed in double quotes": "en nyckel ska stå inom dubbla citattecken "
    "(eller så finns ett kommatecken för mycket)",
    "Expecting ',' delimiter": "ett kommatecken saknas",
    "Expecting ':' delimiter": "ett kolon saknas",
    "Extra data": "text efter JSON-objektets slut",
    "Unterminated string starting at": "en sträng saknar avslutande citattecken",
    "Invalid control character": "en sträng innehåller ett otillåtet styrtecken (t.ex. en radbrytning)",
    "Invalid \\escape": "en sträng innehåller en ogiltig \\-kod",
    "Invalid \\uXXXX escape": "en sträng innehåller en ogiltig \\u-kod",
    "Exceeds the limit": "ett heltal har fler siffror än vad som kan läsas",
}


def _json_reason(msg: str) -> str:
    return next((sv for en, sv in _JSON_REASONS.items() if msg.startswith(en)), msg)


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "heltal"
    if isinstance(value, float):
        return "decimaltal"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "lista"
    if isinstance(value, dict):
        return "objekt"
    return type(value).__name__


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, dict | list) else _type_name(value)


def _what(value: Any) -> str:
    """'text "3"', 'decimaltal 2.5', 'null', 'lista' – the offending value as the user wrote it."""
    if value is None or isinstance(value, dict | list):
        return _type_name(value)
    return f"{_type_name(value)} {_show(value)}"


def allowed_ids_text(rubric: Rubric) -> str:
    """'V1.1–V1.5, V2.1–V2.4, V3.1–V3.5, H1–H5 samt V3.4_omfattning och V3.5_frekvens'."""
    ranges = []
    for area in rubric.areas:
        ids = [q.id for q in area.questions]
        ranges.append(ids[0] if len(ids) == 1 else f"{ids[0]}–{ids[-1]}")
    extra = [k for k, q in ((SCOPE_KEY, rubric.scope_question), (FREQUENCY_KEY, rubric.frequency_question)) if q]
    return ", ".join(ranges) + (f" samt {' och '.join(extra)}" if extra else "")


def _allowed(q: Question, rubric: Rubric) -> str:
    if q.answer_type == "ja_nej":
        pts = q.points or {}
        return f"tillåtet är true (ja, {pts['ja']} poäng) eller false (nej, {pts['nej']} poäng)"
    values = rubric.scale.values
    return f"tillåtet är ett heltal {values[0]}–{values[-1]} ({rubric.scale.describe()})"


def _check_answer(q: Question, value: Any, rubric: Rubric) -> str | None:
    if q.answer_type == "ja_nej":
        if isinstance(value, bool):
            return None
        return f"fel typ ({_what(value)}) – {_allowed(q, rubric)}."
    if isinstance(value, bool) or not isinstance(value, int):
        return f"fel typ ({_what(value)}) – {_allowed(q, rubric)}."
    if value not in rubric.scale.values:
        return f"värdet {value} ligger utanför skalan – {_allowed(q, rubric)}."
    return None


def _scope_text(q: Question) -> str:
    w = q.weight_by_scope or {}
    return (f'tillåtet är "delar" (delar av inköpsportföljen, vikt {_num(w["delar"])}) eller '
            f'"hela" (hela inköpsportföljen, vikt {_num(w["hela"])})')


def _num(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def _unencodable(data: Any) -> str | None:
    """Why `data` cannot be stored or printed as UTF-8 text (a lone surrogate from "\\ud800"), or None."""
    try:
        json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
    except RecursionError:
        return "strukturen är för djupt nästlad för att vara en bedömning"
    except UnicodeEncodeError as err:
        return f"en text innehåller ett ogiltigt tecken (\\u{ord(err.object[err.start]):04x}, ett ensamt surrogattecken)"
    except (TypeError, ValueError):
        return "ett värde eller en nyckel har en typ som JSON inte kan uttrycka"
    return None


def find_problems(data: Any, rubric: Rubric) -> list[Problem]:
    """Every problem in `data` (parsed JSON) relative to `rubric`; empty when it is valid."""
    if not isinstance(data, dict):
        return [Problem(message=f"Bedömningen ska vara ett JSON-objekt med nycklarna organisation och "
                                f"respondents, inte {_type_name(data)}.")]
    reason = _unencodable(data)
    if reason:
        return [Problem(message=f"Bedömningen kan inte läsas: {reason}.")]
    problems: list[Problem] = []
    for key in data.get(_DUPLICATES, []):
        problems.append(Problem(field=key, message="nyckeln förekommer flera gånger – ange den en gång."))
    for key in data:
        if key not in _TOP_KEYS and key != _DUPLICATES:
            problems.append(Problem(field=key, message="okänd nyckel – tillåtna nycklar är organisation, "
                                                       "respondents och datum (valfri)."))
    org = data.get("organisation")
    if "organisation" not in data:
        problems.append(Problem(field="organisation", message="saknas – ange organisationens namn som text."))
    elif not isinstance(org, str) or not org.strip():
        problems.append(Problem(field="organisation",
                                message=f"ska vara organisationens namn som icke-tom text, inte {_show(org)}."))
    datum = data.get("datum")
    if datum is not None:
        try:
            if not isinstance(datum, str):
                raise ValueError
            date.fromisoformat(datum)
        except ValueError:
            problems.append(Problem(field="datum", message=f"{_show(datum)} är inget datum – ange ÅÅÅÅ-MM-DD, "
                                                          "t.ex. \"2025-03-31\", eller utelämna nyckeln."))
    respondents = data.get("respondents")
    if "respondents" not in data:
        problems.append(Problem(field="respondents", message="saknas – ange en lista med minst en svarande."))
    elif not isinstance(respondents, list):
        problems.append(Problem(field="respondents",
                                message=f"ska vara en lista med svarande, inte {_type_name(respondents)}."))
    elif not respondents:
        problems.append(Problem(field="respondents",
                                message="listan är tom – minst en svarande behövs för att räkna ut en punkt."))
    else:
        for i, resp in enumerate(respondents, start=1):
            problems += _respondent_problems(i, resp, rubric)
    return problems


def _respondent_problems(i: int, resp: Any, rubric: Rubric) -> list[Problem]:
    if not isinstance(resp, dict):
        return [Problem(respondent=i, message=f"ska vara ett objekt med role och answers, inte {_type_name(resp)}.")]
    role = resp.get("role")
    role_name = role.strip() if isinstance(role, str) and role.strip() else None
    out: list[Problem] = []

    def add(field: str | None, message: str) -> None:
        out.append(Problem(respondent=i, role=role_name, field=field, message=message))

    for key in resp.get(_DUPLICATES, []):
        add(key, "nyckeln förekommer flera gånger – ange den en gång.")
    for key in resp:
        if key not in _RESPONDENT_KEYS and key != _DUPLICATES:
            add(key, "okänd nyckel – en svarande har bara role och answers.")
    if role_name is None:
        roles = ", ".join(rubric.roles.names)
        what = "saknas" if "role" not in resp else f"ska vara icke-tom text, inte {_show(role)}"
        add("role", f"{what} – ange den svarandes roll, t.ex. {roles}.")
    answers = resp.get("answers")
    if not isinstance(answers, dict):
        what = "saknas" if "answers" not in resp else f"ska vara ett objekt, inte {_type_name(answers)}"
        add("answers", f"{what} – ange svaren som {{\"V1.1\": true, \"V1.2\": 3, …}} med id:n "
                       f"{allowed_ids_text(rubric)}.")
        return out

    for key in answers.get(_DUPLICATES, []):
        add(key, "id:t förekommer flera gånger – ange varje svar en gång.")
    known = set(rubric.question_ids)
    scope_q, freq_q = rubric.scope_question, rubric.frequency_question
    extra_keys = {k for k, q in ((SCOPE_KEY, scope_q), (FREQUENCY_KEY, freq_q)) if q}
    for q in rubric.questions:
        if q.id not in answers:
            add(q.id, f"svar saknas – {_allowed(q, rubric)}.")
        else:
            msg = _check_answer(q, answers[q.id], rubric)
            if msg:
                add(q.id, msg)
    if scope_q is not None:
        scope = answers.get(SCOPE_KEY)
        if SCOPE_KEY not in answers:
            add(SCOPE_KEY, f"saknas (krävs för {scope_q.id}) – {_scope_text(scope_q)}.")
        elif not isinstance(scope, str) or scope not in (scope_q.weight_by_scope or {}):
            add(SCOPE_KEY, f"{_show(scope)} är inte tillåtet – {_scope_text(scope_q)}.")
    if freq_q is not None and answers.get(FREQUENCY_KEY) is not None:
        freq = answers[FREQUENCY_KEY]
        if freq not in (freq_q.frequencies or []):
            allowed = ", ".join(f'"{f}"' for f in freq_q.frequencies or [])
            add(FREQUENCY_KEY, f"{_show(freq)} är inte tillåtet – valfri; tillåtet är {allowed} eller att "
                               "utelämna nyckeln.")
    lower = {k.lower(): k for k in [*known, *extra_keys]}
    for key in answers:
        if key in known or key in extra_keys or key == _DUPLICATES:
            continue
        hint = f" Menade du {lower[key.strip().lower()]}?" if key.strip().lower() in lower else ""
        add(key, f"okänt id – tillåtna id är {allowed_ids_text(rubric)}.{hint}")
    return out


def duplicate_respondents(assessment: Assessment) -> list[str]:
    """A Swedish warning for each group of respondents with exactly the same answers: usually the same
    person entered twice, which would count their view twice in the organisation's point."""
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(assessment.respondents, start=1):
        groups.setdefault(json.dumps(r.answers, sort_keys=True, ensure_ascii=False), []).append(i)
    out = []
    for numbers in groups.values():
        if len(numbers) > 1:
            who = [f"{n} ({assessment.respondents[n - 1].role})" for n in numbers]
            names = ", ".join(who[:-1]) + " och " + who[-1]
            out.append(f"Svarande {names} har exakt samma svar på alla frågor. Kontrollera att ingen har "
                       "matats in två gånger – alla räknas med i organisationens punkt.")
    return out
