"""Bearer tokens (RFC 6750): who is calling, for which tenant, with which scopes; and rate limits."""
from __future__ import annotations

import math
from collections import deque
from datetime import datetime, timedelta

from state_machine.plugin import ApiPlugin, Token

from .errors import Refusal


def _realm(plugin: ApiPlugin) -> str:
    return f'Bearer realm="{plugin.auth_realm}"'


def authenticate(plugin: ApiPlugin, tokens: dict[str, Token], authorization: str | None) -> Token:
    """The token an Authorization header carries; a 401 Refusal when there is none we know."""
    codes = plugin.codes
    if not authorization:
        raise Refusal(plugin.error(codes.unauthenticated, "missing bearer token: send "
                                   "'Authorization: Bearer <token>'"), {"WWW-Authenticate": _realm(plugin)})
    scheme, _, value = authorization.strip().partition(" ")
    token = tokens.get(value.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise Refusal(plugin.error(codes.invalid_token, "the bearer token is malformed, unknown or expired"),
                      {"WWW-Authenticate": _realm(plugin) + ', error="invalid_token"'})
    return token


def authorize(plugin: ApiPlugin, token: Token, scope: str | None) -> None:
    """A token must carry the scope the spec gives the operation (RFC 6750 insufficient_scope: 403)."""
    if scope is not None and scope not in token.scopes:
        raise Refusal(plugin.error(plugin.codes.insufficient_scope, f"token lacks {scope}",
                                   {"requiredScope": scope, "grantedScopes": list(token.scopes)}),
                      {"WWW-Authenticate": _realm(plugin) + f', error="insufficient_scope", scope="{scope}"'})


def rate_limited(plugin: ApiPlugin, token: Token, retry: int) -> Refusal:
    assert plugin.codes.rate_limited is not None and token.requests_per_minute is not None
    return Refusal(plugin.error(plugin.codes.rate_limited, f"rate limit of {token.requests_per_minute} requests per "
                                f"minute exceeded; retry after {retry} s",
                                {"limit": token.requests_per_minute, "retryAfterSeconds": retry}),
                   {"Retry-After": str(retry)})


class RateLimiter:
    """A sliding one-minute window per token, on the mock clock (RFC 6585 429 + Retry-After), in memory.
    (mock_server/redis_store.py keeps the same windows in Redis for several workers.)"""

    def __init__(self, plugin: ApiPlugin) -> None:
        self.plugin = plugin
        self.seen: dict[str, deque[datetime]] = {}

    def applies(self, token: Token) -> bool:
        return token.requests_per_minute is not None and self.plugin.codes.rate_limited is not None

    def check(self, token: Token, now: datetime) -> None:
        if not self.applies(token):
            return
        window = self.seen.setdefault(token.token, deque())
        while window and now - window[0] >= timedelta(minutes=1):
            window.popleft()
        if len(window) >= token.requests_per_minute:
            raise rate_limited(self.plugin, token,
                               max(1, math.ceil((window[0] + timedelta(minutes=1) - now).total_seconds())))
        window.append(now)

    def clear(self) -> None:
        self.seen.clear()

    def export(self) -> dict[str, list[str]]:
        return {token: [t.isoformat() for t in window] for token, window in self.seen.items() if window}

    def load(self, data: object) -> None:
        try:
            seen = {token: deque(datetime.fromisoformat(t) for t in times)  # type: ignore[union-attr]
                    for token, times in data.items()}  # type: ignore[union-attr]
            if any(not isinstance(k, str) or any(t.tzinfo is None for t in w) for k, w in seen.items()):
                raise ValueError
        except (AttributeError, TypeError, ValueError):
            raise ValueError("rateLimits: expected {token: [ISO 8601 timestamps]}") from None
        self.seen = seen
