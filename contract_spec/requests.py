"""Request validation against the spec, answering with the error codes the documents give.

A schema failure answers 400 VALIDATION_FAILED (inferred) unless the spec names a documented code for
it: `x-error-code` on the failing schema (e.g. a malformed sendAt is SEND_AT_INVALID, 001) or
`x-required-codes` on an object for a missing property (e.g. batchDate -> BATCH_DATE_REQUIRED, 001).
A `oneOf` with a discriminator is validated against the branch the discriminator names, so the message
speaks of that branch rather than of every alternative.
"""
from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jsonschema import ValidationError

from state_machine.kernel import ApiError
from state_machine.plugin import ApiPlugin

from .document import MAX_YEAR, MIN_YEAR, Operation, Parameter, Spec

# A hostile body can fail its schema thousands of times (a 60 KB array of wrong items); only the first
# MAX_SCHEMA_ERRORS failures are computed, so the work and the answer stay bounded (docs/reliability.md).
MAX_SCHEMA_ERRORS = 100


@dataclass
class RequestCheck:
    """What parameter validation found: typed values by location, and the problems."""

    values: dict[str, dict[str, Any]] = field(default_factory=lambda: {"path": {}, "query": {}, "header": {}})
    problems: list[dict[str, str]] = field(default_factory=list)

    def error(self, plugin: ApiPlugin) -> ApiError | None:
        """The API's validation error for what was found, or None."""
        if not self.problems:
            return None
        first = self.problems[0]
        return plugin.error(plugin.codes.validation_failed, f"{first['location']} parameter {first['field']}: "
                            f"{first['message']}", {"errors": self.problems})


def _coerce(raw: str, schema: dict[str, Any]) -> Any:
    """A query/path/header string as the type its schema names; ValueError when it is not one."""
    kinds = schema.get("type", "string")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "integer" in kinds:
        if not raw.lstrip("-").isdigit():
            raise ValueError("must be an integer")
        return int(raw)
    if "number" in kinds:
        return float(raw)
    if "boolean" in kinds:
        if raw not in ("true", "false"):
            raise ValueError("must be true or false")
        return raw == "true"
    return raw


@dataclass(frozen=True)
class _ParamPlan:
    """What check_parameters needs of one parameter, worked out once per operation."""

    param: Parameter
    schema: dict[str, Any]  # resolved
    lookup: str  # the name to look it up by (lower case for a header)
    default: Any
    has_default: bool


@dataclass(frozen=True)
class _OpPlan:
    op: Operation
    query_names: frozenset[str]
    allowed_message: str
    params: tuple[_ParamPlan, ...]


_PLANS: dict[int, _OpPlan] = {}


def _plan(spec: Spec, op: Operation) -> _OpPlan:
    plan = _PLANS.get(id(op))
    if plan is not None and plan.op is op:
        return plan
    allowed = sorted(p.name for p in op.parameters if p.location == "query")
    params = []
    for p in op.parameters:
        if p.location not in ("path", "query", "header"):
            continue
        params.append(_ParamPlan(p, spec.resolve(p.schema), p.name, p.schema.get("default"), "default" in p.schema))
    plan = _OpPlan(op, frozenset(p.name for p in op.parameters if p.location == "query"),
                   "unknown query parameter" + (f"; allowed: {', '.join(allowed)}" if allowed
                                                else "; this operation takes none"), tuple(params))
    _PLANS[id(op)] = plan
    return plan


def check_parameters(spec: Spec, op: Operation, path: Mapping[str, str], query: Any,
                     headers: Mapping[str, str]) -> RequestCheck:
    """Validate path, query and header parameters. `query` is a multi-dict (has `getlist`) or a dict.

    The plan of each operation is worked out once; a value is checked by the spec's compiled check
    (Spec.is_valid) and only a value it refuses goes through jsonschema for the message."""
    plan = _plan(spec, op)
    check = RequestCheck()
    problems, values = check.problems, check.values
    if query:
        for name in dict.fromkeys(query.keys()):
            if name not in plan.query_names:
                problems.append({"location": "query", "field": name, "message": plan.allowed_message})
    multi = query is not None and hasattr(query, "getlist")
    for pp in plan.params:
        p = pp.param
        location, key = p.location, p.name
        source = headers if location == "header" else path if location == "path" else query
        if source is None:
            continue
        if location == "header":
            raw = source.get(key)
            present = raw is not None
        else:
            present = key in source
            raw = source[key] if present else None
        if not present:
            if p.required:
                problems.append({"location": location, "field": key, "message": "is required"})
            elif pp.has_default:
                values[location][key] = pp.default
            continue
        if location == "query" and multi and len(query.getlist(key)) > 1:
            problems.append({"location": "query", "field": key, "message": "must be given once"})
            continue
        try:
            value = _coerce(raw, pp.schema)
        except ValueError as exc:
            problems.append({"location": location, "field": key, "message": str(exc)})
            continue
        if not spec.is_valid(p.pointer, value):
            errors = sorted(spec.validator(p.pointer).iter_errors(value), key=lambda e: e.path)
            if errors:
                problems.append({"location": location, "field": key, "message": _message(errors[0])})
                continue
        values[location][key] = value
    return check


def _message(error: ValidationError) -> str:
    if error.validator == "required":
        return "is required"
    if error.validator == "enum":
        return "must be one of " + ", ".join(map(str, error.validator_value))
    if error.validator == "format":
        if error.validator_value in ("date", "date-time"):
            return f"must be a valid {error.validator_value} from year {MIN_YEAR} to {MAX_YEAR}"
        return f"must be a valid {error.validator_value}"
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown field(s)")
    return error.message


def _field(error: ValidationError, extra: str | None = None) -> str:
    parts = [str(p) for p in error.absolute_path] + ([extra] if extra else [])
    return ".".join(parts) or "(body)"


def _documented_code(spec: Spec, root_pointer: str, error: ValidationError) -> str | None:
    """The x-error-code / x-required-codes the spec attaches to where this error happened."""
    if error.validator == "required":
        missing = [p for p in error.validator_value if isinstance(error.instance, dict) and p not in error.instance]
        named = (error.schema.get("x-required-codes") or {}) if isinstance(error.schema, dict) else {}
        for p in missing:
            if p in named:
                return named[p]
    # Walk from the root along the schema path: the deepest x-error-code on the way names the failure.
    node: Any = spec.at(root_pointer)
    found = node.get("x-error-code") if isinstance(node, dict) else None
    for token in error.absolute_schema_path:
        node = spec.resolve(node) if isinstance(node, dict) else node
        try:
            node = node[token]
        except (KeyError, IndexError, TypeError):
            break
        if token == "$ref":
            node = spec.resolve({"$ref": node})
        if isinstance(node, dict) and "x-error-code" in node:
            found = node["x-error-code"]
    return found


def _branch(spec: Spec, pointer: str, body: Any, plugin: ApiPlugin) -> tuple[str, ApiError | None]:
    """Follow a discriminated oneOf to the branch the body names."""
    schema = spec.schema_at(pointer)
    while isinstance(body, dict) and isinstance(schema, dict) and "oneOf" in schema and "discriminator" in schema:
        prop = schema["discriminator"]["propertyName"]
        mapping = schema["discriminator"].get("mapping", {})
        value = body.get(prop)
        if not isinstance(value, str) or value not in mapping:
            message = (f"{prop} is required" if value is None else f"{prop} {value!r} is not allowed") \
                + "; one of " + ", ".join(mapping)
            return pointer, plugin.error(plugin.codes.validation_failed, message, {"errors": [
                {"location": "body", "field": prop, "message": message}]})
        pointer = mapping[value].lstrip("#")
        schema = spec.schema_at(pointer)
    return pointer, None


def check_body(spec: Spec, op: Operation, body: Any, plugin: ApiPlugin) -> ApiError | None:
    """The error a request body earns (in the API's codes), or None when it is valid for the operation."""
    if op.body_pointer is None:
        return None
    pointer, problem = _branch(spec, op.body_pointer, body, plugin)
    if problem is not None:
        return problem
    if spec.is_valid(pointer, body):  # the common case: no error objects, no $ref resolution
        return None
    errors = list(itertools.islice(spec.validator(pointer).iter_errors(body), MAX_SCHEMA_ERRORS))
    if not errors:
        return None
    listed = []
    documented = None
    for e in sorted(errors, key=lambda e: (list(map(str, e.absolute_path)), str(e.validator))):
        code = _documented_code(spec, pointer, e)
        extra = None
        if e.validator == "required" and isinstance(e.instance, dict):
            extra = next((p for p in e.validator_value if p not in e.instance), None)
        listed.append({"location": "body", "field": _field(e, extra), "message": _message(e)})
        if code and documented is None:
            documented = (code, listed[-1])
    if documented is not None:
        code, first = documented
        return plugin.error(code, f"{first['field']}: {first['message']}", {"errors": listed})
    first = listed[0]
    return plugin.error(plugin.codes.validation_failed, f"{first['field']}: {first['message']}", {"errors": listed})
