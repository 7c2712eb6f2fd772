"""Bearer tokens (RFC 6750): who is calling, for which tenant, with which scopes; and rate limits."""
from __future__ import annotations

import math
from collections import deque
from datetime import datetime, timedelta

from state_machine.model import codes
from state_machine.model.codes import ApiError

from .fixtures import Token

REALM = 'Bearer realm="experiture"'


class AuthError(Exception):
    def __init__(self, error: ApiError, headers: dict[str, str]) -> None:
        super().__init__(error.message)
        self.error = error
        self.headers = headers


def authenticate(tokens: dict[str, Token], authorization: str | None) -> Token:
    """The token an Authorization header carries; AuthError (401) when there is none we know."""
    if not authorization:
        raise AuthError(ApiError(codes.UNAUTHENTICATED, "missing bearer token: send "
                                 "'Authorization: Bearer <token>'"), {"WWW-Authenticate": REALM})
    scheme, _, value = authorization.strip().partition(" ")
    token = tokens.get(value.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise AuthError(ApiError(codes.INVALID_TOKEN, "the bearer token is malformed, unknown or expired"),
                        {"WWW-Authenticate": REALM + ', error="invalid_token"'})
    return token


def authorize(token: Token, scope: str | None) -> None:
    """000: every endpoint requires its campaigns:* (or analytics:read) scope; 403 otherwise (001, 002)."""
    if scope is not None and scope not in token.scopes:
        raise AuthError(ApiError(codes.INSUFFICIENT_SCOPE, f"token lacks {scope}",
                                 {"requiredScope": scope, "grantedScopes": list(token.scopes)}),
                        {"WWW-Authenticate": REALM + f', error="insufficient_scope", scope="{scope}"'})


class RateLimiter:
    """A sliding one-minute window per token, on the mock clock (RFC 6585 429 + Retry-After)."""

    def __init__(self) -> None:
        self.seen: dict[str, deque[datetime]] = {}

    def check(self, token: Token, now: datetime) -> None:
        if token.requests_per_minute is None:
            return
        window = self.seen.setdefault(token.token, deque())
        while window and now - window[0] >= timedelta(minutes=1):
            window.popleft()
        if len(window) >= token.requests_per_minute:
            retry = max(1, math.ceil((window[0] + timedelta(minutes=1) - now).total_seconds()))
            raise AuthError(ApiError(codes.RATE_LIMITED, f"rate limit of {token.requests_per_minute} requests "
                                     f"per minute exceeded; retry after {retry} s",
                                     {"limit": token.requests_per_minute, "retryAfterSeconds": retry}),
                            {"Retry-After": str(retry)})
        window.append(now)
