"""The plug-in interface's own helpers."""
from __future__ import annotations

import types

import pytest

from state_machine.plugin import EngineCodes

REQUIRED = dict(VALIDATION_FAILED="V", MALFORMED_BODY="M", NOT_FOUND="N", METHOD_NOT_ALLOWED="X",
                PAYLOAD_TOO_LARGE="L", UNSUPPORTED_MEDIA_TYPE="T", INTERNAL="I")


def test_engine_codes_are_read_from_a_module_by_name():
    codes = EngineCodes.named_in(types.SimpleNamespace(**REQUIRED, RATE_LIMITED="R", IDEMPOTENCY_KEY_REUSED="K"))
    assert (codes.validation_failed, codes.rate_limited, codes.idempotency_key_reused) == ("V", "R", "K")
    assert codes.insufficient_scope is None and codes.unauthenticated is None  # features the API lacks


def test_a_module_lacking_a_required_code_is_refused():
    partial = {k: v for k, v in REQUIRED.items() if k != "INTERNAL"}
    with pytest.raises(ValueError, match="internal"):
        EngineCodes.named_in(types.SimpleNamespace(**partial))
