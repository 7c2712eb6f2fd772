"""Operation sets the engine's rules range over, read from the spec (never kept by hand): the operations
on one resource, the secured ones, the keyed (idempotent) ones, those that create a resource, and those
whose success answers the resource object itself. Each list is in the spec's order.
"""
from __future__ import annotations

import json

from contract_spec import Operation, Spec
from state_machine.plugin import ApiPlugin

IDEMPOTENCY_HEADER = "Idempotency-Key"


def on_resource(spec: Spec, plugin: ApiPlugin) -> tuple[str, ...]:
    """Operations whose path names one resource (it has the plug-in's path parameter)."""
    marker = "{" + plugin.resource.path_param + "}"
    return tuple(op_id for op_id, op in spec.operations.items() if marker in op.path)


def secured(spec: Spec, names: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Operations (of `names`, default all) that have a security requirement."""
    return tuple(op_id for op_id, op in spec.operations.items()
                 if op.secured and (names is None or op_id in names))


def scoped(spec: Spec, names: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Operations (of `names`, default all) that need a scope."""
    return tuple(op_id for op_id in secured(spec, names) if spec.operations[op_id].scope)


def keyed(spec: Spec, plugin: ApiPlugin) -> tuple[str, ...]:
    """Operations that take an Idempotency-Key (none when the API has no idempotency)."""
    if plugin.idempotency is None:
        return ()
    return tuple(op_id for op_id, op in spec.operations.items() if op.header(IDEMPOTENCY_HEADER) is not None)


def creating(spec: Spec, plugin: ApiPlugin) -> tuple[str, ...]:
    """Operations that create a resource in the collection (POST on its path)."""
    return tuple(op_id for op_id, op in spec.operations.items()
                 if op.method == "POST" and op.path == plugin.resource.collection_path)


def item_path(plugin: ApiPlugin) -> str:
    return f"{plugin.resource.collection_path}/{{{plugin.resource.path_param}}}"


def deleting(spec: Spec, plugin: ApiPlugin) -> Operation | None:
    """The operation that deletes one resource, if the API has one."""
    return next((op for op in spec.operations.values() if op.method == "DELETE" and op.path == item_path(plugin)),
                None)


def _success_schemas(spec: Spec, op: Operation) -> set[str]:
    found = set()
    for status, response in op.responses.items():
        if status.startswith("2"):
            content = (spec.resolve(response).get("content") or {}).get("application/json") or {}
            found.add(json.dumps(content.get("schema"), sort_keys=True))
    return found


def answering_resource(spec: Spec, plugin: ApiPlugin) -> tuple[str, ...]:
    """Operations whose success answers the resource object: the same success schema as the read of one
    resource (GET on the item path)."""
    read = next((op for op in spec.operations.values() if op.method == "GET" and op.path == item_path(plugin)), None)
    if read is None:
        return ()
    reference = _success_schemas(spec, read)
    return tuple(op_id for op_id, op in spec.operations.items() if _success_schemas(spec, op) & reference)
