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


class RateLimiter:
    """A sliding one-minute window per token, on the mock clock (RFC 6585 429 + Retry-After)."""

    def __init__(self, plugin: ApiPlugin) -> None:
        self.plugin = plugin
        self.seen: dict[str, deque[datetime]] = {}

    def check(self, token: Token, now: datetime) -> None:
        if token.requests_per_minute is None or self.plugin.codes.rate_limited is None:
            return
        window = self.seen.setdefault(token.token, deque())
        while window and now - window[0] >= timedelta(minutes=1):
            window.popleft()
        if len(window) >= token.requests_per_minute:
            retry = max(1, math.ceil((window[0] + timedelta(minutes=1) - now).total_seconds()))
            raise Refusal(self.plugin.error(self.plugin.codes.rate_limited,
                                            f"rate limit of {token.requests_per_minute} requests per minute "
                                            f"exceeded; retry after {retry} s",
                                            {"limit": token.requests_per_minute, "retryAfterSeconds": retry}),
                          {"Retry-After": str(retry)})
        window.append(now)
