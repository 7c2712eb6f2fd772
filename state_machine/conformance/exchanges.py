"""What the suite sent and got, kept so that a failure comes with a runnable reproduction."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

ADMIN_PREFIX = "/__mock"


def token_variable(name: str) -> str:
    """The environment variable a reproduction reads the profile's token `name` from."""
    return "CONTRACT_TOKEN_" + "".join(ch if ch.isalnum() else "_" for ch in name).upper()


ADMIN_TOKEN_VARIABLE = "CONTRACT_ADMIN_TOKEN"


def secrets_of(profile: Any) -> dict[str, str]:
    """secret value -> its placeholder, for every credential a profile holds (tokens, admin token)."""
    found = {str(t["token"]): "${" + token_variable(name) + "}" for name, t in profile.tokens.items()
             if t.get("token")}
    admin = getattr(profile, "admin_token", None)
    if admin:
        found[str(admin)] = "${" + ADMIN_TOKEN_VARIABLE + "}"
    return found


def redact(text: str, secrets: dict[str, str] | None) -> str:
    """`text` with each secret replaced by its placeholder (longest first, so no secret is half-replaced)."""
    for secret, placeholder in sorted((secrets or {}).items(), key=lambda kv: -len(kv[0])):
        if len(secret) >= 4:
            text = text.replace(secret, placeholder)
    return text


@dataclass
class Exchange:
    method: str
    path: str  # relative to base_url, with resource ids replaced by {r1}, {r2}, ... placeholders
    token_name: str | None
    headers: dict[str, str]
    body: Any
    status: int
    response: Any
    expected: str
    expected_statuses: list[int]
    creates: str | None = None  # the placeholder the id this call created binds, e.g. "r3"
    id_at: tuple[str | int, ...] = ()  # where that id is in the answer, e.g. ("data", "id")


@dataclass
class Transcript:
    """The exchanges of one Hypothesis example, in order."""

    exchanges: list[Exchange] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # resource id -> placeholder
    error_code: Callable[[Any], str | None] = lambda body: None  # the API's: an answer's error code

    def placeholder(self, resource_id: str) -> str:
        return self.names.setdefault(resource_id, f"r{len(self.names) + 1}")

    def relative(self, path: str) -> str:
        for cid, name in sorted(self.names.items(), key=lambda kv: -len(kv[0])):
            path = path.replace(cid, "{" + name + "}")
        return path

    def record(self, method: str, path: str, token_name: str | None, headers: dict[str, str], body: Any,
               response: httpx.Response, expected: str, expected_statuses: list[int],
               creates: str | None = None) -> None:
        try:
            payload = response.json()
        except ValueError:
            payload = response.text[:500]
        created = next((cid for cid, name in self.names.items() if name == creates), None) if creates else None
        self.exchanges.append(Exchange(method, self.relative(path), token_name, dict(headers), body,
                                       response.status_code, payload, expected, sorted(expected_statuses),
                                       creates, _find(payload, created) if created else ()))

    def admin(self, path: str, body: Any, response: Any) -> None:
        """A call to the target's admin surface (e.g. advancing its clock), replayed as such."""
        self.exchanges.append(Exchange("POST", path, None, {}, body, 200, response, "200", [200]))

    @staticmethod
    def _url(base_url: str, path: str) -> str:
        if path.startswith(ADMIN_PREFIX):
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
            return origin + path
        return base_url + path

    def curl(self, base_url: str, tokens: dict[str, str]) -> str:
        lines = []
        for x in self.exchanges:
            url = self._url(base_url, x.path.replace("{", "$").replace("}", ""))
            parts = [f"curl -s -X {x.method} \"{url}\""]
            if x.token_name:
                parts.append(f"-H 'Authorization: Bearer {tokens.get(x.token_name, '<' + x.token_name + '>')}'")
            for k, v in x.headers.items():
                parts.append(f"-H '{k}: {v}'")
            if x.body is not None:
                parts.append(f"-H 'Content-Type: application/json' -d '{json.dumps(x.body)}'")
            lines.append(" ".join(parts))
            lines.append(f"#   got {x.status} {self._short(x.response)}; expected {x.expected}")
            if x.creates:
                lines.append(f"#   {x.creates}=<{'.'.join(map(str, x.id_at)) or 'the new id'} of that answer>")
        return "\n".join(lines)

    def script(self, base_url: str, tokens: dict[str, str]) -> str:
        """A standalone Python/httpx program that replays the sequence and says where it diverges."""
        out = [
            '"""Reproduction written by campaigns-contract. Run: python this_file.py"""',
            "import httpx", "",
            f"BASE = {base_url!r}", f"ORIGIN = {self._url(base_url, ADMIN_PREFIX)[:-len(ADMIN_PREFIX)]!r}",
            f"TOKENS = {tokens!r}", "ids = {}", "",
            "def call(method, path, token, headers, body, expected_statuses, expected):",
            "    h = dict(headers)",
            "    if token: h['Authorization'] = 'Bearer ' + TOKENS[token]",
            "    url = (ORIGIN if path.startswith('/__mock') else BASE) + path.format(**ids)",
            "    r = httpx.request(method, url, headers=h, json=body, timeout=30)",
            "    mark = 'ok  ' if r.status_code in expected_statuses else 'DIFF'",
            "    print(mark, method, path.format(**ids), '->', r.status_code, r.text[:300])",
            "    print('     expected:', expected)",
            "    return r", "",
        ]
        for x in self.exchanges:
            line = (f"r = call({x.method!r}, {x.path!r}, {x.token_name!r}, {x.headers!r}, {x.body!r}, "
                    f"{x.expected_statuses!r}, {x.expected!r})  # the failing run got {x.status}")
            out.append(line)
            if x.creates:
                out.append(f"ids[{x.creates!r}] = r.json()" + "".join(f"[{k!r}]" for k in x.id_at))
        return "\n".join(out) + "\n"

    def write(self, path: Path, base_url: str, tokens: dict[str, str]) -> Path:
        """Write the script to `path`. A run writes each failure to one path, so while Hypothesis shrinks
        the failing example the file is overwritten and ends as the minimal reproduction."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.script(base_url, tokens), encoding="utf-8")
        return path


    def _short(self, payload: Any) -> str:
        code = self.error_code(payload)
        return code if code is not None else json.dumps(payload)[:120]


def _find(node: Any, value: str) -> tuple[str | int, ...]:
    """The key path of `value` in a JSON answer (breadth first: the shallowest), or ()."""
    queue: list[tuple[tuple[str | int, ...], Any]] = [((), node)]
    while queue:
        where, item = queue.pop(0)
        if item == value:
            return where
        if isinstance(item, dict):
            queue += [((*where, k), v) for k, v in item.items()]
        elif isinstance(item, list):
            queue += [((*where, i), v) for i, v in enumerate(item)]
    return ()
