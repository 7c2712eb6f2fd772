"""A fast yes/no answer to "is this instance valid against that schema?", compiled once per schema.

jsonschema's `iter_errors` resolves every `$ref` through `referencing` and builds error objects on the way:
most of the mock's validation time on valid input (docs/performance.md). `compile_schema` turns a schema of
the spec into nested closures that answer only valid / not valid, with every keyword implemented exactly as
jsonschema's Draft 2020-12 keyword functions decide it (same type checker, same `equal` and `uniq`, same
`re.search`, the spec's own format checker). The callers use it as a fast path only: when it says *valid*,
jsonschema would have found no error; when it says *not valid*, jsonschema is asked for the errors and their
messages, as before. A schema using a keyword not implemented here (e.g. `unevaluatedProperties`,
`$dynamicRef`, a `$ref` outside the document) is not compiled (None) and the caller uses jsonschema alone.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from jsonschema import FormatChecker
from jsonschema._utils import equal, uniq  # the exact comparisons jsonschema's enum/const/uniqueItems use

Check = Callable[[Any], bool]

# Keywords Draft 2020-12 validates with; all others are annotations (ignored by jsonschema too).
VALIDATING = {"$dynamicRef", "$ref", "additionalProperties", "allOf", "anyOf", "const", "contains",
              "dependentRequired", "dependentSchemas", "enum", "exclusiveMaximum", "exclusiveMinimum", "format",
              "if", "items", "maxItems", "maxLength", "maxProperties", "maximum", "minItems", "minLength",
              "minProperties", "minimum", "multipleOf", "not", "oneOf", "pattern", "patternProperties",
              "prefixItems", "properties", "propertyNames", "required", "type", "unevaluatedItems",
              "unevaluatedProperties", "uniqueItems"}
SUPPORTED = {"$ref", "additionalProperties", "allOf", "anyOf", "const", "enum", "exclusiveMaximum",
             "exclusiveMinimum", "format", "if", "items", "maxItems", "maxLength", "maxProperties", "maximum",
             "minItems", "minLength", "minProperties", "minimum", "not", "oneOf", "pattern", "properties",
             "propertyNames", "required", "type", "uniqueItems"}


class Unsupported(Exception):
    """The schema uses something this compiler does not decide exactly as jsonschema: use jsonschema."""


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _integer(x: Any) -> bool:
    if isinstance(x, bool):
        return False
    return isinstance(x, int) or (isinstance(x, float) and x.is_integer())


TYPES: dict[str, Check] = {
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "string": lambda x: isinstance(x, str),
    "integer": _integer,
    "number": _number,
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
}


def _valid(_: Any) -> bool:
    return True


def _invalid(_: Any) -> bool:
    return False


class Compiler:
    """Compiles schemas of one document; `$ref`s to "#/..." (or `root_uri#/...`) are followed in it, once."""

    def __init__(self, document: Any, root_uri: str, formats: FormatChecker) -> None:
        self.document, self.root_uri, self.formats = document, root_uri, formats
        self.refs: dict[str, list[Check | None]] = {}  # pointer -> cell (filled once compiled; recursion)

    def at(self, pointer: str) -> Any:
        """The node at a fragment's JSON pointer, read as `referencing` reads it (percent-decoded)."""
        node: Any = self.document
        if not pointer:
            return node
        for token in unquote(pointer[1:]).split("/"):
            node = node[int(token)] if isinstance(node, list) else node[token.replace("~1", "/").replace("~0", "~")]
        return node

    def ref(self, ref: str) -> Check:
        if ref.startswith(self.root_uri + "#"):
            ref = ref[len(self.root_uri):]
        if not ref.startswith("#"):
            raise Unsupported(f"$ref {ref!r}")
        pointer = ref[1:]
        cell = self.refs.get(pointer)
        if cell is None:
            cell = self.refs[pointer] = [None]
            try:
                target = self.at(pointer)
            except (KeyError, IndexError, ValueError, TypeError):
                raise Unsupported(f"$ref {ref!r} does not resolve") from None
            cell[0] = self.compile(target)
        if cell[0] is not None:
            return cell[0]

        def late(x: Any) -> bool:  # a recursive reference: compiled by the time it is called
            return cell[0](x)  # type: ignore[misc]
        return late

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return _valid
        if schema is False:
            return _invalid
        if not isinstance(schema, dict):
            raise Unsupported("schema is not an object or a boolean")
        if "$id" in schema or "$anchor" in schema or "$dynamicAnchor" in schema or "$schema" in schema:
            raise Unsupported("$id / $anchor / $schema inside the document")
        used = VALIDATING.intersection(schema)
        if used - SUPPORTED:
            raise Unsupported(", ".join(sorted(used - SUPPORTED)))
        checks: list[Check] = []
        s = schema
        if "$ref" in s:
            checks.append(self.ref(s["$ref"]))
        if "type" in s:
            kinds = s["type"] if isinstance(s["type"], list) else [s["type"]]
            if not all(isinstance(k, str) and k in TYPES for k in kinds):
                raise Unsupported(f"type {s['type']!r}")
            if len(kinds) == 1:
                checks.append(TYPES[kinds[0]])
            else:
                fns = [TYPES[k] for k in kinds]
                checks.append(lambda x, fns=fns: any(f(x) for f in fns))
        if "enum" in s:
            enums = s["enum"]
            if all(isinstance(e, str) for e in enums):
                strings = frozenset(enums)
                checks.append(lambda x, strings=strings, enums=enums: x in strings if isinstance(x, str)
                              else any(equal(e, x) for e in enums))
            else:
                checks.append(lambda x, enums=enums: any(equal(e, x) for e in enums))
        if "const" in s:
            const = s["const"]
            checks.append(lambda x, const=const: equal(x, const))
        for key, test in (("minimum", lambda x, m: not x < m), ("maximum", lambda x, m: not x > m),
                          ("exclusiveMinimum", lambda x, m: not x <= m),
                          ("exclusiveMaximum", lambda x, m: not x >= m)):
            if key in s:
                bound = s[key]
                checks.append(lambda x, bound=bound, test=test: not _number(x) or test(x, bound))
        if "minLength" in s:
            n = s["minLength"]
            checks.append(lambda x, n=n: not isinstance(x, str) or len(x) >= n)
        if "maxLength" in s:
            n = s["maxLength"]
            checks.append(lambda x, n=n: not isinstance(x, str) or len(x) <= n)
        if "pattern" in s:
            regex = re.compile(s["pattern"])
            checks.append(lambda x, regex=regex: not isinstance(x, str) or regex.search(x) is not None)
        if "format" in s:
            fmt = s["format"]
            if fmt in self.formats.checkers:  # FormatChecker.conforms, without its layers: the same verdict
                func, raises = self.formats.checkers[fmt]

                def conforms(x: Any, func: Any = func, raises: Any = raises) -> bool:
                    try:
                        return bool(func(x))
                    except raises:
                        return False
                checks.append(conforms)
        if "minItems" in s:
            n = s["minItems"]
            checks.append(lambda x, n=n: not isinstance(x, list) or len(x) >= n)
        if "maxItems" in s:
            n = s["maxItems"]
            checks.append(lambda x, n=n: not isinstance(x, list) or len(x) <= n)
        if s.get("uniqueItems"):
            checks.append(lambda x: not isinstance(x, list) or uniq(x))
        if "items" in s:
            item = self.compile(s["items"])
            checks.append(lambda x, item=item: not isinstance(x, list) or all(item(v) for v in x))
        if "minProperties" in s:
            n = s["minProperties"]
            checks.append(lambda x, n=n: not isinstance(x, dict) or len(x) >= n)
        if "maxProperties" in s:
            n = s["maxProperties"]
            checks.append(lambda x, n=n: not isinstance(x, dict) or len(x) <= n)
        if "required" in s:
            required = list(s["required"])
            checks.append(lambda x, required=required: not isinstance(x, dict) or all(p in x for p in required))
        if "properties" in s:
            props = [(name, self.compile(sub)) for name, sub in s["properties"].items()]
            checks.append(lambda x, props=props: not isinstance(x, dict) or all(
                check(x[name]) for name, check in props if name in x))
        if "additionalProperties" in s:
            known = frozenset(s.get("properties", {}))
            extra_schema = s["additionalProperties"]
            if extra_schema is False:
                checks.append(lambda x, known=known: not isinstance(x, dict) or all(k in known for k in x))
            elif isinstance(extra_schema, dict):
                extra = self.compile(extra_schema)
                checks.append(lambda x, known=known, extra=extra: not isinstance(x, dict) or all(
                    extra(v) for k, v in x.items() if k not in known))
            # additionalProperties: true (or any other falsy-but-not-False value jsonschema treats alike) is no check
            elif extra_schema is not True and not extra_schema:
                checks.append(lambda x, known=known: not isinstance(x, dict) or all(k in known for k in x))
        if "propertyNames" in s:
            names = self.compile(s["propertyNames"])
            checks.append(lambda x, names=names: not isinstance(x, dict) or all(names(k) for k in x))
        if "allOf" in s:
            subs = [self.compile(sub) for sub in s["allOf"]]
            checks.append(lambda x, subs=subs: all(f(x) for f in subs))
        if "anyOf" in s:
            subs = [self.compile(sub) for sub in s["anyOf"]]
            checks.append(lambda x, subs=subs: any(f(x) for f in subs))
        if "oneOf" in s:
            subs = [self.compile(sub) for sub in s["oneOf"]]
            checks.append(lambda x, subs=subs: sum(1 for f in subs if f(x)) == 1)
        if "not" in s:
            negated = self.compile(s["not"])
            checks.append(lambda x, negated=negated: not negated(x))
        if "if" in s:
            cond = self.compile(s["if"])
            then = self.compile(s["then"]) if "then" in s else _valid
            else_ = self.compile(s["else"]) if "else" in s else _valid
            checks.append(lambda x, cond=cond, then=then, else_=else_: then(x) if cond(x) else else_(x))
        if not checks:
            return _valid
        if len(checks) == 1:
            return checks[0]
        return lambda x, checks=tuple(checks): all(c(x) for c in checks)


def compile_pointer(compiler: Compiler, pointer: str) -> Check | None:
    """The compiled check of the schema at `pointer` (as `{"$ref": "#<pointer>"}`), or None if unsupported."""
    try:
        return compiler.ref("#" + pointer)
    except (Unsupported, RecursionError, re.error):
        compiler.refs = {k: v for k, v in compiler.refs.items() if v[0] is not None}  # drop half-compiled cells
        return None
