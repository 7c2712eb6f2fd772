"""The toy API's whole lifecycle: notes are created and read. Standard library and the kernel only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from state_machine.kernel import ApiError, Call, Decision
from state_machine.kernel.times import iso

STATUS = {"BAD_REQUEST": 400, "UNAUTHENTICATED": 401, "BAD_TOKEN": 401, "NO_ROUTE": 404, "NOTE_NOT_FOUND": 404,
          "NOT_ALLOWED": 405, "TOO_LARGE": 413, "BAD_MEDIA": 415, "KEY_BAD": 400, "KEY_REUSED": 422,
          "KEY_BUSY": 409, "BROKEN": 500}


def error(code: str, message: str, details: Any = None) -> ApiError:
    return ApiError(code, message, dict(details or {}), status=STATUS[code])


@dataclass(frozen=True)
class Note:
    id: str
    tenant: str
    text: str
    created_at: datetime


class World:
    def __init__(self) -> None:
        self.notes: dict[str, Note] = {}

    def apply(self, changes: dict[str, Note]) -> None:
        self.notes.update(changes)


def view(note: Note) -> dict[str, Any]:
    return {"id": note.id, "text": note.text, "createdAt": iso(note.created_at)}


def locate(world: World, call: Call) -> Note | Decision:
    note = world.notes.get(call.resource_id or "")
    if note is None or note.tenant != call.tenant:
        e = error("NOTE_NOT_FOUND", f"note {call.resource_id} not found")
        return Decision(404, error=e, acceptable=frozenset({(404, "NOTE_NOT_FOUND")}))
    return note


def decide(world: World, call: Call) -> Decision:
    if call.operation == "getHealth":
        return Decision(200, data={"ok": True}, acceptable=frozenset({(200, None)}))
    if call.operation == "createNote":
        note = Note(call.new_id("note"), call.tenant, call.body["text"], call.now)
        return Decision(201, data=view(note), acceptable=frozenset({(201, None)}), changes={note.id: note})
    found = locate(world, call)
    if isinstance(found, Decision):
        return found
    return Decision(200, data=view(found), acceptable=frozenset({(200, None)}))
