"""The requirement catalogue (openapi/experiture-v1/requirements.yaml) as the suite uses it: levels by id."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from contract_spec.document import SPEC_DIR

CATALOGUE = SPEC_DIR / "requirements.yaml"


@functools.lru_cache(maxsize=2)
def load_catalogue(path: str | None = None) -> dict[str, dict[str, Any]]:
    """Requirement entries by id."""
    data = yaml.safe_load(Path(path or CATALOGUE).read_text(encoding="utf-8"))
    return {entry["id"]: entry for entry in data["requirements"]}


def documented(ids: tuple[str, ...] | list[str]) -> bool:
    """True when any of `ids` is a documented requirement (a failure on it is never advisory)."""
    catalogue = load_catalogue()
    unknown = [i for i in ids if i not in catalogue]
    if unknown:
        raise KeyError(f"unknown requirement ids {unknown}")
    return any(catalogue[i]["level"] == "documented" for i in ids)
