"""The kernel's fast forms give exactly what the standard library's slower ones give (state_machine/kernel/ids.py,
times.iso): ids minted per create, keys checked per keyed request, timestamps rendered per answer."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from state_machine.kernel.ids import is_uuid4, uuid4_text
from state_machine.kernel.times import iso


def _is_uuid4_by_uuid_module(text: str) -> bool:
    try:
        parsed = uuid.UUID(text)
    except (ValueError, AttributeError, TypeError):
        return False
    return parsed.version == 4 and str(parsed) == text.lower()


def test_minted_ids_are_canonical_version_4_uuids():
    minted = {uuid4_text() for _ in range(2000)}
    assert len(minted) == 2000
    for text in minted:
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, text)


@given(st.uuids(), st.integers(0, 35), st.characters(), st.booleans())
def test_is_uuid4_agrees_with_the_uuid_module(u, position, char, upper):
    text = str(u).upper() if upper else str(u)
    assert is_uuid4(text) == _is_uuid4_by_uuid_module(text)
    altered = text[:position] + char + text[position + 1:]
    assert is_uuid4(altered) == _is_uuid4_by_uuid_module(altered)


def test_is_uuid4_refuses_the_other_forms_uuid_parses():
    text = str(uuid.uuid4())
    for form in ("{" + text + "}", "urn:uuid:" + text, text.replace("-", ""), f" {text}", text[:-1],
                 str(uuid.uuid1()), "٣" * 8 + text[8:]):
        assert is_uuid4(form) is False and _is_uuid4_by_uuid_module(form) is False, form


@given(st.datetimes(min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(timezone.utc)))
def test_iso_is_the_documents_form_whatever_was_rendered_before(moment):
    m = moment
    expected = f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}." \
               f"{m.microsecond // 1000:03d}Z"
    assert iso(moment) == expected
    # The same instant in another zone (equal and of equal hash, so a cached answer is shared): same text.
    assert iso(moment.astimezone(timezone(timedelta(hours=-5)))) == expected
    assert iso(moment.astimezone(ZoneInfo("Asia/Kolkata"))) == expected
    assert iso(moment) == expected


def test_a_forked_child_never_mints_its_parents_next_ids():
    """The ids come from a pool of random bytes; a child forked with a half-used pool draws a fresh one."""
    import os

    uuid4_text()  # the pool is filled, most of it unused
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next ids, to the parent
        os.write(write, " ".join(uuid4_text() for _ in range(5)).encode())
        os._exit(0)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    child = set(os.read(read, 4096).decode().split())
    os.close(read)
    assert status == 0 and len(child) == 5
    assert child.isdisjoint({uuid4_text() for _ in range(5)})


def test_request_fingerprints_ignore_key_order_and_whitespace_only():
    from state_machine.kernel.idempotency import fingerprint, request_fingerprint

    body = {"name": "Spring", "channel": "email", "tags": ["a", "b"], "n": 1.5, "text": "é\\u0000"}
    assert fingerprint(body) == fingerprint(dict(reversed(list(body.items()))))
    assert fingerprint(body) != fingerprint({**body, "tags": ["b", "a"]})
    assert request_fingerprint("createCampaign", "/campaigns", body) != \
        request_fingerprint("createCampaign", "/campaigns/x", body)
    # The same canonical text as json.dumps(sort_keys=True, compact, ensure_ascii=False): state files written
    # before keep their in-flight keys' fingerprints.
    import hashlib
    import json

    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert fingerprint(body) == hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
