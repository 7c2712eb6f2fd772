#!/usr/bin/env bash
# Mutation testing of the pure lifecycle models (docs/mutation-testing.md). Not part of `make test`.
#
#   scripts/mutation_test.sh                       # both models, every model module
#   scripts/mutation_test.sh experiture_v1         # one model
#   scripts/mutation_test.sh club_campaigns transitions.py delivery.py   # some modules of one model
#
# Each API runs in its own scratch copy of the work tree (.mutation/<api>/), with a generated setup.cfg
# [mutmut] section: only state_machine/apis/<api>/model/*.py is mutated, and only that API's model tests
# (expected values from the source documents) may kill a mutant -- never the mock's HTTP tests.
# One worker (--max-children 1) and a wall-clock bound per API (MUTATION_TIMEOUT seconds, default 1800).
# Results: .mutation/<api>/results.txt (every mutant and its status) and the summary printed at the end.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
TIMEOUT="${MUTATION_TIMEOUT:-1800}"
MUTMUT="$VENV/bin/mutmut"
if [ ! -x "$MUTMUT" ]; then
    "$VENV/bin/python" -m pip install --quiet 'mutmut==3.8.1'
fi

APIS=("experiture_v1" "club_campaigns")
MODULES=()
if [ $# -ge 1 ]; then
    APIS=("$1"); shift
    MODULES=("$@")
fi

tests_for() {
    case "$1" in
        experiture_v1) ls "$ROOT"/tests/apis/experiture_v1/test_model_*.py | sed "s|$ROOT/||" ;;
        # Every Club test drives the pure model (tests/apis/club_campaigns/support.py); none is an HTTP test.
        club_campaigns) ls "$ROOT"/tests/apis/club_campaigns/test_*.py | sed "s|$ROOT/||" ;;
        *) echo "unknown API $1" >&2; exit 2 ;;
    esac
}

for api in "${APIS[@]}"; do
    work="$ROOT/.mutation/$api"
    rm -rf "$work"
    mkdir -p "$work"
    # The work tree as it is (committed or not), without virtualenvs, caches and earlier runs.
    tar -C "$ROOT" --exclude=./.venv --exclude=./.git --exclude=./.mutation --exclude=./mutants \
        --exclude=./bench --exclude=./reports --exclude='__pycache__' --exclude=./.hypothesis -cf - . \
        | tar -C "$work" -xf -
    model="state_machine/apis/$api/model"
    {
        echo "[mutmut]"
        echo "source_paths="
        echo "    state_machine"
        echo "    contract_spec"
        echo "    mock_server"
        echo "    campaigns_contract"
        echo "only_mutate="
        if [ ${#MODULES[@]} -eq 0 ]; then
            echo "    $model/*.py"
        else
            for m in "${MODULES[@]}"; do echo "    $model/$m"; done
        fi
        echo "do_not_mutate="
        echo "    $model/__init__.py"
        echo "also_copy="
        echo "    conftest.py"
        echo "    openapi"
        echo "    scripts"
        echo "    docs"
        echo "pytest_add_cli_args_test_selection="
        tests_for "$api" | sed 's/^/    /'
        echo "pytest_add_cli_args="
        echo "    -p"
        echo "    no:cacheprovider"
        echo "    -q"
        # Reads the mutated files' imports: mutmut's trampoline import is not the model's.
        echo "    --deselect"
        echo "    tests/apis/club_campaigns/test_plugin.py::test_the_model_imports_only_the_standard_library_and_the_kernel"
    } > "$work/setup.cfg"
    echo "== $api: $(grep -c . "$work/setup.cfg") config lines; mutating ${MODULES[*]:-every module of $model}"
    (
        cd "$work"
        export PYTHONPATH="$work"
        # --max-children 1: one mutant at a time (shared machines); timeout bounds the whole run.
        timeout "$TIMEOUT" "$MUTMUT" run --max-children 1 > run.log 2>&1 || echo "mutmut run exited $? (see $work/run.log)"
        "$MUTMUT" results --all true > results.txt 2>&1 || true
    )
    echo "-- $api: mutants by status"
    grep -oE ': [a-z ]+$' "$work/results.txt" | sort | uniq -c || true
    echo "-- $api: per module (killed/total)"
    python3 - "$work/results.txt" "$api" <<'EOF'
import re, sys, collections
rows = collections.defaultdict(collections.Counter)
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"\s*(state_machine\.apis\.\w+\.model\.(\w+))\.\S+: (.+)$", line)
    if m:
        rows[m.group(2)][m.group(3).strip()] += 1
tot = collections.Counter()
for mod in sorted(rows):
    c = rows[mod]; tot.update(c)
    print(f"  {mod:14s} killed {c['killed']:4d} / {sum(c.values()):4d}   " +
          ", ".join(f"{k} {v}" for k, v in sorted(c.items()) if k != "killed"))
print(f"  {'TOTAL':14s} killed {tot['killed']:4d} / {sum(tot.values()):4d}   " +
      ", ".join(f"{k} {v}" for k, v in sorted(tot.items()) if k != "killed"))
EOF
done
