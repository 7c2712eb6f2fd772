"""An API's requirement catalogue (`plugin.catalogue_path`) as the engine uses it: levels by id, the
entries about an error code, and the entries an engine event puts to the test (`exercised_by`).

Events are "<who> <what>" strings (grammar: the catalogue's header comment). The engine names events; the
catalogue says which requirements they exercise, so no requirement id is written in the engine.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the same data, ~10x faster

ANY = "any"  # who: every operation
OTHER = "other"  # who: every operation that no entry names with the same <what>
# Events that see only the form of an answer (its schema): they can never see a guarantee broken.
SHAPE_ONLY = frozenset({"shape", "error-shape"})


class Catalogue:
    def __init__(self, entries: dict[str, dict[str, Any]]) -> None:
        self.entries = entries  # requirement entries by id, in catalogue order
        # who -> what -> ids, in catalogue order
        self.events: dict[str, dict[str, tuple[str, ...]]] = {}
        # (who, what) -> the entries that event reaches without being able to see their guarantee broken:
        # every entry for a shape event, and those naming it in their `shape_only` list
        self.weak: dict[tuple[str, str], set[str]] = {}
        for entry_id, entry in entries.items():
            weak = set(entry.get("shape_only", []))
            for event in entry.get("exercised_by", []):
                who, _, what = event.partition(" ")
                whats = self.events.setdefault(who, {})
                whats[what] = (*whats.get(what, ()), entry_id)
                if what in SHAPE_ONLY or event in weak:
                    self.weak.setdefault((who, what), set()).add(entry_id)

    def documented(self, ids: Iterable[str]) -> bool:
        """True when any of `ids` is a documented requirement (a failure on it is never advisory)."""
        ids = tuple(ids)
        unknown = [i for i in ids if i not in self.entries]
        if unknown:
            raise KeyError(f"unknown requirement ids {unknown}")
        return any(self.entries[i]["level"] == "documented" for i in ids)

    def about(self, operation: str, codes: Iterable[str | None]) -> tuple[str, ...]:
        """Entries about this operation (or all) and any of these error codes."""
        wanted = {c for c in codes if c}
        return tuple(
            entry_id for entry_id, entry in self.entries.items()
            if (operation in entry.get("operations", []) or "all" in entry.get("operations", []))
            and wanted & set(entry.get("codes", []))
        )

    def exercised(self, operation: str, what: str) -> tuple[str, ...]:
        """The requirements event `<operation> <what>` puts to the test: the entries naming it for this
        operation (or, when none does, for `other`), then those naming it for `any`."""
        own = self.events.get(operation, {}).get(what) or self.events.get(OTHER, {}).get(what, ())
        return tuple(dict.fromkeys(own + self.events.get(ANY, {}).get(what, ())))

    def shape_only(self, operation: str, what: str) -> tuple[str, ...]:
        """Of `exercised(operation, what)`, the entries that event checks only for the form of an answer."""
        weak = set().union(*(self.weak.get((who, what), set()) for who in (operation, OTHER, ANY)))
        return tuple(i for i in self.exercised(operation, what) if i in weak)

    def outcome_shape_only(self, operation: str, status: int, code: str | None) -> tuple[str, ...]:
        """Of `outcome(...)`, the entries the outcome reaches without seeing their guarantee."""
        if code:
            return ()  # an error code is the guarantee of the entries about it
        return self.shape_only(operation, "2xx") + self.shape_only(operation, str(status))

    def outcome(self, operation: str, status: int, code: str | None) -> tuple[str, ...]:
        """The requirements an answer of `operation` exercises: an error by its code (`operations` +
        `codes`), anything else by its success events (`<operation> 2xx` and `<operation> <status>`)."""
        if code:
            return self.about(operation, {code})
        return self.exercised(operation, "2xx") + self.exercised(operation, str(status))


@functools.lru_cache(maxsize=8)
def load_catalogue(path: str | Path) -> Catalogue:
    """The catalogue at `path`, read once per process."""
    data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    return Catalogue({entry["id"]: entry for entry in data["requirements"]})
