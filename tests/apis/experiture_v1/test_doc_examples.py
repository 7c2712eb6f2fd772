"""The documents' own examples, run against the mock over real HTTP.

* Every curl example of 001 (schedule intent) and 002 (audience binding) is parsed out of the seed text at
  test time and sent as written (method, path, headers, body) with only two substitutions: the base URL
  `https://api.experiture.ai` -> the live mock's origin, and `<your_access_token>` -> the mock's full-scope
  token. 003's curl examples are run the same way.
* The Python client functions of 003 are run with the documents' code. The seed text lost the code's
  indentation (it was extracted from a web page), so the functions are copied below verbatim, indentation
  restored, and `test_doc_code_copies_match_the_seed` checks at test time that every copied line is the
  seed's line: a changed document fails that test. At run time only the base URL and `import requests`
  (-> `import httpx as requests`: same get(url, params=, headers=), raise_for_status(), json(),
  status_code) are changed; the token is the functions' own argument.

The mock runs with its clock frozen at 2026-04-25T10:00Z (003's summary example date), so 001's
2026-05-01 send dates lie in the future; it is reset to fresh fixtures before every test.
"""
from __future__ import annotations

import json
import re
import types
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.live_server import live_mock

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "openapi" / "sources"  # a copy of ../shared/seeds (test_sources.py checks it)
SEED_001 = "001_361c5ac708137b4d.txt"
SEED_002 = "002_f3b56f435c70c65c.txt"
SEED_003 = "003_09d0b022ee5574c4.txt"

DOC_ORIGIN = "https://api.experiture.ai"
DOC_TOKEN = "<your_access_token>"
BASE_PATH = "/public/v1"
DOC_EXAMPLE_NOW = datetime(2026, 4, 25, 10, 0, tzinfo=timezone.utc)  # = conftest.DOC_EXAMPLE_NOW
RESET_BODY = {"now": "2026-04-25T10:00:00Z"}
COUNT_KEYS = {"scheduled", "hydrated", "composed", "injected", "sent", "failed"}
UNSUPPORTED_CHANNEL = "JOURNEY_API.SCHEDULE.UNSUPPORTED_CHANNEL"


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


# ======================================================================================= curl examples

@dataclass
class CurlExample:
    seed: str
    title: str          # the nearest "Example ..." line above the command (or the line above it)
    text: str           # the command as the document gives it
    method: str
    url: str
    headers: dict[str, str]
    body: str | None

    @property
    def id(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")
        return f"{self.seed[:3]}-{slug[:40].rstrip('-')}"

    @property
    def path(self) -> str:
        assert self.url.startswith(DOC_ORIGIN), f"curl URL does not start with {DOC_ORIGIN}: {self.url}"
        return self.url[len(DOC_ORIGIN):]


def _curl_words(text: str, start: int) -> tuple[list[str], int]:
    """Shell words of the command starting at `start`, and where it ends.

    Quotes and backslash-newline continuations as in POSIX sh. The command ends at a newline outside quotes
    that is not escaped, or where a closing quote is directly followed by a letter or '{': the page
    extraction glued the next code block onto the command there (003: `..._token>"import requests`).
    """
    words: list[str] = []
    word: list[str] | None = None
    quote: str | None = None
    i = start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = None
                if i + 1 < len(text) and (text[i + 1].isalpha() or text[i + 1] == "{"):
                    i += 1
                    break
            else:
                word.append(ch)
        elif ch in "'\"":
            quote = ch
            word = [] if word is None else word
        elif ch == "\\" and text[i + 1:i + 2] == "\n":
            i += 1
        elif ch == "\n":
            break
        elif ch.isspace():
            if word is not None:
                words.append("".join(word))
                word = None
        else:
            word = [] if word is None else word
            word.append(ch)
        i += 1
    assert quote is None, f"unterminated quote in curl command at offset {start}"
    if word is not None:
        words.append("".join(word))
    return words, i


def curl_examples(seed: str) -> list[CurlExample]:
    text = seed_text(seed)
    found = []
    for m in re.finditer(r"^[ \t]*curl\b", text, flags=re.M):
        words, end = _curl_words(text, m.start())
        before = [ln.strip() for ln in text[:m.start()].splitlines() if ln.strip()]
        title = next((ln for ln in reversed(before[-3:]) if ln.lower().startswith("example")), before[-1])
        method, url, headers, body = None, None, {}, None
        args = iter(words[1:])
        for arg in args:
            if arg == "-X":
                method = next(args)
            elif arg == "-H":
                name, _, value = next(args).partition(":")
                headers[name.strip()] = value.strip()
            elif arg in ("-d", "--data", "--data-raw"):
                body = next(args)
            elif arg.startswith("-"):
                raise AssertionError(f"{seed}: curl option {arg!r} is not handled by this test: {text[m.start():end]}")
            else:
                assert url is None, f"{seed}: two URLs in one curl command: {url!r}, {arg!r}"
                url = arg
        assert url, f"{seed}: no URL in curl command {text[m.start():end]!r}"
        found.append(CurlExample(seed, title, text[m.start():end], method or ("POST" if body else "GET"),
                                 url, headers, body))
    return found


CURL_001_002 = curl_examples(SEED_001) + curl_examples(SEED_002)
CURL_003 = curl_examples(SEED_003)


def doc_json_after(text: str, heading: str, start: int = 0) -> Any:
    """The JSON value that follows the line `heading` (at or after offset `start`) in a seed."""
    m = re.compile(rf"^{re.escape(heading)}\s*$", re.M).search(text, start)
    assert m, f"heading {heading!r} not found"
    brace = text.index("{", m.end())
    return json.JSONDecoder().raw_decode(text, brace)[0]


def schedule_variants() -> dict[str, dict]:
    """001's "Schedule Object Variants": the documented schedule object of each kind."""
    text = seed_text(SEED_001)
    section = text.index("Schedule Object Variants")
    variants = [doc_json_after(text, "Digital channels", section), doc_json_after(text, "Direct mail", section)]
    return {v["kind"]: v for v in variants}


# ================================================================================ 003's client code
# Verbatim copies of the seed's Python blocks (003_09d0b022ee5574c4.txt), indentation restored. Each key is
# the section of 003 the block is in. test_doc_code_copies_match_the_seed keeps them equal to the seed.

DOC_CODE = {
    # "Getting Campaign IDs" / "From the API"
    "list_published_campaigns": r'''
import requests
def list_published_campaigns(token: str, channel: str = None) -> list[dict]:
    params = {"status": "published", "limit": 100, "sortBy": "updatedAt", "sortDirection": "desc"}
    if channel:
        params["channel"] = channel
    r = requests.get(
        "https://api.experiture.ai/public/v1/campaigns",
        params=params,
        headers={"Authorization": f"Bearer {token}"},
    )
    r.raise_for_status()
    body = r.json()
    return body["data"] # list of campaign summaries
''',
    # "From the API": "The list endpoint uses offset pagination. Walk pages with:" (url, params, headers
    # and requests come from the surrounding code)
    "pagination_walk": r'''
offset, total = 0, None
while total is None or offset < total:
    r = requests.get(url, params={**params, "offset": offset}, headers=headers)
    body = r.json()
    total = body["pagination"]["total"]
    offset += body["pagination"]["limit"]
    # process body["data"]...
''',
    # "1 — Verify Campaign Configuration (Setup Summary)": "Check configuration readiness:"
    "is_campaign_configured": r'''
import requests
def is_campaign_configured(campaign_id: str, token: str) -> bool:
    r = requests.get(
        f"https://api.experiture.ai/public/v1/campaigns/{campaign_id}/summary",
        headers={"Authorization": f"Bearer {token}"},
    )
    r.raise_for_status()
    data = r.json()["data"]
    has_audience = len(data["audience"]["included"]) > 0
    has_template = data["content"]["template"] is not None
    return has_audience and has_template
''',
    # "2 — Monitor Execution State": "Poll until execution completes:"
    "wait_for_execution": r'''
import requests, time
TERMINAL_STATES = {"completed", "failed"}
def wait_for_execution(campaign_id: str, token: str, poll_interval: float = 10.0, max_polls: int = 60) -> str:
    """
    Polls GET /status until execution reaches a terminal state.
    Returns the final execution.state value.
    """
    for attempt in range(max_polls):
        r = requests.get(
            f"https://api.experiture.ai/public/v1/campaigns/{campaign_id}/status",
            headers={"Authorization": f"Bearer {token}"},
        )
        r.raise_for_status()
        data = r.json()["data"]
        state = data["execution"]["state"]
        print(f"[{attempt + 1}/{max_polls}] state: {state}")
        if state in TERMINAL_STATES:
            return state
        time.sleep(poll_interval)
    raise TimeoutError(f"Campaign {campaign_id} did not reach terminal state after {max_polls} polls")
''',
    # "3 — Extract Pipeline Counts for Reporting"
    "get_metrics_row": r'''
import requests
from datetime import datetime, timezone
def get_metrics_row(campaign_id: str, token: str) -> dict:
    """
    Returns a flat dict suitable for loading into a data warehouse or BI table.
    Requires analytics:read scope.
    """
    r = requests.get(
        f"https://api.experiture.ai/public/v1/campaigns/{campaign_id}/metrics",
        headers={"Authorization": f"Bearer {token}"},
    )
    r.raise_for_status()
    data = r.json()["data"]
    counts = data["counts"]
    return {
        "campaign_id": data["campaignId"],
        "pulled_at": datetime.now(timezone.utc).isoformat(),
        **counts, # scheduled, hydrated, composed, injected, sent, failed
    }
''',
    # "4 — Pull Metrics for Multiple Campaigns"
    "pull_all_metrics": r'''
import requests, time
def pull_all_metrics(token: str, channel: str = None) -> list[dict]:
    """
    Pages through all published campaigns and pulls metrics for each.
    Requires campaigns:read + analytics:read.
    """
    base = "https://api.experiture.ai/public/v1"
    headers = {"Authorization": f"Bearer {token}"}
    # Step 1: collect all published campaign IDs
    campaign_ids = []
    params = {"status": "published", "limit": 100}
    if channel:
        params["channel"] = channel
    offset, total = 0, None
    while total is None or offset < total:
        r = requests.get(f"{base}/campaigns", params={**params, "offset": offset}, headers=headers)
        r.raise_for_status()
        body = r.json()
        total = body["pagination"]["total"]
        campaign_ids.extend(c["campaignId"] for c in body["data"])
        offset += body["pagination"]["limit"]
    # Step 2: fetch metrics for each
    results = []
    for cid in campaign_ids:
        r = requests.get(f"{base}/campaigns/{cid}/metrics", headers=headers)
        if r.status_code in (404, 409):
            continue # deleted or unsupported type
        r.raise_for_status()
        results.append(r.json()["data"])
        time.sleep(0.05) # stay within rate limits
    return results
''',
    # "Handling Unsupported Campaign Types"
    "fetch_summary_safe": r'''
import requests
def fetch_summary_safe(campaign_id: str, token: str):
    r = requests.get(
        f"https://api.experiture.ai/public/v1/campaigns/{campaign_id}/summary",
        headers={"Authorization": f"Bearer {token}"},
    )
    if r.status_code == 409:
        error = r.json().get("error", {})
        campaign_type = error.get("details", {}).get("campaignType", "unknown")
        print(f"Summary not available for campaign type: {campaign_type}")
        return None
    r.raise_for_status()
    return r.json()["data"]
''',
}


def doc_namespace(name: str, origin: str, **overrides: Any) -> dict[str, Any]:
    """Run 003's block `name` with the base URL pointed at `origin` and requests -> httpx; its globals."""
    src = DOC_CODE[name].replace(DOC_ORIGIN, origin)
    src = re.sub(r"^import requests\b", "import httpx as requests", src, flags=re.M)
    ns: dict[str, Any] = {"__name__": f"doc_003_{name}", **overrides}
    exec(compile(src, f"<003: {name}>", "exec"), ns)  # noqa: S102 - the documents' own example code
    return ns


def doc_function(name: str, origin: str) -> Any:
    return doc_namespace(name, origin)[name]


# ======================================================================================= live mock

@dataclass
class Live:
    origin: str
    api: httpx.Client        # {origin}/public/v1 with the full-scope token; spec conformance recorded
    plain: httpx.Client      # no base URL, no default headers (curl examples); spec conformance recorded
    admin: httpx.Client      # {origin}/__mock
    profile: dict
    token: str
    problems: list[str] = field(default_factory=list)

    def reset(self) -> None:
        r = self.admin.post("/reset", json=RESET_BODY)
        assert r.status_code == 200 and r.json()["now"].startswith("2026-04-25T10:00:00"), r.text

    def advance(self, seconds: float) -> None:
        r = self.admin.post("/clock", json={"advanceSeconds": seconds})
        assert r.status_code == 200, r.text

    def now(self) -> str:
        return self.admin.get("/clock").json()["now"]

    def campaigns(self, role: str) -> list[dict]:
        found = [c for c in self.profile["fixtures"]["campaigns"] if c["role"] == role]
        assert found, f"the mock's profile has no fixture campaign with role {role!r}"
        return found

    def campaign(self, role: str) -> dict:
        return self.campaigns(role)[0]

    def audience(self, role: str) -> dict:
        return next(a for a in self.profile["fixtures"]["audiences"] if a["role"] == role and a["tenant"] == "t1")

    def template(self, channel: str) -> dict:
        return next(t for t in self.profile["fixtures"]["templates"]
                    if t["role"] == "published" and t["channel"] == channel and t["tenant"] == "t1")

    # -------------------------------------------------------------- set-up through the API
    def create(self, name: str, channel: str = "email") -> str:
        r = self.api.post("/campaigns", json={"name": name, "channel": channel})
        assert r.status_code == 201, r.text
        return r.json()["data"]["campaignId"]

    def bind(self, cid: str, audience_role: str = "ok", channel: str = "email") -> None:
        r = self.api.put(f"/campaigns/{cid}/audience",
                         json={"include": [{"audienceId": self.audience(audience_role)["id"],
                                            "type": self.audience(audience_role)["type"]}]})
        assert r.status_code == 200, r.text
        r = self.api.put(f"/campaigns/{cid}/content", json={"templateId": self.template(channel)["id"]})
        assert r.status_code == 200, r.text

    def send_now(self, cid: str) -> None:
        r = self.api.post(f"/campaigns/{cid}/send-jobs", json={})
        assert r.status_code == 201, r.text

    def published_campaign(self, name: str, channel: str = "email", audience_role: str = "ok") -> str:
        cid = self.create(name, channel)
        self.bind(cid, audience_role, channel)
        self.send_now(cid)
        return cid


@pytest.fixture(scope="module")
def live_server() -> Iterator[Live]:
    from contract_spec import load_spec
    from mock_server import MockClock, create_app
    from state_machine.apis.experiture_v1 import plugin
    from state_machine.conformance.conformance import SpecConformance

    app = create_app(clock=MockClock(DOC_EXAMPLE_NOW, frozen=True))
    with live_mock(app) as origin:
        recorder = SpecConformance(load_spec(plugin.spec_path), BASE_PATH)

        def conform(response: httpx.Response) -> None:
            response.read()
            recorder(response)

        with httpx.Client(base_url=origin + "/__mock", timeout=5.0) as admin:
            profile = admin.get("/profile").json()
            token = profile["tokens"]["full"]["token"]
            with httpx.Client(base_url=origin + BASE_PATH, timeout=5.0,
                              headers={"Authorization": f"Bearer {token}"},
                              event_hooks={"response": [conform]}) as api, \
                    httpx.Client(timeout=5.0, event_hooks={"response": [conform]}) as plain:
                yield Live(origin, api, plain, admin, profile, token, recorder.problems)


@pytest.fixture
def live(live_server: Live) -> Iterator[Live]:
    """The live mock, reset to fresh fixtures at 2026-04-25T10:00Z; our own API calls must conform to the spec."""
    live_server.reset()
    del live_server.problems[:]
    yield live_server
    assert not live_server.problems, "responses the spec does not allow:\n" + "\n".join(live_server.problems)


def run_curl(live: Live, example: CurlExample, campaign_id: str | None = None) -> httpx.Response:
    """Send a curl example as written; only the base URL and the token placeholder are replaced (and, when
    given, the campaign id in the path)."""
    url = live.origin + example.path
    if campaign_id is not None:
        url = re.sub(r"/campaigns/[0-9a-f-]{36}", f"/campaigns/{campaign_id}", url)
    headers = {k: v.replace(DOC_TOKEN, live.token) for k, v in example.headers.items()}
    assert any(DOC_TOKEN in v for v in example.headers.values()), f"{example.id}: no {DOC_TOKEN} header"
    content = example.body.encode() if example.body is not None else None
    return live.plain.request(example.method, url, headers=headers, content=content)


def get_campaign(live: Live, cid: str) -> dict:
    r = live.api.get(f"/campaigns/{cid}")
    assert r.status_code == 200, r.text
    return r.json()["data"]


# ======================================================================================= tests: curl

def test_curl_examples_are_found_in_the_seeds():
    found = Counter(e.seed for e in CURL_001_002 + CURL_003)
    assert found[SEED_001] >= 2 and found[SEED_002] >= 1 and found[SEED_003] >= 3, found
    for e in CURL_001_002 + CURL_003:
        assert e.url.startswith(DOC_ORIGIN + BASE_PATH + "/campaigns"), e.text
        assert e.headers.get("Authorization") == f"Bearer {DOC_TOKEN}", e.text
    for e in CURL_001_002:
        assert e.method == "PUT" and e.headers.get("Content-Type") == "application/json", e.text
        json.loads(e.body)


def expected_schedule(body: dict) -> dict:
    """The schedule object 001 says the campaign then carries (request timezone given in the examples)."""
    if body["mode"] == "batch_on_date":
        return {"kind": "direct_mail_batch", "mode": "batch_on_date", "batchDate": body["batchDate"],
                "timezone": body["timezone"], "timezoneSource": "request", "scheduled": True}
    return {"kind": "digital_send", "mode": body["mode"], "sendAt": body.get("sendAt") if body["mode"] == "at" else None,
            "timezone": body.get("timezone") or "UTC", "scheduled": body["mode"] == "at"}


def assert_campaign_object(live: Live, response: httpx.Response, cid: str) -> dict:
    """200, envelope, and "same shape as Get Campaign": equal to a GET of the campaign right after."""
    assert response.status_code == 200, f"expected 200, got {response.status_code}: {response.text}"
    body = response.json()
    assert body["success"] is True
    data = body["data"]
    assert data["campaignId"] == cid
    assert data == get_campaign(live, cid), "PUT response differs from Get Campaign of the same campaign"
    assert data["authoringStatus"] == "draft", "configuration must not publish, schedule or send (001)"
    return data


def check_schedule_example(live: Live, example: CurlExample) -> None:
    body = json.loads(example.body)
    cid = example.path.split("/")[4]
    channel = get_campaign(live, cid)["channel"]
    fits = (body["mode"] == "batch_on_date") == (channel == "direct_mail")
    want = expected_schedule(body)
    # The documents agree with themselves: each example produces 001's "Schedule Object Variants" object.
    assert want == schedule_variants()[want["kind"]], "001's example and its schedule object variant differ"

    r = run_curl(live, example)
    if not fits:
        # 4130bada-... is the "Spring Re-engagement Direct Mail" draft (003): a digital mode on it is
        # "Channel is not supported for the requested schedule mode" (001).
        assert r.status_code == 400, f"mode {body['mode']!r} on a {channel} campaign: {r.status_code} {r.text}"
        assert r.json()["error"]["code"] == UNSUPPORTED_CHANNEL, r.text
        assert get_campaign(live, cid)["schedule"] is None, "a refused schedule intent was stored"
        # The same example body on the fixture draft of the example's channel kind.
        live.reset()
        cid = live.campaign("draft_email")["id"]
        r = run_curl(live, example, campaign_id=cid)
    data = assert_campaign_object(live, r, cid)
    assert data["schedule"] == want


def check_audience_example(live: Live, example: CurlExample) -> None:
    body = json.loads(example.body)
    cid = example.path.split("/")[4]
    data = assert_campaign_object(live, run_curl(live, example), cid)
    for side, sent in (("included", body["include"]), ("excluded", body.get("exclude", []))):
        got = data["audience"][side]
        assert [(b["id"], b["type"]) for b in got] == [(e["audienceId"], e["type"]) for e in sent], side
        assert all(b["memberCount"] is None for b in got), "member counts are redacted (003)"
        assert all(set(b) == {"id", "name", "type", "memberCount"} for b in got)
    assert data["audience"]["reach"]["status"] in ("idle", "pending"), "reach resets after an audience update"


@pytest.mark.parametrize("example", CURL_001_002, ids=lambda e: e.id)
def test_curl_example_of_001_and_002(live: Live, example: CurlExample):
    if example.path.endswith("/schedule"):
        check_schedule_example(live, example)
    elif example.path.endswith("/audience"):
        check_audience_example(live, example)
    else:
        pytest.fail(f"no expectation for this curl example yet: {example.text}")


@pytest.mark.req("CAMP-SCHED-010")
def test_001_email_example_on_the_direct_mail_example_campaign_is_unsupported_channel(live: Live):
    email = next(e for e in CURL_001_002 if e.path.endswith("/schedule") and '"mode": "at"' in e.body)
    r = run_curl(live, email)
    assert r.status_code == 400 and r.json()["error"]["code"] == UNSUPPORTED_CHANNEL, r.text


@pytest.mark.req("CAMP-SCHED-011", "CAMP-SCHED-012", "CAMP-TZ-002")
def test_001_email_example_body_on_the_email_draft(live: Live):
    email = next(e for e in CURL_001_002 if e.path.endswith("/schedule") and '"mode": "at"' in e.body)
    cid = live.campaign("draft_email")["id"]
    data = assert_campaign_object(live, run_curl(live, email, campaign_id=cid), cid)
    assert data["schedule"]["kind"] == "digital_send"
    assert data["schedule"] == schedule_variants()["digital_send"]


@pytest.mark.req("CAMP-SCHED-011", "CAMP-SCHED-013", "CAMP-TZ-003")
def test_001_direct_mail_example(live: Live):
    dm = next(e for e in CURL_001_002 if e.path.endswith("/schedule") and "batch_on_date" in e.body)
    data = assert_campaign_object(live, run_curl(live, dm), dm.path.split("/")[4])
    assert data["schedule"]["kind"] == "direct_mail_batch"
    assert data["schedule"]["timezone"] == "America/New_York"
    assert data["schedule"]["timezoneSource"] == "request"
    assert data["schedule"] == schedule_variants()["direct_mail_batch"]


@pytest.mark.req("CAMP-AUD-010", "CAMP-AUD-012")
def test_002_audience_example(live: Live):
    (example,) = [e for e in CURL_001_002 if e.path.endswith("/audience")]
    check_audience_example(live, example)


@pytest.mark.parametrize("example", CURL_003, ids=lambda e: e.id)
def test_curl_example_of_003(live: Live, example: CurlExample):
    r = run_curl(live, example)
    assert r.status_code == 200, f"{example.text}\n-> {r.status_code} {r.text}"
    body = r.json()
    assert body["success"] is True
    path, _, query = example.path.partition("?")
    if path.endswith("/campaigns"):
        wanted = dict(p.split("=", 1) for p in query.split("&") if p)
        assert body["pagination"]["limit"] == int(wanted.get("limit", 25))
        assert body["data"], "the fixtures hold published email campaigns"
        for item in body["data"]:
            assert item["authoringStatus"] == wanted.get("status", item["authoringStatus"])
            assert item["channel"] == wanted.get("channel", item["channel"])
    elif path.endswith("/summary"):
        documented = doc_json_after(seed_text(SEED_003), "1 — Verify Campaign Configuration (Setup Summary)")
        doc_data, data = documented["data"], body["data"]
        assert set(data) == set(doc_data), "summary fields differ from 003's example"
        for key in ("campaignId", "name", "campaignType", "channel", "authoringStatus"):
            assert data[key] == doc_data[key], key
        assert data["links"] == doc_data["links"]
    elif path.endswith("/status"):
        data = body["data"]
        assert data["campaignId"] == path.split("/")[4]
        assert data["execution"]["state"] == "not_scheduled", "the example campaign is a fresh draft"
    else:
        pytest.fail(f"no expectation for this curl example yet: {example.text}")


# ============================================================================== tests: 003's client code

def test_doc_code_copies_match_the_seed():
    """Every line of the copied blocks is the seed's line, in order (the copies only add indentation)."""
    seed_lines = [ln.strip() for ln in seed_text(SEED_003).splitlines()]
    for name, block in DOC_CODE.items():
        lines = [ln.strip() for ln in block.strip().splitlines()]

        def matches_at(j: int) -> bool:
            if j + len(lines) > len(seed_lines):
                return False
            for k, line in enumerate(lines):
                s = seed_lines[j + k]
                # the page extraction glued prose/code onto the first and last lines of some blocks
                if not (s == line or (k == 0 and s.endswith(line)) or (k == len(lines) - 1 and s.startswith(line))):
                    return False
            return True

        assert any(matches_at(j) for j in range(len(seed_lines))), (
            f"003's code for {name} is no longer the copy in this file: update DOC_CODE[{name!r}]")
        compile(block, name, "exec")


@pytest.mark.req("CAMP-LIST-001", "CAMP-LIST-004", "CAMP-LIST-005", "CAMP-LIST-006", "CAMP-LIST-007")
def test_list_published_campaigns(live: Live):
    list_published_campaigns = doc_function("list_published_campaigns", live.origin)
    mine = {live.published_campaign(f"Published {i:02d}", channel) for i, channel in
            enumerate(["email", "sms", "email", "push", "email"])}
    fixtures = {c["id"] for c in live.profile["fixtures"]["campaigns"]
                if c["authoringStatus"] == "published" and c["tenant"] == "t1"}

    got = list_published_campaigns(live.token)
    assert {c["campaignId"] for c in got} == mine | fixtures
    assert all(c["authoringStatus"] == "published" for c in got)
    stamps = [c["updatedAt"] for c in got]
    assert stamps == sorted(stamps, reverse=True), "sortBy=updatedAt&sortDirection=desc"

    emails = list_published_campaigns(live.token, channel="email")
    assert emails and all(c["channel"] == "email" for c in emails)
    assert {c["campaignId"] for c in emails} == {c["campaignId"] for c in got if c["channel"] == "email"}


class RecordingRequests:
    """`requests` for the pagination snippet (which takes it from the surrounding code): httpx.get, with
    each page's body kept so the test can see what the walk processed."""

    def __init__(self) -> None:
        self.pages: list[dict] = []

    def get(self, url: str, **kw: Any) -> httpx.Response:
        r = httpx.get(url, timeout=5.0, **kw)
        assert r.status_code == 200, r.text
        self.pages.append(r.json())
        return r


@pytest.mark.req("CAMP-LIST-002", "CAMP-LIST-003")
@pytest.mark.parametrize("params", [
    {"status": "published", "limit": 10, "sortBy": "updatedAt", "sortDirection": "desc"},  # many equal stamps
    {"limit": 10},
], ids=["published-by-updatedAt", "all-default-order"])
def test_offset_pagination_walk(live: Live, params: dict):
    created = [live.published_campaign(f"Paged {i:02d}") for i in range(30)]
    recorder = RecordingRequests()
    doc_namespace("pagination_walk", live.origin, requests=recorder, url=f"{live.origin}{BASE_PATH}/campaigns",
                  params=params, headers={"Authorization": f"Bearer {live.token}"})

    expected = {c["id"] for c in live.profile["fixtures"]["campaigns"] if c["tenant"] == "t1"
                and (params.get("status") is None or c["authoringStatus"] == params["status"])} | set(created)
    seen = Counter(c["campaignId"] for page in recorder.pages for c in page["data"])
    assert len(recorder.pages) == -(-len(expected) // 10), "pages walked"
    assert all(p["pagination"]["total"] == len(expected) for p in recorder.pages), "pagination.total"
    assert all(p["pagination"]["limit"] == 10 for p in recorder.pages)
    assert [p["pagination"]["offset"] for p in recorder.pages] == list(range(0, len(expected), 10))
    assert not [cid for cid, n in seen.items() if n > 1], "campaigns seen on more than one page"
    assert set(seen) == expected, f"missing: {expected - set(seen)}; unexpected: {set(seen) - expected}"


@pytest.mark.req("CAMP-OBS-003", "CAMP-OBS-004", "CAMP-CONT-001")
def test_is_campaign_configured(live: Live):
    is_campaign_configured = doc_function("is_campaign_configured", live.origin)
    cid = live.create("Configuration check")
    assert is_campaign_configured(cid, live.token) is False
    r = live.api.put(f"/campaigns/{cid}/audience",
                     json={"include": [{"audienceId": live.audience("ok")["id"], "type": live.audience("ok")["type"]}]})
    assert r.status_code == 200, r.text
    assert is_campaign_configured(cid, live.token) is False, "audience alone is not configured"
    r = live.api.put(f"/campaigns/{cid}/content", json={"templateId": live.template("email")["id"]})
    assert r.status_code == 200, r.text
    assert is_campaign_configured(cid, live.token) is True
    assert is_campaign_configured(live.campaign("draft_email")["id"], live.token) is False


def clock_sleep(live: Live, calls: list[float]) -> types.SimpleNamespace:
    """A stand-in for the `time` module whose sleep advances the mock clock instead of waiting."""
    def sleep(seconds: float) -> None:
        calls.append(seconds)
        live.advance(seconds)
    return types.SimpleNamespace(sleep=sleep)


@pytest.mark.req("CAMP-EXEC-001", "CAMP-EXEC-005", "CAMP-EXEC-008")
@pytest.mark.parametrize("audience_role, final", [("ok", "completed"), ("execution_fails", "failed")])
def test_wait_for_execution(live: Live, capsys, audience_role: str, final: str):
    cid = live.published_campaign("Send now", audience_role=audience_role)
    sleeps: list[float] = []
    ns = doc_namespace("wait_for_execution", live.origin)
    ns["time"] = clock_sleep(live, sleeps)

    assert ns["wait_for_execution"](cid, live.token) == final
    states = re.findall(r"^\[\d+/60\] state: (\w+)$", capsys.readouterr().out, flags=re.M)
    assert set(sleeps) == {10.0} and len(states) == len(sleeps) + 1, "one poll_interval sleep between polls"
    # Polls at 0, 10, 20 ... s after the send job; the mock's profile gives its simulated durations.
    timing = live.profile["timing"]
    start, end = timing["executionStartSeconds"], timing["executionStartSeconds"] + timing["executionRunSeconds"]
    expected = [("pending_or_overdue" if t < start else "running" if t < end else final)
                for t in range(0, 10 * len(states), 10)]
    assert states == expected, "a send job starts at pending_or_overdue (inferred), then running, then terminal"


def test_wait_for_execution_on_fixture_runs_and_timeout(live: Live):
    sleeps: list[float] = []
    ns = doc_namespace("wait_for_execution", live.origin)
    ns["time"] = clock_sleep(live, sleeps)
    assert ns["wait_for_execution"](live.campaign("completed")["id"], live.token) == "completed"
    assert ns["wait_for_execution"](live.campaign("failed")["id"], live.token) == "failed"
    assert sleeps == []
    with pytest.raises(TimeoutError, match="did not reach terminal state after 3 polls"):
        ns["wait_for_execution"](live.campaign("scheduled")["id"], live.token, poll_interval=60, max_polls=3)
    assert sleeps == [60, 60, 60]


@pytest.mark.req("CAMP-OBS-010", "CAMP-EXEC-006")
def test_get_metrics_row(live: Live):
    get_metrics_row = doc_function("get_metrics_row", live.origin)
    for role in ("completed", "failed"):
        cid = live.campaign(role)["id"]
        row = get_metrics_row(cid, live.token)
        assert set(row) == {"campaign_id", "pulled_at"} | COUNT_KEYS
        assert row["campaign_id"] == cid
        assert all(isinstance(row[k], int) and row[k] >= 0 for k in COUNT_KEYS)
        status = live.api.get(f"/campaigns/{cid}/status").json()["data"]
        assert {k: row[k] for k in COUNT_KEYS} == status["execution"]["lastExecution"]["counts"], (
            "metrics counts differ from the last run's counts in /status")
    row = get_metrics_row(live.campaign("draft_email")["id"], live.token)
    assert set(row) == {"campaign_id", "pulled_at"} | COUNT_KEYS


@pytest.mark.req("CAMP-TYPE-005", "CAMP-LIST-004")
def test_pull_all_metrics(live: Live):
    published = {c["id"] for c in live.profile["fixtures"]["campaigns"]
                 if c["authoringStatus"] == "published" and c["tenant"] == "t1"}
    mine = live.published_campaign("Reporting feed")
    # A published campaign of an unsupported type: the API cannot make one, so edit a state export.
    state = live.admin.get("/state").json()
    odd = live.campaign("scheduled")["id"]
    for c in state["world"]["campaigns"]:
        if c["id"] == odd:
            c["campaign_type"] = "journey"
    assert live.admin.put("/state", json=state).status_code == 200
    # And one deleted between the listing and its metrics read (a client race 003's code tolerates).
    gone = live.campaign("completed")["id"]

    class DeleteBeforeMetrics:
        deleted = False

        def get(self, url: str, **kw: Any) -> httpx.Response:
            if url.endswith("/metrics") and not self.deleted:
                self.deleted = True
                assert live.api.delete(f"/campaigns/{gone}").status_code == 200
            return httpx.get(url, timeout=5.0, **kw)

    ns = doc_namespace("pull_all_metrics", live.origin)
    ns["requests"] = DeleteBeforeMetrics()
    rows = ns["pull_all_metrics"](live.token)
    assert {r["campaignId"] for r in rows} == (published | {mine}) - {odd, gone}
    assert all(set(r["counts"]) == COUNT_KEYS for r in rows)

    # Unchanged code, plain httpx, channel filter.
    pull_all_metrics = doc_function("pull_all_metrics", live.origin)
    sms = pull_all_metrics(live.token, channel="sms")
    assert {r["campaignId"] for r in sms} == {live.campaign("failed")["id"]}


@pytest.mark.req("CAMP-TYPE-004", "CAMP-TYPE-013", "CAMP-TYPE-014")
def test_fetch_summary_safe(live: Live, capsys):
    fetch_summary_safe = doc_function("fetch_summary_safe", live.origin)
    for c in live.campaigns("unsupported_type"):
        assert fetch_summary_safe(c["id"], live.token) is None
        out = capsys.readouterr().out
        assert out == f"Summary not available for campaign type: {c['campaignType']}\n"
        assert c["campaignType"] != "broadcast"
    data = fetch_summary_safe(live.campaign("draft_direct_mail")["id"], live.token)
    assert isinstance(data, dict) and data["campaignType"] == "broadcast"
    assert data["name"] == "Spring Re-engagement Direct Mail" and data["channel"] == "direct_mail"
    assert capsys.readouterr().out == ""
