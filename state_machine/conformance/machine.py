"""A conformance machine for one target: the engine, the generic rule families the spec switches on,
and the API's own lifecycle rules (`plugin.machine`), composed into one Hypothesis state machine.

    Machine = build_machine(target, strict=True)   # the plug-in named by the target's profile
    TestCase = Machine.TestCase
"""
from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path

from contract_spec import Spec, load_spec
from state_machine import registry
from state_machine.plugin import ApiPlugin

from .engine import Engine
from .families import FAMILIES
from .operations import deleting, keyed
from .record import RunRecord
from .requirements import load_catalogue
from .target import Target
from .verdict import ConformanceError, ContractAdvisory, ContractViolation

__all__ = ["ConformanceError", "ContractAdvisory", "ContractViolation", "build_machine", "plugin_for"]


def plugin_for(target: Target, api: str | None = None) -> ApiPlugin:
    """The plug-in of `api`, else of the API the target's profile names."""
    return registry.get(api or target.profile.api)


def build_machine(target: Target, *, plugin: ApiPlugin | None = None, spec: Spec | None = None, strict: bool,
                  report_dir: Path | None = None, record: RunRecord | None = None,
                  progress: Callable[[str], None] | None = None, deadline: float | None = None) -> type[Engine]:
    """A machine class bound to one target."""
    plugin = plugin or plugin_for(target)
    spec = spec or load_spec(plugin.spec_path)
    api_rules = [plugin.machine()] if plugin.machine is not None else []
    families = [mixin for rules_for in FAMILIES if (mixin := rules_for(spec, plugin, target)) is not None]
    name = "".join(part.capitalize() for part in plugin.name.replace("_", "-").split("-")) + "Conformance"
    return type(name, (*api_rules, *families, Engine), {
        "target": target, "spec": spec, "plugin": plugin, "catalogue": load_catalogue(plugin.catalogue_path),
        "strict": strict, "report_dir": report_dir or Path("reports"),
        "record": record if record is not None else RunRecord(),
        "progress": staticmethod(progress) if progress else None,
        "reproduction_name": f"repro-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}.py",
        "keyed_operations": keyed(spec, plugin), "delete_operation": deleting(spec, plugin),
        "deadline": deadline,
    })
