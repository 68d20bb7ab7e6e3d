"""Saved assessments in a local SQLite database, so an organisation can see how it moves over time.

The full result (and the input, when given) is stored as JSON next to the headline numbers, so an old
assessment can be shown or recomputed exactly as it was, even after the rubric changes.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

from pydantic import BaseModel, ValidationError

from assistant.ambitionsgraf.models import Assessment, Evaluation, ScoreResult
from assistant.config import Settings, get_settings
from assistant.errors import InputError, KategoriError

HISTORY_FILE = "ambitionsgraf.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS assessments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation TEXT NOT NULL,
    organisation_key TEXT NOT NULL,
    datum TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    rubric_version TEXT NOT NULL,
    vertical REAL NOT NULL,
    horizontal REAL NOT NULL,
    result_json TEXT NOT NULL,
    input_json TEXT
);
CREATE INDEX IF NOT EXISTS assessments_org ON assessments (organisation_key, datum, saved_at, id);
"""


def organisation_key(name: str) -> str:
    """Names match case-insensitively and regardless of extra spaces ('Exempel  kommun' = 'exempel kommun')."""
    return " ".join(name.split()).casefold()


class SavedAssessment(BaseModel):
    id: int
    organisation: str
    datum: date
    saved_at: datetime
    rubric_version: str
    n_respondents: int
    roles: list[str]
    vertical: float
    horizontal: float
    areas: dict[str, float]
    question_means: dict[str, float]


class Delta(BaseModel):
    previous: float
    current: float
    change: float


class Comparison(BaseModel):
    organisation: str
    current: SavedAssessment
    previous: SavedAssessment | None
    axes: dict[str, Delta]
    areas: dict[str, Delta]
    questions: dict[str, Delta]
    rubric_changed: bool


def _delta(previous: float, current: float) -> Delta:
    return Delta(previous=previous, current=current, change=current - previous)


class HistoryStore:
    """`HistoryStore(path)`; `HistoryStore.default()` uses `<data_dir>/ambitionsgraf.sqlite`."""

    def __init__(self, path: Path | str):
        self.path = Path(path)

    @classmethod
    def default(cls, settings: Settings | None = None) -> HistoryStore:
        return cls((settings or get_settings()).data_dir / HISTORY_FILE)

    # -- connection -----------------------------------------------------------------------------------

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if not self.path.exists():
            if not create:
                return None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise KategoriError(f"Kunde inte skapa mappen {self.path.parent} för historiken ({err.strerror}).") \
                    from None
        try:
            conn = sqlite3.connect(self.path)
            conn.executescript(_SCHEMA)
            return conn
        except sqlite3.Error as err:
            raise KategoriError(f"Historikdatabasen {self.path} kunde inte öppnas ({err}).") from None

    # -- writing --------------------------------------------------------------------------------------

    def save(self, result: ScoreResult, assessment: Assessment | None = None) -> SavedAssessment:
        """Store `result` (and the input it came from, if given); returns the saved entry."""
        saved_at = datetime.now(UTC).replace(microsecond=0)
        datum = result.datum or saved_at.astimezone().date()
        conn = self._connect(create=True)
        assert conn is not None
        try:
            with closing(conn), conn:
                cur = conn.execute(
                    "INSERT INTO assessments (organisation, organisation_key, datum, saved_at, rubric_version,"
                    " vertical, horizontal, result_json, input_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        result.organisation, organisation_key(result.organisation), datum.isoformat(),
                        saved_at.isoformat(), result.rubric_version, result.vertical, result.horizontal,
                        result.model_dump_json(),
                        json.dumps(assessment.to_input(), ensure_ascii=False) if assessment else None,
                    ),
                )
                new_id = cur.lastrowid
        except sqlite3.Error as err:
            raise KategoriError(f"Bedömningen kunde inte sparas i {self.path} ({err}).") from None
        return next(e for e in self.list(result.organisation) if e.id == new_id)

    # -- reading --------------------------------------------------------------------------------------

    def _rows(self, where: str = "", params: tuple = ()) -> list[tuple]:
        conn = self._connect(create=False)
        if conn is None:
            return []
        try:
            with closing(conn):
                return conn.execute(
                    "SELECT id, organisation, datum, saved_at, rubric_version, result_json FROM assessments "
                    f"{where} ORDER BY datum, saved_at, id",
                    params,
                ).fetchall()
        except sqlite3.Error as err:
            raise KategoriError(f"Historikdatabasen {self.path} kunde inte läsas ({err}).") from None

    @staticmethod
    def _entry(row: tuple) -> SavedAssessment:
        id_, organisation, datum, saved_at, version, result_json = row
        result = ScoreResult.model_validate_json(result_json)
        return SavedAssessment(
            id=id_,
            organisation=organisation,
            datum=date.fromisoformat(datum),
            saved_at=datetime.fromisoformat(saved_at),
            rubric_version=version,
            n_respondents=result.n_respondents,
            roles=[r.role for r in result.respondents],
            vertical=result.vertical,
            horizontal=result.horizontal,
            areas=result.areas,
            question_means={qid: st.mean for qid, st in result.spread.questions.items()},
        )

    def list(self, organisation: str | None = None) -> list[SavedAssessment]:
        """Saved assessments, oldest first (by assessment date, then save time); all or one organisation's."""
        if organisation is None:
            rows = self._rows()
        else:
            rows = self._rows("WHERE organisation_key = ?", (organisation_key(organisation),))
        return [self._entry(r) for r in rows]

    def organisations(self) -> list[str]:
        """Each saved organisation once, under the name it was last saved with."""
        names: dict[str, str] = {}
        for entry in sorted(self.list(), key=lambda e: (e.saved_at, e.id)):
            names[organisation_key(entry.organisation)] = entry.organisation
        return sorted(names.values(), key=str.casefold)

    def get(self, entry_id: int) -> ScoreResult:
        """The full stored result of one saved assessment (an `Evaluation`, with the advice as it was given,
        when one was saved)."""
        rows = self._rows("WHERE id = ?", (entry_id,))
        if not rows:
            raise InputError(f"Det finns ingen sparad bedömning med id {entry_id}.")
        try:
            return Evaluation.model_validate_json(rows[0][5])
        except ValidationError:
            return ScoreResult.model_validate_json(rows[0][5])

    def compare(self, organisation: str) -> Comparison:
        """How the latest assessment of `organisation` moved since the one before it."""
        entries = self.list(organisation)
        if not entries:
            known = self.organisations()
            hint = (f" Sparade organisationer: {', '.join(known)}." if known
                    else " Inga bedömningar är sparade ännu – spara med kategori score FIL --save.")
            raise InputError(f"Det finns ingen sparad bedömning för \"{organisation}\".{hint}")
        current = entries[-1]
        previous = entries[-2] if len(entries) > 1 else None
        if previous is None:
            return Comparison(organisation=current.organisation, current=current, previous=None, axes={}, areas={},
                              questions={}, rubric_changed=False)
        return Comparison(
            organisation=current.organisation,
            current=current,
            previous=previous,
            axes={
                "vertical": _delta(previous.vertical, current.vertical),
                "horizontal": _delta(previous.horizontal, current.horizontal),
            },
            areas={k: _delta(previous.areas[k], v) for k, v in current.areas.items() if k in previous.areas},
            questions={
                k: _delta(previous.question_means[k], v)
                for k, v in current.question_means.items() if k in previous.question_means
            },
            rubric_changed=previous.rubric_version != current.rubric_version,
        )
