"""List the surviving mutants of a mutmut run as one-line diffs (used by scripts/mutation_test.sh).

    python scripts/mutation_survivors.py .mutation/<api>    # reads results.txt and mutants/, prints a TSV

Reads the mutated sources mutmut writes (mutants/<path>.py holds x_<fn>__mutmut_orig and each
x_<fn>__mutmut_<n>), so no `mutmut show` per mutant is needed.
"""
from __future__ import annotations

import ast
import difflib
import re
import sys
from pathlib import Path


def functions(path: Path) -> dict[str, str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and "__mutmut_" in node.name:
            out[node.name] = "\n".join(lines[node.lineno - 1:node.end_lineno])
    return out


def main(work: Path) -> None:
    cache: dict[str, dict[str, str]] = {}
    rows: list[tuple[str, str, str, str]] = []
    for line in (work / "results.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*(\S+)\.(x[ǁ_]\S+?)__mutmut_(\d+): (survived|no tests|timeout)$", line)
        if not m:
            continue
        module, fn, n, status = m.groups()
        path = work / "mutants" / (module.replace(".", "/") + ".py")
        funcs = cache.setdefault(module, functions(path))
        local = fn.split("ǁ")[-1]
        orig = funcs.get(f"{local}__mutmut_orig", "").splitlines()[1:]
        mut = funcs.get(f"{local}__mutmut_{n}", "").splitlines()[1:]
        diff = [d for d in difflib.unified_diff(orig, mut, lineterm="", n=0)
                if d[:1] in "+-" and not d.startswith(("+++", "---"))]
        text = " | ".join(re.sub(r"\s+", " ", d).strip() for d in diff)
        short = module.rsplit(".", 1)[-1]
        rows.append((short, f"{fn}__mutmut_{n}", status, text))
    for short, name, status, text in rows:
        print(f"{short}\t{name}\t{status}\t{classify(short, name, text)}\t{text}")



# --- classification (docs/mutation-testing.md, "Survivors") ----------------------------------------
# First matching rule wins; "review" is what no rule explains yet.
RULES: list[tuple[str, str, str]] = [
    # (reason, module regex, regex over function+diff)
    ("factory", r".*", r"^x__read__|^x__transition__"),
    ("state-file", r"^serialize$", r""),
    ("text", r".*", r"\+ .*XX|\+ .*None,?$|: .*None\)|\+ \)\)|, \)"),
    ("text", r".*", r"^x__err__|^x_preflight_checks__|(_err\(|codes\.error\(|codes\.invalid\(|\w+=raw|\w+=None\)).*\| \+ "),
    ("timing-boundary", r"^(execution|views|reach|delivery)$", r"(<|>)=? .*\| \+ .*(<|>)=? "),
    ("simulation", r"^(execution|funnel|reach)$", r"x_final_counts|x_counts|x_audience_size|DELIVERED|OPENED"),
]


def classify(module: str, fn: str, diff: str) -> str:
    for reason, mod_re, text_re in RULES:
        if re.search(mod_re, module) and re.search(text_re, f"{fn}\t{diff}") if text_re else re.search(mod_re, module):
            return reason
    if re.search(r'"[^"]*"', diff) and diff.lower().count('"') >= 2 and _case_only(diff):
        return "text"
    return "review"


def _case_only(diff: str) -> bool:
    parts = diff.split(" | ")
    minus = [p[2:] for p in parts if p.startswith("- ")]
    plus = [p[2:] for p in parts if p.startswith("+ ")]
    return bool(minus) and len(minus) == len(plus) and all(a.lower() == b.lower() for a, b in zip(minus, plus, strict=True))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
