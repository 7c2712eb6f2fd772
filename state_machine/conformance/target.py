"""A target under test: where it is, how to call it, and what it lets the suite do.

A target is described by a profile (`api`, `base_url`, `tokens`, `fixtures`, `capabilities`; the mock
serves its own at /__mock/profile). Calls are synchronous so Hypothesis rules can make them; an
in-process ASGI app is called through a blocking portal, a remote target through httpx.Client.
"""
from __future__ import annotations

import contextlib
import email.utils
import json
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import anyio.from_thread
import httpx
import yaml

REQUIRED_PROFILE_KEYS = ("api", "base_url", "tokens")


class ProfileError(ValueError):
    """The profile cannot describe a target (missing keys, wrong types)."""


@dataclass(frozen=True)
class Profile:
    api: str
    base_url: str
    tokens: Mapping[str, Mapping[str, Any]]
    fixtures: Mapping[str, Any] = field(default_factory=dict)
    capabilities: Mapping[str, Any] = field(default_factory=dict)
    timing: Mapping[str, Any] = field(default_factory=dict)
    admin_url: str | None = None
    admin_token: str | None = None  # sent as `Authorization: Bearer` on admin calls

    @classmethod
    def from_data(cls, data: Any) -> "Profile":
        if not isinstance(data, dict):
            raise ProfileError("a target profile is a mapping")
        missing = [k for k in REQUIRED_PROFILE_KEYS if k not in data]
        if missing:
            raise ProfileError(f"target profile lacks {', '.join(missing)}")
        if not isinstance(data["tokens"], dict) or not all(
                isinstance(t, dict) and "token" in t for t in data["tokens"].values()):
            raise ProfileError("tokens must map a name to {token, tenant, scopes}")
        return cls(api=data["api"], base_url=str(data["base_url"]).rstrip("/"), tokens=data["tokens"],
                   fixtures=data.get("fixtures") or {}, capabilities=data.get("capabilities") or {},
                   timing=data.get("timing") or {}, admin_url=data.get("admin_url"),
                   admin_token=data.get("admin_token"))

    @classmethod
    def from_file(cls, path: str | Path) -> "Profile":
        text = Path(path).read_text(encoding="utf-8")
        try:
            data = json.loads(text) if str(path).endswith(".json") else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError) as exc:
            raise ProfileError(f"{path}: not YAML/JSON: {exc}") from None
        return cls.from_data(data)

    def token(self, name: str) -> str | None:
        entry = self.tokens.get(name)
        return entry["token"] if entry else None

    def can(self, capability: str) -> bool:
        return bool(self.capabilities.get(capability))

    def with_role(self, kind: str, role: str) -> list[dict[str, Any]]:
        """The profile's fixtures of one kind (a key of `fixtures`) that have this role."""
        return [f for f in self.fixtures.get(kind, []) if f.get("role") == role]

    def campaigns_with_role(self, role: str) -> list[dict[str, Any]]:
        """with_role for the fixture kind the existing unit tests read (kept for them; the engine never calls it)."""
        return self.with_role("campaigns", role)

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path.rstrip("/")


class Pacer:
    """At most `rate` requests a second across every thread of a run (0: unlimited). Shared by the targets
    and the probes' HTTP session, so `--rate-limit` holds for every request the run makes."""

    def __init__(self, rate: float | None) -> None:
        self.rate = float(rate or 0)
        self.interval = 1.0 / self.rate if self.rate else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            at = max(now, self._next)
            self._next = at + self.interval
        if at > now:
            time.sleep(at - now)


class Target:
    """Synchronous HTTP access to the API (paths relative to the profile's base_url) and, where the
    target has one, to its admin surface."""

    MAX_RETRY_AFTER = 30.0  # seconds the suite will wait on a 429 before reporting it as the answer
    RETRIES_ON_429 = 3

    def __init__(self, client: httpx.Client | None, profile: Profile, *, portal=None,
                 async_client: httpx.AsyncClient | None = None, pacer: Pacer | None = None) -> None:
        self._client, self._portal, self._async = client, portal, async_client
        self.profile = profile
        # A remote target is called at most `max_requests_per_second` times a second (default 10), unless the
        # run says otherwise (a shared Pacer: --rate-limit).
        if pacer is None:
            pacer = Pacer(profile.capabilities.get("max_requests_per_second", None if portal is not None else 10))
        self.pacer = pacer
        self.waited_on_429 = 0.0
        # Callables seeing every API exchange (e.g. a spec-conformance recorder); admin calls excluded.
        self.observers: list[Any] = []

    def request(self, method: str, path: str, *, token: str | None = None, json_body: Any = None,
                content: bytes | None = None, headers: Mapping[str, str] | None = None,
                params: Mapping[str, Any] | None = None) -> httpx.Response:
        url = path if path.startswith("http") else self.profile.base_url + path
        hdrs = dict(headers or {})
        if token is not None:
            hdrs["Authorization"] = f"Bearer {token}"
        kwargs: dict[str, Any] = {"headers": hdrs, "params": params}
        if json_body is not None:
            kwargs["json"] = json_body
        elif content is not None:
            kwargs["content"] = content
        for attempt in range(self.RETRIES_ON_429 + 1):
            response = self._send(method, url, kwargs)
            wait = _retry_after(response)
            # RFC 6585 / 9110: honour 429 + Retry-After (bounded), then ask again.
            if response.status_code != 429 or wait is None or wait > self.MAX_RETRY_AFTER \
                    or attempt == self.RETRIES_ON_429 or self._portal is not None:
                break
            self.waited_on_429 += wait
            time.sleep(wait)
        if url.startswith(self.profile.base_url):
            for observe in self.observers:
                observe(response)
        return response

    def _send(self, method: str, url: str, kwargs: dict[str, Any]) -> httpx.Response:
        if self._portal is not None:
            return self._portal.call(lambda: self._async.request(method, url, **kwargs))
        self.pacer.wait()
        return self._client.request(method, url, **kwargs)

    def admin(self, method: str, path: str, json_body: Any = None) -> httpx.Response:
        if not self.profile.admin_url:
            raise RuntimeError("this target has no admin surface")
        return self.request(method, self.profile.admin_url + path, json_body=json_body,
                            token=self.profile.admin_token)


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds (RFC 9110: delay-seconds or an HTTP date), or None."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


@contextlib.contextmanager
def asgi_target(app: Any, origin: str = "http://mock.local") -> Iterator[Target]:
    """A target for an in-process ASGI app whose profile is served at /__mock/profile."""
    with anyio.from_thread.start_blocking_portal() as portal:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=origin, timeout=30)
        try:
            response = portal.call(client.get, origin + "/__mock/profile")
            response.raise_for_status()
            yield Target(None, Profile.from_data(response.json()), portal=portal, async_client=client)
        finally:
            portal.call(client.aclose)


@contextlib.contextmanager
def http_target(profile: Profile, timeout: float = 30.0, pacer: Pacer | None = None) -> Iterator[Target]:
    with httpx.Client(timeout=timeout) as client:
        yield Target(client, profile, pacer=pacer)


def profile_from_url(url: str, timeout: float = 10.0, admin_token: str | None = None) -> Profile:
    """The profile a running mock serves for itself (`--target-url`); `admin_token` for a mock started with
    --admin-token."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    headers = {"Authorization": f"Bearer {admin_token}"} if admin_token else {}
    response = httpx.get(origin + "/__mock/profile", timeout=timeout, headers=headers)
    response.raise_for_status()
    data = response.json()
    if admin_token and not data.get("admin_token"):
        data["admin_token"] = admin_token
    return Profile.from_data(data)
