"""The target profile: a checked model (unknown keys refused with a did-you-mean, the API registered) and
docs/profile.md generated from it and kept up to date."""
from __future__ import annotations

from pathlib import Path

import pytest

from campaigns_contract.profile import ProfileProblem, check, render_docs

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"api": "experiture-v1", "base_url": "http://127.0.0.1:8080/public/v1/",
        "tokens": {"full": {"token": "t", "tenant": "t1", "scopes": []}}}


def test_docs_profile_md_is_up_to_date():
    assert (ROOT / "docs" / "profile.md").read_text(encoding="utf-8") == render_docs(), \
        "regenerate: python -m campaigns_contract.profile > docs/profile.md"


def test_a_minimal_profile_is_accepted():
    model = check(GOOD)
    assert model.base_url == "http://127.0.0.1:8080/public/v1" and model.admin_token is None


@pytest.mark.parametrize(("data", "says"), [
    ({**GOOD, "fixture": {}}, "unknown key `fixture` (did you mean `fixtures`?)"),
    ({**GOOD, "capabilites": {}}, "unknown key `capabilites` (did you mean `capabilities`?)"),
    ({**GOOD, "api": "experture-v1"}, "`api`: unknown api 'experture-v1' (did you mean `experiture-v1`?)"),
    ({**GOOD, "tokens": {"reader": {"token": "r"}}}, "`tokens`: no `full` token"),
    ({**GOOD, "tokens": {"full": {"token": "t", "scope": []}}}, "unknown key `tokens.full.scope` (did you mean `scopes`?)"),
    ({**GOOD, "capabilities": {"clock_contrl": True}}, "did you mean `clock_control`?"),
    ({k: v for k, v in GOOD.items() if k != "base_url"}, "`base_url` is missing"),
])
def test_a_bad_profile_names_the_key_at_fault(data, says):
    with pytest.raises(ProfileProblem) as caught:
        check(data, "p.yaml")
    assert says in str(caught.value) and "\n" not in str(caught.value)
