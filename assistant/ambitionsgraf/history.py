"""Saved assessments in a local SQLite database, so an organisation can see how it moves over time.

The full result (and the input, when given) is stored as JSON next to the headline numbers, so an old
assessment can be shown or recomputed exactly as it was, even after the rubric changes.

A damaged database or row never turns into a traceback: it is reported in Swedish with the row's id
and what to do, and it is never modified except by an explicit `delete`.
"""

from __future__ import annotations

import hashlib
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
_COLUMNS = "id, organisation, datum, saved_at, rubric_version, result_json"


class HistoryError(KategoriError):
    """The history database or one of its rows cannot be read or written. `entry_id` names a damaged row."""

    def __init__(self, message: str, entry_id: int | None = None, reason: str | None = None):
        super().__init__(message)
        self.entry_id = entry_id
        self.reason = reason


_SQLITE_REASONS = {
    "not a database": "filen är ingen SQLite-databas",
    "malformed": "databasen är skadad",
    "locked": "databasen är låst av ett annat program just nu – försök igen om en stund",
    "readonly": "databasen är skrivskyddad",
    "disk is full": "disken är full",
    "disk i/o": "läs- eller skrivfel på disken",
    "no such column": "tabellen har inte det format som verktyget använder",
    "no such table": "tabellen har inte det format som verktyget använder",
}


def _sqlite_reason(err: sqlite3.Error) -> str:
    text = str(err).lower()
    return next((sv for en, sv in _SQLITE_REASONS.items() if en in text), f"SQLite: {err}")


def organisation_key(name: str) -> str:
    """Names match case-insensitively and regardless of extra spaces ('Exempel  kommun' = 'exempel kommun')."""
    return " ".join(name.split()).casefold()


def fingerprint(result: ScoreResult) -> str:
    """Identifies an assessment's content: organisation, rubric version and every respondent's role and
    answers (in any order). Two saves of the same form have the same fingerprint."""
    respondents = sorted(json.dumps([r.role, r.answers], sort_keys=True, ensure_ascii=False)
                         for r in result.respondents)
    payload = json.dumps([organisation_key(result.organisation), result.rubric_version, respondents],
                         ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Snapshot(BaseModel):
    """The headline numbers of one assessment, saved or not."""

    organisation: str
    datum: date | None
    rubric_version: str
    n_respondents: int
    roles: list[str]
    vertical: float
    horizontal: float
    areas: dict[str, float]
    question_means: dict[str, float]
    fingerprint: str


class SavedAssessment(Snapshot):
    id: int
    datum: date
    saved_at: datetime

    def same_content(self, other: Snapshot) -> bool:
        """Same date and the same answers: saving `other` again would only add a duplicate."""
        return self.datum == other.datum and self.fingerprint == other.fingerprint


def snapshot(result: ScoreResult) -> Snapshot:
    return Snapshot(
        organisation=result.organisation,
        datum=result.datum,
        rubric_version=result.rubric_version,
        n_respondents=result.n_respondents,
        roles=[r.role for r in result.respondents],
        vertical=result.vertical,
        horizontal=result.horizontal,
        areas=result.areas,
        question_means={qid: st.mean for qid, st in result.spread.questions.items()},
        fingerprint=fingerprint(result),
    )


class Delta(BaseModel):
    previous: float
    current: float
    change: float


class Comparison(BaseModel):
    organisation: str
    current: Snapshot
    previous: SavedAssessment | None
    axes: dict[str, Delta]
    areas: dict[str, Delta]
    questions: dict[str, Delta]
    rubric_changed: bool

    @property
    def unchanged(self) -> bool:
        """No axis, area or question moved (to the second decimal shown)."""
        return all(round(d.change, 2) == 0 for d in [*self.axes.values(), *self.areas.values(),
                                                       *self.questions.values()])


def _delta(previous: float, current: float) -> Delta:
    return Delta(previous=previous, current=current, change=current - previous)


def compare(current: Snapshot, entries: list[SavedAssessment]) -> Comparison:
    """`current` against the latest saved assessment before it: not later than its date, not itself and
    not a duplicate of it (a duplicate would only show ±0 everywhere)."""
    def order(e: SavedAssessment) -> tuple:
        return e.datum, e.saved_at, e.id

    def before(e: SavedAssessment) -> bool:
        if isinstance(current, SavedAssessment):  # saved: strictly earlier in the history's order
            return order(e) < order(current)
        return current.datum is None or e.datum <= current.datum  # not saved: not dated after it

    candidates = [e for e in entries if before(e) and not e.same_content(current)]
    previous = max(candidates, key=order, default=None)
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


def earlier(result: ScoreResult, entries: list[SavedAssessment]) -> list[SavedAssessment]:
    """The saved assessments dated before `result` (an undated result counts as today's): the chart's trail."""
    datum = result.datum or datetime.now(UTC).astimezone().date()
    return [e for e in entries if e.datum < datum]


class HistoryStore:
    """`HistoryStore(path)`; `HistoryStore.default()` uses `<data_dir>/ambitionsgraf.sqlite`."""

    def __init__(self, path: Path | str):
        self.path = Path(path)

    @classmethod
    def default(cls, settings: Settings | None = None) -> HistoryStore:
        return cls((settings or get_settings()).data_dir / HISTORY_FILE)

    # -- connection -----------------------------------------------------------------------------------

    def _unreadable(self, err: sqlite3.Error) -> HistoryError:
        reason = _sqlite_reason(err)
        if "locked" in str(err).lower():
            return HistoryError(f"Historikdatabasen {self.path} kunde inte användas: {reason}.")
        return HistoryError(
            f"Historikdatabasen {self.path} kunde inte läsas: {reason}. Filen har inte ändrats. Flytta den åt "
            "sidan eller byt namn på den, så skapas en ny, tom historik nästa gång en bedömning sparas."
        )

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        """A connection, or None when there is nothing to read yet. Only writing creates the file and
        the table, so reading never changes a database it cannot understand."""
        if not self.path.exists():
            if not create:
                return None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise HistoryError(f"Kunde inte skapa mappen {self.path.parent} för historiken ({err.strerror}).") \
                    from None
        if self.path.is_dir():
            raise HistoryError(f"Historikdatabasen {self.path} är en mapp, inte en fil.")
        try:
            conn = sqlite3.connect(self.path)
        except sqlite3.Error as err:
            raise HistoryError(f"Historikdatabasen {self.path} kunde inte öppnas: {_sqlite_reason(err)}.") from None
        try:
            if create:
                conn.executescript(_SCHEMA)
            elif conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'assessments'"
                              ).fetchone() is None:
                conn.close()
                return None
        except sqlite3.DatabaseError as err:
            conn.close()
            raise self._unreadable(err) from None
        return conn

    # -- writing --------------------------------------------------------------------------------------

    def save(self, result: ScoreResult, assessment: Assessment | None = None) -> SavedAssessment:
        """Store `result` (and the input it came from, if given); returns the saved entry.

        Saves even when the same content is saved already; callers ask first with `duplicates`."""
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
        except sqlite3.DatabaseError as err:
            raise HistoryError(f"Bedömningen kunde inte sparas i {self.path}: {_sqlite_reason(err)}. Ingenting "
                               "har sparats.") from None
        return self._entry(self._rows("WHERE id = ?", (new_id,))[0])

    def delete(self, entry_id: int) -> str:
        """Remove one saved assessment (also a damaged one); returns a Swedish line saying which."""
        conn = self._connect(create=False)
        row = None
        if conn is not None:
            try:
                with closing(conn), conn:
                    row = conn.execute("SELECT organisation, datum FROM assessments WHERE id = ?",
                                       (entry_id,)).fetchone()
                    if row is not None:
                        conn.execute("DELETE FROM assessments WHERE id = ?", (entry_id,))
            except sqlite3.DatabaseError as err:
                raise self._unreadable(err) from None
        if row is None:
            raise InputError(f"Det finns ingen sparad bedömning med nummer {entry_id}.")
        return f"Bedömning {entry_id} ({row[0]}, {row[1]}) är borttagen ur historiken."

    # -- reading --------------------------------------------------------------------------------------

    def _rows(self, where: str = "", params: tuple = ()) -> list[tuple]:
        conn = self._connect(create=False)
        if conn is None:
            return []
        try:
            with closing(conn):
                return conn.execute(
                    f"SELECT {_COLUMNS} FROM assessments {where} ORDER BY datum, saved_at, id", params,
                ).fetchall()
        except sqlite3.DatabaseError as err:
            raise self._unreadable(err) from None

    def _entry(self, row: tuple) -> SavedAssessment:
        id_, organisation, datum, saved_at, version, result_json = row
        try:
            result = ScoreResult.model_validate_json(result_json)
            return SavedAssessment(
                **snapshot(result).model_dump(exclude={"organisation", "datum", "rubric_version"}),
                id=id_,
                organisation=organisation,
                datum=date.fromisoformat(datum),
                saved_at=datetime.fromisoformat(saved_at),
                rubric_version=version,
            )
        except (ValidationError, ValueError, TypeError) as err:
            reason = _reason(err)
            raise HistoryError(
                f"Bedömning {id_} ({organisation}) i historikdatabasen {self.path} är skadad och kan inte "
                f"läsas ({reason}). Ta bort den med kategori score --delete {id_} eller i appen, eller "
                "flytta databasen åt sidan.",
                entry_id=id_, reason=reason,
            ) from None

    def list(self, organisation: str | None = None) -> list[SavedAssessment]:
        """Saved assessments, oldest first (by assessment date, then save time); all or one organisation's.
        Raises `HistoryError` naming the first damaged row."""
        entries, damaged = self.scan(organisation)
        if len(damaged) == 1:
            raise damaged[0]
        if damaged:
            which = "; ".join(f"nummer {d.entry_id}: {d.reason}" for d in sorted(damaged, key=lambda d: d.entry_id))
            raise HistoryError(f"{len(damaged)} sparade bedömningar i historikdatabasen {self.path} är skadade och kan "
                               f"inte läsas ({which}). Ta bort dem med kategori score --delete NR eller i appen, "
                               "eller flytta databasen åt sidan.")
        return entries

    def scan(self, organisation: str | None = None) -> tuple[list[SavedAssessment], list[HistoryError]]:
        """Like `list`, but damaged rows come back as errors beside the readable entries (so a UI can
        show the rest and offer to delete the damaged ones)."""
        if organisation is None:
            rows = self._rows()
        else:
            rows = self._rows("WHERE organisation_key = ?", (organisation_key(organisation),))
        entries, damaged = [], []
        for row in rows:
            try:
                entries.append(self._entry(row))
            except HistoryError as err:
                damaged.append(err)
        return entries, damaged

    def organisations(self) -> list[str]:
        """Each saved organisation once, under the name it was last saved with."""
        names: dict[str, tuple[str, int]] = {}
        for id_, organisation, *_ in self._rows():
            key = organisation_key(organisation)
            if key not in names or id_ > names[key][1]:
                names[key] = (organisation, id_)
        return sorted((n for n, _ in names.values()), key=str.casefold)

    def duplicates(self, result: ScoreResult) -> list[SavedAssessment]:
        """Saved assessments with the same date and the same answers as `result` (undated results count as
        today's, as `save` would date them)."""
        current = snapshot(result)
        if current.datum is None:
            current.datum = datetime.now(UTC).astimezone().date()
        entries, _ = self.scan(result.organisation)
        return [e for e in entries if e.same_content(current)]

    def get(self, entry_id: int) -> ScoreResult:
        """The full stored result of one saved assessment (an `Evaluation`, with the advice as it was given,
        when one was saved)."""
        rows = self._rows("WHERE id = ?", (entry_id,))
        if not rows:
            raise InputError(f"Det finns ingen sparad bedömning med nummer {entry_id}.")
        self._entry(rows[0])  # raises a HistoryError naming the row if it is damaged
        try:
            return Evaluation.model_validate_json(rows[0][5])
        except ValidationError:
            return ScoreResult.model_validate_json(rows[0][5])

    def compare(self, organisation: str) -> Comparison:
        """How the latest assessment of `organisation` moved since the one before it (skipping duplicates)."""
        entries = self.list(organisation)
        if not entries:
            known = self.organisations()
            hint = (f" Sparade organisationer: {', '.join(known)}." if known
                    else " Inga bedömningar är sparade ännu – spara med kategori score FIL --save.")
            raise InputError(f"Det finns ingen sparad bedömning för \"{organisation}\".{hint}")
        return compare(entries[-1], entries)


def _reason(err: Exception) -> str:
    if isinstance(err, ValidationError):
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        if first["type"] == "json_invalid":
            return "det sparade resultatet är inte giltig JSON"
        return f"fältet {where} i det sparade resultatet är fel" if where else "det sparade resultatet är fel"
    if isinstance(err, ValueError) and "isoformat" in str(err):
        return f"datumet är inget giltigt datum: {str(err).split(':', 1)[-1].strip()}"
    return "ett värde har fel typ"
