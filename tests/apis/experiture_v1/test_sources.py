"""openapi/sources/ is the project's copy of the source documents (../shared/seeds/): the tests read the
copy so a clone runs anywhere, and this test fails the moment the copy and the originals differ."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
COPY = ROOT / "openapi" / "sources"
ORIGINALS = ROOT.parent / "shared" / "seeds"


def test_the_copy_holds_the_five_documents():
    names = sorted(p.name for p in COPY.glob("*.txt"))
    assert len(names) == 5 and names[0].startswith("000_") and names[-1].startswith("004_")


@pytest.mark.skipif(not ORIGINALS.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_the_copy_equals_the_originals():
    originals = {p.name: p.read_bytes() for p in ORIGINALS.iterdir() if p.is_file()}
    copy = {p.name: p.read_bytes() for p in COPY.iterdir() if p.is_file()}
    assert copy == originals, "openapi/sources differs from ../shared/seeds: copy the documents again"
