"""The conformance report: a verdict, one row per catalogue requirement, and coverage.

Written as Markdown and self-contained HTML for people, JSON for machines and JUnit XML for CI (one test
case per requirement, grouped by operation). The order is the reader's: the verdict, then the failing
requirements with a one-line reason each, then the advisories, then the full table with each requirement's
source (file and section), then the failure texts whole, then coverage.

A requirement is `pass` only when something in this run checked it and found nothing wrong; one nothing
checked is `not exercised`, never a pass; one whose check could not go on because an earlier step
departed is `blocked` (by that step's requirement), never a failure. Secrets the run used (bearer
tokens, the admin token) never appear: every text is redacted to environment variable placeholders.
"""
from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from contract_spec import Spec, declared_codes
from state_machine.conformance.exchanges import redact
from state_machine.conformance.record import RunRecord
from state_machine.conformance.requirements import load_catalogue
from state_machine.plugin import ApiPlugin

from .collector import Collector

# "weakly exercised": checked in this run only by checks that see the form of an answer (its status or
# schema), which cannot see a violation of the requirement's guarantee: never a pass. "blocked": not
# checked because a step it depended on failed another requirement (one difference, one row).
RESULTS = ("fail", "advisory", "pass", "weakly exercised", "blocked", "skipped", "not exercised")


@dataclass
class Row:
    id: str
    statement: str
    level: str
    result: str
    evidence: list[str]
    reason: str = ""  # one line
    source: str = ""  # "file, section"
    operations: list[str] = field(default_factory=list)
    blocked_by: list[str] = field(default_factory=list)
    reproductions: list[str] = field(default_factory=list)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
    return lines[0][:300] if lines else ""


def rows(collector: Collector, plugin: ApiPlugin) -> list[Row]:
    record: RunRecord = collector.record
    entries = load_catalogue(plugin.catalogue_path).entries
    failing: dict[str, list[str]] = defaultdict(list)
    repros: dict[str, list[str]] = defaultdict(list)
    advisory: dict[str, list[str]] = defaultdict(list)
    passing: dict[str, list[str]] = defaultdict(list)
    skipped: dict[str, list[str]] = defaultdict(list)
    blocked: dict[str, dict[str, str]] = defaultdict(dict)  # rid -> blocking id -> where
    for v in record.violations:
        for rid in v.requirement_ids:
            failing[rid].append(v.message)
            if v.reproduction and v.reproduction not in repros[rid]:
                repros[rid].append(v.reproduction)
    for a in record.advisories:
        for rid in a.requirement_ids:
            if a.message not in advisory[rid]:
                advisory[rid].append(a.message)
    for t in collector.outcomes.values():
        named = tuple(i for i in t.failing_ids if i in entries)
        if t.outcome == "failed":
            for rid in named or t.requirement_ids:
                failing[rid].append(f"{t.nodeid}: {t.reason}")
            for rid in t.requirement_ids:
                if named and rid not in named:
                    blocked[rid].update(dict.fromkeys(named, t.nodeid))
        elif t.blocked:
            for rid in t.requirement_ids:
                blocked[rid].update(dict.fromkeys(named or ("an earlier step",), t.nodeid))
        elif t.outcome == "skipped":
            for rid in t.requirement_ids:
                skipped[rid].append(f"{t.nodeid}: {t.reason}")
        else:
            for rid in t.requirement_ids:
                passing[rid].append(t.nodeid)
    out = []
    for rid, entry in entries.items():
        source = entry.get("source") or {}
        row = Row(rid, entry["statement"], entry["level"], "not exercised", [],
                  source=", ".join(str(source[k]) for k in ("file", "section") if source.get(k)),
                  operations=list(entry.get("operations", [])))
        if rid in failing:
            row.result, row.evidence, row.reproductions = "fail", failing[rid], repros[rid]
        elif rid in advisory:
            row.result, row.evidence = "advisory", advisory[rid]
        elif rid not in passing and record.weakly_exercised(rid):
            row.result = "weakly exercised"
            row.evidence = [f"stateful suite: {record.exercised[rid]} checks, all shape-only (status or schema)"]
        elif rid in passing or record.exercised.get(rid):
            checks = record.exercised.get(rid, 0)
            row.result = "pass"
            row.evidence = passing[rid] + ([f"stateful suite: {checks} checks"] if checks else [])
        elif rid in blocked:
            row.result, row.blocked_by = "blocked", sorted(blocked[rid])
            row.evidence = [f"{where}: blocked by {by}" for by, where in blocked[rid].items()]
        elif rid in skipped:
            row.result, row.evidence = "skipped", skipped[rid]
        row.reason = (f"blocked by {', '.join(row.blocked_by)}" if row.result == "blocked"
                      else _first_line(row.evidence[0]) if row.evidence else "")
        out.append(row)
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
            documented |= declared_codes(spec, response)
    return {
        "operations": {op: dict(sorted(v.items())) for op, v in sorted(per_operation.items())},
        "operations_never_called": sorted(set(spec.operations) - set(per_operation)),
        "error_codes_seen": sorted(codes_seen & documented),
        "error_codes_never_seen": sorted(documented - codes_seen),
        "error_codes_outside_spec": sorted(codes_seen - documented),
        "requirements_exercised": dict(sorted(collector.record.exercised.items())),
    }




VERDICTS = {0: "CONFORMS", 1: "DOES NOT CONFORM", 2: "NO VERDICT", 130: "INTERRUPTED (partial report)"}


def build(collector: Collector, spec: Spec, plugin: ApiPlugin, *, target: str, exit_status: int,
          strict: bool, include_requirements: list[str] | None = None, include_operations: list[str] | None = None,
          notes: list[str] | None = None, cleanup: list[str] | None = None) -> dict[str, Any]:
    table = rows(collector, plugin)
    if include_requirements:
        table = [r for r in table if any(r.id.startswith(p) for p in include_requirements)]
    if include_operations:
        table = [r for r in table if set(r.operations) & {*include_operations, "all"}]
    counts = {r: sum(1 for row in table if row.result == r) for r in RESULTS}
    tests = collector.outcomes.values()
    unattributed = [t for t in tests if t.outcome == "failed" and not t.requirement_ids
                    and not [i for i in t.failing_ids if any(r.id == i for r in table)]]
    return {
        "verdict": VERDICTS.get(exit_status, "NO VERDICT"),
        "exit_status": exit_status,
        "api": plugin.name,
        "target": target,
        "strict": strict,
        "notes": list(notes or []),
        "tests": {k: sum(1 for t in tests if t.outcome == k) for k in ("passed", "failed", "skipped")},
        "requirements": counts,
        "failing": [{"id": r.id, "reason": r.reason, "source": r.source} for r in table if r.result == "fail"],
        "advisories": [{"id": r.id, "reason": r.reason, "source": r.source} for r in table
                       if r.result == "advisory"],
        "rows": [asdict(r) for r in table],
        "failed_tests": [asdict(t) for t in tests if t.outcome == "failed"],
        "unattributed_failures": [{"nodeid": t.nodeid, "reason": t.reason} for t in unattributed],
        "not_cleaned_up": list(cleanup or []),
        "coverage": coverage(collector, spec),
    }


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(report: dict[str, Any]) -> str:
    c = report["requirements"]
    lines = [
        f"# Conformance report: {report['verdict']}",
        "",
        f"Target: `{report['target']}` · API: {report['api']} · strict: {report['strict']} · tests: "
        f"{report['tests']['passed']} passed, {report['tests']['failed']} failed, {report['tests']['skipped']} skipped",
        "",
        "Requirements: " + ", ".join(f"{c[r]} {r}" for r in RESULTS),
        "",
    ]
    lines += [f"> {note}" for note in report.get("notes", [])] + ([""] if report.get("notes") else [])
    lines += ["## Failing requirements", ""]
    lines += [f"- **{f['id']}** — {f['reason']} ({f['source']})" for f in report["failing"]] or ["None."]
    if report.get("unattributed_failures"):
        lines += ["", "Failures no requirement explains:", ""]
        lines += [f"- `{u['nodeid']}` — {u['reason']}" for u in report["unattributed_failures"]]
    lines += ["", "## Advisories (inferred requirements: the documents leave the behaviour open)", ""]
    lines += [f"- {a['id']} — {a['reason']} ({a['source']})" for a in report["advisories"]] or ["None."]
    if report.get("not_cleaned_up"):
        lines += ["", "## Resources the run could not remove", ""]
        lines += [f"- {item}" for item in report["not_cleaned_up"]]
    lines += ["", "## Requirements", "", "| id | level | result | statement | source | evidence |",
              "|---|---|---|---|---|---|"]
    for row in report["rows"]:
        evidence = "<br>".join(_cell(e)[:400] for e in row["evidence"][:5])
        lines.append(f"| {row['id']} | {row['level']} | {row['result']} | {_cell(row['statement'])} | "
                     f"{_cell(row['source'])} | {evidence} |")
    failures = [r for r in report["rows"] if r["result"] == "fail"]
    if failures or report["failed_tests"]:
        lines += ["", "## Failures in full", ""]
        for row in failures:
            lines += [f"### {row['id']}", ""]
            for e in row["evidence"]:
                lines += ["```", e.strip(), "```", ""]
            lines += [f"Reproduction: `{p}`" for p in row["reproductions"]] + [""]
        for t in report["failed_tests"]:
            lines += [f"### `{t['nodeid']}`", "", "```", t["detail"].strip(), "```", ""]
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


_COLORS = {"fail": "#fdd", "advisory": "#ffe9b3", "pass": "#dfd", "blocked": "#eee", "skipped": "#f4f4f4",
           "not exercised": "#fff"}


def html_page(report: dict[str, Any]) -> str:
    """The same report as one self-contained HTML page (no external resources)."""
    e = html.escape
    c = report["requirements"]
    out = ["<!doctype html><html><head><meta charset='utf-8'>",
           f"<title>Conformance report: {e(report['verdict'])}</title>",
           "<style>body{font-family:sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;"
           "width:100%}td,th{border:1px solid #ccc;padding:4px;vertical-align:top;font-size:13px}"
           "pre{white-space:pre-wrap;background:#f6f6f6;padding:8px}</style></head><body>",
           f"<h1>Conformance report: {e(report['verdict'])}</h1>",
           f"<p>Target: <code>{e(report['target'])}</code> · API: {e(report['api'])} · strict: {report['strict']}"
           f"</p><p>Requirements: {e(', '.join(f'{c[r]} {r}' for r in RESULTS))}</p>"]
    out += [f"<p><em>{e(n)}</em></p>" for n in report.get("notes", [])]
    out.append("<h2>Failing requirements</h2><ul>")
    out += [f"<li><b>{e(f['id'])}</b> — {e(f['reason'])} ({e(f['source'])})</li>" for f in report["failing"]] \
        or ["<li>None.</li>"]
    out += [f"<li><code>{e(u['nodeid'])}</code> — {e(u['reason'])}</li>" for u in report["unattributed_failures"]]
    out.append("</ul><h2>Advisories</h2><ul>")
    out += [f"<li>{e(a['id'])} — {e(a['reason'])} ({e(a['source'])})</li>" for a in report["advisories"]] \
        or ["<li>None.</li>"]
    out.append("</ul>")
    if report.get("not_cleaned_up"):
        out.append("<h2>Resources the run could not remove</h2><ul>")
        out += [f"<li>{e(i)}</li>" for i in report["not_cleaned_up"]] + ["</ul>"]
    out.append("<h2>Requirements</h2><table><tr><th>id</th><th>level</th><th>result</th><th>statement</th>"
               "<th>source</th><th>evidence</th></tr>")
    for row in report["rows"]:
        evidence = "<br>".join(e(x[:400]) for x in row["evidence"][:5])
        out.append(f"<tr style='background:{_COLORS.get(row['result'], '#fff')}'><td>{e(row['id'])}</td>"
                   f"<td>{e(row['level'])}</td><td>{e(row['result'])}</td><td>{e(row['statement'])}</td>"
                   f"<td>{e(row['source'])}</td><td>{evidence}</td></tr>")
    out.append("</table>")
    failures = [r for r in report["rows"] if r["result"] == "fail"]
    if failures or report["failed_tests"]:
        out.append("<h2>Failures in full</h2>")
        for row in failures:
            out.append(f"<h3>{e(row['id'])}</h3>" + "".join(f"<pre>{e(x)}</pre>" for x in row["evidence"]))
            out += [f"<p>Reproduction: <code>{e(p)}</code></p>" for p in row["reproductions"]]
        for t in report["failed_tests"]:
            out.append(f"<h3><code>{e(t['nodeid'])}</code></h3><pre>{e(t['detail'])}</pre>")
    out.append("<h2>Coverage</h2><table><tr><th>operation</th><th>answers (count)</th></tr>")
    for op, answers in report["coverage"]["operations"].items():
        out.append(f"<tr><td>{e(op)}</td><td>{e(', '.join(f'{k} ×{n}' for k, n in answers.items()))}</td></tr>")
    out.append("</table></body></html>")
    return "\n".join(out) + "\n"


def junit(report: dict[str, Any]) -> str:
    """One test case per requirement, its classname the operation it is about (the first it names), with
    plain messages: fail -> <failure>, blocked/skipped/not exercised -> <skipped>, advisory -> a passing
    case whose system-out says so."""
    suite = ET.Element("testsuite", name=f"campaigns-contract {report['api']}", tests=str(len(report["rows"])),
                       failures=str(report["requirements"]["fail"]), errors="0",
                       skipped=str(sum(report["requirements"][r] for r in ("blocked", "skipped", "not exercised"))))
    for row in report["rows"]:
        case = ET.SubElement(suite, "testcase", classname=(row["operations"] or ["all"])[0], name=row["id"])
        if row["result"] == "fail":
            failure = ET.SubElement(case, "failure", message=row["reason"] or "failed")
            failure.text = "\n\n".join(row["evidence"]) + "".join(f"\nReproduction: {p}" for p in row["reproductions"])
        elif row["result"] in ("blocked", "skipped", "not exercised"):
            ET.SubElement(case, "skipped", message=row["reason"] or row["result"])
        elif row["result"] == "advisory":
            ET.SubElement(case, "system-out").text = f"advisory (inferred requirement): {row['reason']}"
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def write(report: dict[str, Any], path: Path, *, secrets: dict[str, str] | None = None,
          junit_path: Path | None = None) -> tuple[Path, Path]:
    """Write the report as .md, .json and .html beside `path` (and JUnit XML at `junit_path`), every text
    redacted: each secret value is replaced by its placeholder (e.g. ${CONTRACT_TOKEN_FULL})."""
    path.parent.mkdir(parents=True, exist_ok=True)
    md, js, page = path.with_suffix(".md"), path.with_suffix(".json"), path.with_suffix(".html")
    md.write_text(redact(markdown(report), secrets), encoding="utf-8")
    js.write_text(redact(json.dumps(report, indent=2), secrets), encoding="utf-8")
    page.write_text(redact(html_page(report), secrets), encoding="utf-8")
    if junit_path is not None:
        junit_path.parent.mkdir(parents=True, exist_ok=True)
        junit_path.write_text(redact(junit(report), secrets), encoding="utf-8")
    return md, js
