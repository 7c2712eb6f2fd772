"""The target profile as a checked model (pydantic): what a user writes to describe the server under test.

Unknown keys are refused with a did-you-mean (`fixture:` -> "did you mean `fixtures`?"), `api` must be a
registered API, and every error names the key at fault, so a broken profile ends the run with exit 2 and
one line before any test runs. docs/profile.md is generated from this module (`python -m
campaigns_contract.profile > docs/profile.md`; tests/engine/test_profile_docs.py keeps it up to date).

The engine keeps its plain `state_machine.conformance.target.Profile` (it may not import pydantic): a
checked profile is turned into one by `load_profile`.
"""
from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from state_machine import registry
from state_machine.conformance.target import Profile

BASE_CAPABILITIES = {
    "clock_control": "the target has an admin clock the suite may move (`admin_url` + POST {admin_url}/clock): "
                     "time-dependent scenarios run instead of being skipped",
    "clock_frozen": "the admin clock moves only when told (no real-time drift)",
    "allow_sends": "jobs may be committed (schedule/send for real); without it every job request is a dry run",
    "max_requests_per_second": "pace the suite's requests to this target (overridden by --rate-limit)",
}

TOKEN_ROLES = {
    "full": "required: every scope, the calling tenant (`tenant`); creates and deletes the run's campaigns",
    "reader": "exactly campaigns:read + analytics:read (the reporting client's scopes)",
    "other_tenant": "a token of another tenant (its resources must be invisible: 404)",
    "scope_<scope>": "one token per scope holding only that scope, `:` written `_` (e.g. scope_campaigns_read)",
    "<any other>": "every token of the `full` tenant lacking an operation's scope is tried against it (403)",
}

FIXTURE_ROLES = {
    "campaigns": {
        "unsupported_type": "an existing non-broadcast campaign (reads answer 409 SUMMARY_TYPE_UNSUPPORTED, "
                            "actions 409 TYPE_UNSUPPORTED); only reads, preflight and dry runs are sent to it",
        "version_missing": "a campaign without a current version (jobs answer 409 VERSION_MISSING)",
        "summary_unavailable": "a campaign missing persisted state (409 SUMMARY_UNAVAILABLE)",
        "preflight_blockers": "a campaign whose preflight reports blockers",
        "draft_<channel>": "a draft of that channel, for reading (e.g. draft_email)",
    },
    "audiences": {
        "ok": "reach evaluation and delivery succeed (`reach: ok`, `execution: ok`)",
        "reach_fails": "reach evaluation fails (`reach: fails`)",
        "execution_fails": "delivery fails (`execution: fails`)",
    },
    "templates": {
        "published": "a published template per channel (`channel`, `status: published`)",
        "draft": "an unpublished template (`status: draft`)",
        "compliance_blocker": "a template preflight blocks",
    },
    "tenants": {
        "<id>": "each tenant with its `defaultTimezone` (IANA zone or null): timezone-source scenarios",
    },
}


class ProfileProblem(ValueError):
    """A profile that cannot describe a target; the message is one line naming the key at fault."""


class TokenModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=1, description="the bearer token (sent as `Authorization: Bearer <token>`)")
    tenant: str | None = Field(None, description="the tenant it belongs to")
    scopes: list[str] = Field(default_factory=list, description="the scopes it holds")
    requests_per_minute: int | None = Field(None, description="its rate limit, when it has one")


class ProfileModel(BaseModel):
    """A target profile (YAML or JSON)."""

    model_config = ConfigDict(extra="forbid")
    api: str = Field(description="the API the target implements: a registered plug-in name")
    base_url: str = Field(description="the API's base URL including its base path, e.g. "
                                      "https://api.example.com/public/v1")
    tokens: dict[str, TokenModel] = Field(description="bearer tokens by role (see Token roles); `full` is required")
    fixtures: dict[str, list[dict[str, Any]]] = Field(
        default_factory=dict, description="existing records by kind (`campaigns`, `audiences`, `templates`, "
                                          "`tenants`), each with `id` and usually `role` (see Fixture roles)")
    capabilities: dict[str, Any] = Field(default_factory=dict, description="what the suite may do (see Capabilities)")
    timing: dict[str, float] = Field(default_factory=dict, description="simulated work durations in seconds "
                                     "(the mock's; e.g. reachEvaluationSeconds) when the target is a mock")
    admin_url: str | None = Field(None, description="the mock's admin surface (clock, reset), e.g. "
                                                    "http://127.0.0.1:8080/__mock")
    admin_token: str | None = Field(None, description="sent as `Authorization: Bearer` on admin calls (a mock started "
                                                      "with --admin-token); redacted from every file the run writes")

    @field_validator("api")
    @classmethod
    def _registered(cls, value: str) -> str:
        names = registry.names()
        if value not in names:
            raise ValueError(f"unknown api {value!r}{_did_you_mean(value, names)}; registered: {', '.join(names)}")
        return value

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value.rstrip("/")

    @field_validator("tokens")
    @classmethod
    def _full(cls, value: dict[str, TokenModel]) -> dict[str, TokenModel]:
        if "full" not in value:
            raise ValueError("no `full` token (every scope, the calling tenant)")
        return value

    @field_validator("capabilities")
    @classmethod
    def _capabilities(cls, value: dict[str, Any]) -> dict[str, Any]:
        known = known_capabilities()
        for key in value:
            if key not in known:
                raise ValueError(f"unknown capability `{key}`{_did_you_mean(key, known)}")
        return value


def documented_apis() -> list[str]:
    """The APIs shipped with the package (not those a test registers at run time)."""
    return sorted(registry.BUILT_IN)


def known_capabilities(apis: list[str] | None = None) -> dict[str, str]:
    """The base capabilities and those every registered API adds."""
    out = dict(BASE_CAPABILITIES)
    for name in apis if apis is not None else registry.names():
        for key in registry.get(name).capabilities:
            out.setdefault(key, f"{name}: a capability of that API's scenarios")
    return out


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _where(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(profile)"


def check(data: Any, source: str = "profile") -> ProfileModel:
    """The checked profile, or ProfileProblem: one line naming the key at fault."""
    if not isinstance(data, dict):
        raise ProfileProblem(f"{source}: a target profile is a mapping of keys (api, base_url, tokens, ...)")
    try:
        return ProfileModel.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where, kind = _where(error["loc"]), error["type"]
        if kind == "extra_forbidden":
            parent, key = error["loc"][:-1], str(error["loc"][-1])
            fields = TokenModel.model_fields if parent and parent[0] == "tokens" else ProfileModel.model_fields
            raise ProfileProblem(f"{source}: unknown key `{where}`{_did_you_mean(key, fields)}") from None
        if kind == "missing":
            raise ProfileProblem(f"{source}: `{where}` is missing") from None
        message = str(error["msg"]).removeprefix("Value error, ")
        raise ProfileProblem(f"{source}: `{where}`: {message}") from None


def to_profile(model: ProfileModel) -> Profile:
    data = model.model_dump(exclude_none=True)
    data["tokens"] = {name: {k: v for k, v in t.items() if v is not None} for name, t in data["tokens"].items()}
    return Profile.from_data(data)


def load_profile(path: str | Path) -> Profile:
    """A profile file (YAML, or JSON by its .json name) checked and turned into the engine's Profile."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ProfileProblem(f"{path}: cannot read it: {exc.strerror or exc}") from None
    try:
        data = json.loads(text) if str(path).endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise ProfileProblem(f"{path}: not {'JSON' if str(path).endswith('.json') else 'YAML'}: "
                             f"{str(exc).splitlines()[0]}") from None
    return to_profile(check(data, str(path)))


# --- docs/profile.md ---------------------------------------------------------------------------------

def _field_rows(model: type[BaseModel], prefix: str = "") -> list[str]:
    rows = []
    for name, info in model.model_fields.items():
        required = "required" if info.is_required() else "optional"
        rows.append(f"| `{prefix}{name}` | {required} | {info.description or ''} |")
    return rows


def render_docs() -> str:
    """docs/profile.md: every key, token role, fixture role and capability the suite looks for."""
    lines = [
        "# Target profile",
        "",
        "<!-- Generated by `python -m campaigns_contract.profile > docs/profile.md` from campaigns_contract/"
        "profile.py; tests/engine/test_profile_docs.py fails when it is out of date. -->",
        "",
        "A YAML (or JSON) file given to `campaigns-contract verify --target-profile FILE`. Unknown keys are "
        "refused with a did-you-mean, and before any test runs the command checks that `base_url` answers a "
        "known operation (not 404, not 5xx), that every token authenticates, and that every fixture "
        "campaign exists: otherwise it exits 2 with one line naming the key at fault.",
        "",
        "## Keys",
        "",
        "| key | | meaning |",
        "|---|---|---|",
        *_field_rows(ProfileModel),
        "",
        "Each entry of `tokens`:",
        "",
        "| key | | meaning |",
        "|---|---|---|",
        *_field_rows(TokenModel, "tokens.<role>."),
        "",
        f"Registered APIs (`api`): {', '.join(f'`{n}`' for n in documented_apis())} (and any installed "
        f"plug-in: `campaigns_contract.apis` entry points).",
        "",
        "## Token roles",
        "",
        "| role | what the suite uses it for |",
        "|---|---|",
        *[f"| `{role}` | {what} |" for role, what in TOKEN_ROLES.items()],
        "",
        "A scenario that needs a role the profile lacks is skipped, naming what is missing.",
        "",
        "## Fixture roles",
        "",
        "| kind | role | what the suite uses it for |",
        "|---|---|---|",
        *[f"| `{kind}` | `{role}` | {what} |" for kind, roles in FIXTURE_ROLES.items() for role, what in roles.items()],
        "",
        "## Capabilities",
        "",
        "| capability | meaning |",
        "|---|---|",
        *[f"| `{key}` | {what} |" for key, what in known_capabilities(documented_apis()).items()],
        "",
        "## A minimal profile",
        "",
        "```yaml",
        "api: experiture-v1",
        "base_url: https://api.example.com/public/v1",
        "tokens:",
        "  full: {token: \"<a token with every scope>\", tenant: t1}",
        "```",
        "",
        "The mock serves its own profile at `/__mock/profile` (`--target-url` reads it).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render_docs(), end="")
