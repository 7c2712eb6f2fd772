"""The toy API's lifecycle rules for the conformance machine: notes are created and read back."""
from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import multiple, rule

from state_machine.conformance.engine import RESOURCES


class NotesRules:
    notes = RESOURCES

    @rule(target=RESOURCES, text=st.sampled_from(["a", "b", ""]))
    def create_note(self, text):
        response, _ = self.send("createNote", body={"text": text})
        if response.status_code != 201:
            return multiple()
        self.created.append(response.json()["id"])
        return response.json()["id"]

    @rule(note=RESOURCES)
    def read_note(self, note):
        self.send("getNote", note)

    @rule()
    def read_an_unknown_note(self):
        self.send("getNote", "0badc0de-0000-4000-8000-00000000dead")
