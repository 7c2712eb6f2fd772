"""Loading an OpenAPI 3.1 document and reading its operations."""
from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from state_machine.kernel.times import parse_date, parse_timestamp

from .fastcheck import Compiler, compile_pointer

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the same data, ~10x faster

ROOT_URI = "urn:campaigns-contract:spec"
def _NOTHING(parts: list[str]) -> tuple[()]:  # no segment of this kind
    return ()


_UNCOMPILED = object()
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _uuid(value: object) -> bool:
    return not isinstance(value, str) or bool(_UUID.fullmatch(value))


# The range of years a `date-time` or `date` value may name (docs/reliability.md). RFC 3339 allows
# 0000-9999, but a date near either end overflows as soon as a model adds a duration or a zone offset to it
# (year 9999 + a day is no datetime), so the mock would accept it and then answer 500 on every later read.
# No campaign is planned before the Unix epoch or a millennium ahead: both ends are refused with a 400.
MIN_YEAR, MAX_YEAR = 1970, 2999


def in_range(moment: date | datetime | None) -> bool:
    """A parsed date or timestamp within MIN_YEAR..MAX_YEAR (its own offset, and in UTC)."""
    if moment is None:
        return False
    years = [moment.year]
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        try:
            years.append(moment.astimezone(timezone.utc).year)
        except OverflowError:
            return False
    return all(MIN_YEAR <= y <= MAX_YEAR for y in years)


def format_checker() -> FormatChecker:
    """The formats the spec uses, read exactly as the model reads them, within MIN_YEAR..MAX_YEAR."""
    checker = FormatChecker(formats=())
    checker.checks("uuid")(_uuid)
    checker.checks("date-time")(lambda v: not isinstance(v, str) or in_range(parse_timestamp(v)))
    checker.checks("date")(lambda v: not isinstance(v, str) or in_range(parse_date(v)))
    return checker


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # path | query | header
    required: bool
    schema: dict[str, Any]
    pointer: str  # JSON pointer of its schema in the document


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str  # upper case
    path: str  # template, e.g. /campaigns/{campaign_id}
    scopes: tuple[str, ...]
    secured: bool  # the operation has a security requirement (credentials are checked)
    parameters: tuple[Parameter, ...]
    body_pointer: str | None  # JSON pointer of the application/json request schema
    body_required: bool
    responses: dict[str, Any] = field(repr=False)
    pattern: re.Pattern = field(repr=False)

    def match(self, path: str) -> dict[str, str] | None:
        m = self.pattern.fullmatch(path)
        return m.groupdict() if m else None

    @property
    def scope(self) -> str | None:
        return self.scopes[0] if self.scopes else None

    def header(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.location == "header" and p.name.lower() == name.lower()), None)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class Spec:
    """An OpenAPI document with its operations indexed and its schemas ready to validate against."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.registry = Registry().with_resource(ROOT_URI, Resource.from_contents(document, DRAFT202012))
        self.formats = format_checker()
        self.base_path = self._base_path()
        self._compiler = Compiler(document, ROOT_URI, self.formats)
        self._checks: dict[str, Any] = {}  # pointer -> compiled validity check (None: jsonschema decides)
        self._resolved: dict[str, Any] = {}
        self._routes: dict[int, list[tuple[Any, Operation]]] | None = None
        self.operations: dict[str, Operation] = {}
        for path, item in document.get("paths", {}).items():
            shared = item.get("parameters", [])
            for method in METHODS:
                if method not in item:
                    continue
                raw = item[method]
                pointer = f"/paths/{_escape(path)}/{method}"
                op = self._operation(path, method, raw, shared, pointer)
                self.operations[op.operation_id] = op

    def _base_path(self) -> str:
        servers = self.document.get("servers") or [{"url": ""}]
        url = servers[0]["url"]
        return re.sub(r"^[a-z]+://[^/]+", "", url).rstrip("/")

    def resolve(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            node = self.at(node["$ref"].lstrip("#"))
        return node

    def at(self, pointer: str) -> Any:
        node: Any = self.document
        for token in [t for t in pointer.split("/") if t]:
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node

    def schema_bundle(self, pointer: str) -> dict[str, Any]:
        """A self-contained JSON Schema for the schema at `pointer`: a document holding that schema and every
        node its local `$ref`s reach, each at its own path, with a root `$ref` to the schema (so a
        reproduction validates an answer with jsonschema alone, without the spec)."""
        bundle: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                                  "$ref": "#" + pointer}
        pending, seen = [pointer], set()
        while pending:
            where = pending.pop()
            if where in seen:
                continue
            seen.add(where)
            node = self.at(where)
            holder = bundle
            tokens = [t for t in where.split("/") if t]
            for token in tokens[:-1]:
                holder = holder.setdefault(token.replace("~1", "/").replace("~0", "~"), {})
            holder[tokens[-1].replace("~1", "/").replace("~0", "~")] = node
            stack = [node]
            while stack:
                item = stack.pop()
                if isinstance(item, dict):
                    ref = item.get("$ref")
                    if isinstance(ref, str) and ref.startswith("#/"):
                        pending.append(ref[1:])
                    stack += list(item.values())
                elif isinstance(item, list):
                    stack += item
        return bundle

    def _operation(self, path: str, method: str, raw: dict, shared: list, pointer: str) -> Operation:
        params: dict[tuple[str, str], Parameter] = {}
        for where, plist in (("shared", shared), ("own", raw.get("parameters", []))):
            base = pointer.rsplit("/", 1)[0] if where == "shared" else pointer
            for i, p in enumerate(plist):
                p_pointer = p["$ref"].lstrip("#") if "$ref" in p else f"{base}/parameters/{i}"
                p = self.resolve(p)
                params[(p["in"], p["name"])] = Parameter(p["name"], p["in"], bool(p.get("required")),
                                                         p.get("schema", {}), p_pointer + "/schema")
        body = self.resolve(raw.get("requestBody")) if raw.get("requestBody") else None
        body_pointer = None
        if body:
            ref = raw["requestBody"].get("$ref")
            base = ref.lstrip("#") if ref else f"{pointer}/requestBody"
            body_pointer = f"{base}/content/application~1json/schema"
        scopes: tuple[str, ...] = ()
        requirements = raw.get("security", self.document.get("security", []))
        for requirement in requirements:
            for values in requirement.values():
                scopes += tuple(values)
        secured = any(requirement for requirement in requirements)  # [] or [{}] means anonymous
        regex = "".join(
            f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part)
            for part in re.split(r"(\{[^}]+\})", path)
        )
        return Operation(raw["operationId"], method.upper(), path, scopes, secured, tuple(params.values()),
                         body_pointer, bool(body and body.get("required")), raw.get("responses", {}),
                         re.compile(regex))

    def _route_index(self) -> dict[int, list[tuple[Any, Operation]]]:
        """Operations by the number of segments of their path template, in document order; each with its
        literal segments by position and its parameters' positions, or None when a segment mixes text and a
        parameter (then the template's regex decides)."""
        index: dict[int, list[tuple[Any, Operation]]] = {}
        for op in self.operations.values():
            parts = op.path.split("/")
            literals, params = [], []
            for i, part in enumerate(parts):
                if re.fullmatch(r"\{[^{}]+\}", part):
                    params.append((i, part[1:-1]))
                elif "{" in part or "}" in part:
                    literals = None
                    break
                else:
                    literals.append((i, part))
            plan = None
            if literals is not None:
                # itemgetter: the segments at these positions in one C call (a tuple, or the one segment)
                plan = (operator.itemgetter(*[i for i, _ in literals]) if literals else _NOTHING,
                        tuple(t for _, t in literals) if len(literals) != 1 else literals[0][1],
                        operator.itemgetter(*[i for i, _ in params]) if params else _NOTHING,
                        tuple(name for _, name in params), len(params) == 1)
            index.setdefault(len(parts), []).append((plan, op))
        return index

    def find(self, method: str, path: str) -> tuple[Operation | None, dict[str, str], list[str]]:
        """(operation, path parameters, methods allowed on this path) for an API-relative path.

        Only the templates with as many segments as the path are tried, by comparing their literal segments
        (a `{parameter}` segment takes any non-empty segment): the answer the templates' regexes give."""
        if self._routes is None:
            self._routes = self._route_index()
        parts = path.split("/")
        method = method.upper()
        allowed: list[str] = []
        found: tuple[Operation | None, dict[str, str]] = (None, {})
        for plan, op in self._routes.get(len(parts), ()):
            if plan is None:
                params = op.match(path)
                if params is None:
                    continue
            else:
                literal_at, literal_texts, param_at, names, single = plan
                if literal_at(parts) != literal_texts:
                    continue
                values = param_at(parts)
                if single:
                    if not values:  # a {parameter} segment takes any non-empty segment
                        continue
                    params = {names[0]: values}
                else:
                    if "" in values:
                        continue
                    params = dict(zip(names, values, strict=True))
            allowed.append(op.method)
            if op.method == method:
                found = (op, params)
        return found[0], found[1], allowed

    def schema_at(self, pointer: str) -> Any:
        """`resolve(at(pointer))`, worked out once per pointer."""
        found = self._resolved.get(pointer, _UNCOMPILED)
        if found is _UNCOMPILED:
            found = self._resolved[pointer] = self.resolve(self.at(pointer))
        return found

    def is_valid(self, pointer: str, instance: Any) -> bool:
        """Whether `instance` is valid against the schema at `pointer`: the compiled check (contract_spec.fastcheck)
        where the schema allows one, else jsonschema. Exactly jsonschema's verdict, without its errors."""
        check = self._checks.get(pointer, _UNCOMPILED)
        if check is _UNCOMPILED:
            check = self._checks[pointer] = compile_pointer(self._compiler, pointer)
        if check is not None:
            return check(instance)
        return self.validator(pointer).is_valid(instance)

    @functools.lru_cache(maxsize=None)  # noqa: B019 - a Spec lives as long as the process (load_spec caches it)
    def validator(self, pointer: str) -> Draft202012Validator:
        """A validator for the schema at `pointer`, resolving its `$ref`s inside the document."""
        return Draft202012Validator({"$ref": f"{ROOT_URI}#{pointer}"}, registry=self.registry,
                                    format_checker=self.formats)


@functools.lru_cache(maxsize=4)
def _load(path: str) -> Spec:
    with open(path, encoding="utf-8") as fh:
        return Spec(yaml.load(fh, Loader=_YAML_LOADER))


def load_spec(path: str | Path) -> Spec:
    """The spec at `path`, parsed once per process."""
    return _load(str(path))
