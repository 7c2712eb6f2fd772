"""The conformance report: a verdict, one row per catalogue requirement, and coverage.

Written as Markdown for people and JSON for machines. A requirement is `pass` only when something in
this run checked it and found nothing wrong; one nothing checked is `not exercised`, never a pass.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from contract_spec import Spec
from state_machine.conformance.record import RunRecord
from state_machine.conformance.requirements import load_catalogue
from state_machine.plugin import ApiPlugin

from .collector import Collector

# "weakly exercised": checked in this run only by checks that see the form of an answer (its status or
# schema), which cannot see a violation of the requirement's guarantee: never a pass.
RESULTS = ("fail", "advisory", "pass", "weakly exercised", "skipped", "not exercised")


@dataclass
class Row:
    id: str
    statement: str
    level: str
    result: str
    evidence: list[str]


def rows(collector: Collector, plugin: ApiPlugin) -> list[Row]:
    record: RunRecord = collector.record
    failing: dict[str, list[str]] = defaultdict(list)
    advisory: dict[str, list[str]] = defaultdict(list)
    passing: dict[str, list[str]] = defaultdict(list)
    skipped: dict[str, list[str]] = defaultdict(list)
    for v in record.violations:
        for rid in v.requirement_ids:
            failing[rid].append(f"{v.message} (reproduction: {v.reproduction})")
    for a in record.advisories:
        for rid in a.requirement_ids:
            advisory[rid].append(a.message)
    for t in collector.outcomes.values():
        target = {"failed": failing, "passed": passing, "skipped": skipped}[t.outcome]
        for rid in t.requirement_ids:
            target[rid].append(f"{t.nodeid}" + (f": {t.detail.strip().splitlines()[-1][:300]}" if t.detail else ""))
    out = []
    for rid, entry in load_catalogue(plugin.catalogue_path).entries.items():
        if rid in failing:
            result, evidence = "fail", failing[rid]
        elif rid in advisory:
            result, evidence = "advisory", advisory[rid]
        elif rid not in passing and record.weakly_exercised(rid):
            result = "weakly exercised"
            evidence = [f"stateful suite: {record.exercised[rid]} checks, all shape-only (status or schema)"]
        elif rid in passing or record.exercised.get(rid):
            checks = record.exercised.get(rid, 0)
            result = "pass"
            evidence = passing[rid] + ([f"stateful suite: {checks} checks"] if checks else [])
        elif rid in skipped:
            result, evidence = "skipped", skipped[rid]
        else:
            result, evidence = "not exercised", []
        out.append(Row(rid, entry["statement"], entry["level"], result, evidence[:5]))
    return out


def coverage(collector: Collector, spec: Spec) -> dict[str, Any]:
    seen = collector.record.coverage
    per_operation: dict[str, dict[str, int]] = defaultdict(dict)
    codes_seen: set[str] = set()
    for (operation, status, code), n in seen.items():
        key = f"{status} {code}" if code else str(status)
        per_operation[operation][key] = per_operation[operation].get(key, 0) + n
        if code:
            codes_seen.add(code)
    documented: set[str] = set()
    for op in spec.operations.values():
        for response in op.responses.values():
            documented |= _codes(spec, response)
    return {
        "operations": {op: dict(sorted(v.items())) for op, v in sorted(per_operation.items())},
        "operations_never_called": sorted(set(spec.operations) - set(per_operation)),
        "error_codes_seen": sorted(codes_seen & documented),
        "error_codes_never_seen": sorted(documented - codes_seen),
        "error_codes_outside_spec": sorted(codes_seen - documented),
        "requirements_exercised": dict(sorted(collector.record.exercised.items())),
    }


def _codes(spec: Spec, node: Any) -> set[str]:
    node = spec.resolve(node)
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "code" and isinstance(value, dict) and "enum" in value:
                found |= set(value["enum"])
            elif key != "examples":
                found |= _codes(spec, value)
    elif isinstance(node, list):
        for value in node:
            found |= _codes(spec, value)
    return found


def build(collector: Collector, spec: Spec, plugin: ApiPlugin, *, target: str, exit_status: int,
          strict: bool) -> dict[str, Any]:
    table = rows(collector, plugin)
    counts = {r: sum(1 for row in table if row.result == r) for r in RESULTS}
    tests = collector.outcomes.values()
    verdict = "CONFORMS" if exit_status == 0 else "DOES NOT CONFORM" if exit_status == 1 else "NO VERDICT"
    return {
        "verdict": verdict,
        "api": plugin.name,
        "target": target,
        "strict": strict,
        "tests": {k: sum(1 for t in tests if t.outcome == k) for k in ("passed", "failed", "skipped")},
        "requirements": counts,
        "rows": [asdict(r) for r in table],
        "failed_tests": [asdict(t) for t in tests if t.outcome == "failed"],
        "coverage": coverage(collector, spec),
    }


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(report: dict[str, Any]) -> str:
    c = report["requirements"]
    lines = [
        f"# Conformance report: {report['verdict']}",
        "",
        f"Target: `{report['target']}` · strict: {report['strict']} · tests: {report['tests']['passed']} passed, "
        f"{report['tests']['failed']} failed, {report['tests']['skipped']} skipped",
        "",
        "Requirements: " + ", ".join(f"{c[r]} {r}" for r in RESULTS),
        "",
    ]
    if report["failed_tests"]:
        lines += ["## Failures", ""]
        for t in report["failed_tests"]:
            lines += [f"### `{t['nodeid']}`", "", "```", t["detail"].strip()[-2500:], "```", ""]
    lines += ["## Requirements", "", "| id | level | result | statement | evidence |", "|---|---|---|---|---|"]
    for row in report["rows"]:
        evidence = "<br>".join(_cell(e)[:400] for e in row["evidence"]) or ""
        lines.append(f"| {row['id']} | {row['level']} | {row['result']} | {_cell(row['statement'])} | {evidence} |")
    cov = report["coverage"]
    lines += ["", "## Coverage", "", "### Operations × answers seen", "", "| operation | answers (count) |",
              "|---|---|"]
    for op, answers in cov["operations"].items():
        lines.append(f"| {op} | " + ", ".join(f"{k} ×{n}" for k, n in answers.items()) + " |")
    lines += ["", f"Operations never called: {', '.join(cov['operations_never_called']) or 'none'}", "",
              f"Error codes seen ({len(cov['error_codes_seen'])}): " + ", ".join(cov["error_codes_seen"]), "",
              f"Documented error codes never seen ({len(cov['error_codes_never_seen'])}): "
              + (", ".join(cov["error_codes_never_seen"]) or "none"), ""]
    if cov["error_codes_outside_spec"]:
        lines += [f"Error codes outside the spec: {', '.join(cov['error_codes_outside_spec'])}", ""]
    return "\n".join(lines) + "\n"


def write(report: dict[str, Any], path: Path) -> tuple[Path, Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    md = path.with_suffix(".md")
    js = path.with_suffix(".json")
    md.write_text(markdown(report), encoding="utf-8")
    js.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return md, js
