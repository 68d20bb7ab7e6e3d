"""Saved conversations: SQLite in the data directory, one owner per conversation (a browser's session
cookie, or the signed-in user). Plain Python, no Streamlit.

Every turn is written when it happens, so a reload, a closed tab or a restarted server loses nothing.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from assistant.answers.models import Answer
from assistant.errors import KategoriError

TITLE_LENGTH = 70

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_owner ON conversations (owner, updated_at);
CREATE TABLE IF NOT EXISTS turns (
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    answer_json TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (conversation_id, position)
);
"""


class StoreError(KategoriError):
    """The conversation database cannot be read or written."""


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str
    answer: Answer | None = None  # the full answer with citations; None for questions and error messages


class ConversationSummary(BaseModel):
    id: str
    title: str
    updated_at: datetime
    turns: int


class Conversation(BaseModel):
    id: str
    title: str
    created_at: datetime
    turns: list[Turn]


def conversation_title(question: str) -> str:
    words = " ".join(question.split())
    if len(words) <= TITLE_LENGTH:
        return words
    return words[: TITLE_LENGTH - 1].rsplit(" ", 1)[0] + " …"


def new_id() -> str:
    """Unguessable: a conversation id in a URL must not let anyone find someone else's conversations."""
    return secrets.token_urlsafe(12)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ConversationStore:
    def __init__(self, path: Path):
        self.path = path

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(self.path, timeout=15)
        except (OSError, sqlite3.Error) as err:
            raise StoreError(f"Samtalsdatabasen {self.path} kan inte öppnas ({err}).") from None
        try:
            con.execute("PRAGMA foreign_keys = ON")
            con.executescript(_SCHEMA)
            with con:
                yield con
        except sqlite3.DatabaseError as err:
            raise StoreError(
                f"Samtalsdatabasen {self.path} kan inte läsas eller skrivas ({err}). Samtalet finns kvar på "
                "sidan men sparas inte; flytta filen åt sidan för att börja om med en tom databas."
            ) from None
        finally:
            con.close()

    def create(self, owner: str, first_question: str) -> str:
        conv_id = new_id()
        now = _now()
        with self._db() as db:
            db.execute("INSERT INTO conversations VALUES (?, ?, ?, ?, ?)",
                       (conv_id, owner, conversation_title(first_question), now, now))
        return conv_id

    def append(self, owner: str, conv_id: str, turn: Turn) -> None:
        now = _now()
        answer = turn.answer.model_dump_json() if turn.answer is not None else None
        with self._db() as db:
            if not db.execute("SELECT 1 FROM conversations WHERE id = ? AND owner = ?", (conv_id, owner)).fetchone():
                raise StoreError("Samtalet finns inte längre (det kan ha tagits bort i en annan flik).")
            (position,) = db.execute("SELECT COUNT(*) FROM turns WHERE conversation_id = ?", (conv_id,)).fetchone()
            db.execute("INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?)",
                       (conv_id, position, turn.role, turn.content, answer, now))
            db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conv_id))

    def list(self, owner: str, limit: int = 100) -> list[ConversationSummary]:
        with self._db() as db:
            rows = db.execute(
                "SELECT c.id, c.title, c.updated_at, COUNT(t.position) FROM conversations c "
                "LEFT JOIN turns t ON t.conversation_id = c.id WHERE c.owner = ? "
                "GROUP BY c.id ORDER BY c.updated_at DESC, c.rowid DESC LIMIT ?", (owner, limit)).fetchall()
        return [ConversationSummary(id=r[0], title=r[1], updated_at=r[2], turns=r[3]) for r in rows]

    def get(self, owner: str, conv_id: str) -> Conversation | None:
        """The conversation, or None when it does not exist or belongs to someone else."""
        with self._db() as db:
            head = db.execute("SELECT id, title, created_at FROM conversations WHERE id = ? AND owner = ?",
                              (conv_id, owner)).fetchone()
            if head is None:
                return None
            rows = db.execute("SELECT role, content, answer_json FROM turns WHERE conversation_id = ? "
                              "ORDER BY position", (conv_id,)).fetchall()
        turns = []
        for role, content, answer_json in rows:
            answer = None
            if answer_json:
                try:
                    answer = Answer.model_validate_json(answer_json)
                except ValidationError:
                    # Saved by an older version with another answer format: the text is still worth showing.
                    answer = None
            turns.append(Turn(role=role, content=content, answer=answer))
        return Conversation(id=head[0], title=head[1], created_at=head[2], turns=turns)

    def delete(self, owner: str, conv_id: str) -> bool:
        with self._db() as db:
            cur = db.execute("DELETE FROM conversations WHERE id = ? AND owner = ?", (conv_id, owner))
        return cur.rowcount > 0
