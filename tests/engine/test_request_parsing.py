"""The mock's fast request parsing gives exactly what the slower standard paths give (mock_server/api.py):
the query string (Starlette's QueryParams, i.e. urllib's parse_qsl) and the JSON body (orjson first, then the
standard parser with its refusals)."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.datastructures import QueryParams
from starlette.requests import Request

import mock_server.api as api
from mock_server.errors import Refusal
from state_machine import registry

PLUGIN = registry.get(None)


@given(st.lists(st.sampled_from(["a", "b", "=", "&", "é", "%20", "%zz", "+", ";", "x=1", "", "\xff", "=="]),
                max_size=10))
def test_query_is_what_query_params_gives(parts):
    raw = "".join(parts).encode("latin-1")
    got = api.query_of(Request({"type": "http", "query_string": raw, "headers": []}))
    got_items = list(got.multi_items()) if isinstance(got, QueryParams) else list(got.items())
    assert got_items == list(QueryParams(raw).multi_items())


def _outcome(raw: bytes, monkeypatch: pytest.MonkeyPatch, fast: bool):
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(api, "orjson", None)
        try:
            body = api.parse_json_object(raw, PLUGIN)
        except Refusal as refusal:
            return ("refused", refusal.error.code)
    return ("parsed", json.dumps(body, sort_keys=True), repr(body))


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                    | st.text(), lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=12)


@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=JSON, ascii_only=st.booleans(), position=st.integers(0, 300), junk=st.binary(max_size=3))
def test_body_parsing_accepts_and_refuses_as_the_standard_parser_does(monkeypatch, value, ascii_only, position,
                                                                      junk):
    raw = json.dumps({"k": value}, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    for text in (raw, raw[:position % (len(raw) + 1)] + junk + raw[position % (len(raw) + 1):]):
        assert _outcome(text, monkeypatch, fast=True) == _outcome(text, monkeypatch, fast=False), text


@pytest.mark.parametrize("raw", [b'{"a":1e400}', b'{"a":NaN}', b'{"a":"\\ud800"}', b'{"a":"\xed\xa0\x80"}',
                                 b'\xef\xbb\xbf{}', b'{"a":12345678901234567890123}', b'{"a":-9223372036854775809}',
                                 b'[]', b'"x"', b'{"a":01}', b'{"a":1.}', b'{"a":+1}', b'{"a":"\t"}',
                                 b'{"a":1}\x00', b'\xff\xfe{\x00}\x00', b'{"a":1,"a":2}', b'{"a":-0.0}'])
def test_edge_bodies_parse_as_the_standard_parser_parses_them(raw, monkeypatch):
    assert _outcome(raw, monkeypatch, fast=True) == _outcome(raw, monkeypatch, fast=False)
