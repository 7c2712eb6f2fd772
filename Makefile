PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8080
STAMP  := $(VENV)/.installed

.PHONY: test verify mock bench install clean redis-server

# The virtualenv is (re)built when pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The scale-out tests run a real Redis (tests/helpers/processes.py starts and stops it): Debian's package.
redis-server:
	command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server)

# CONTRACT_STRICT=1: the suite holds the project's own mock to inferred requirements too (users' runs are
# advisory on those unless they pass --strict / --contract-strict).
test: $(STAMP) redis-server
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	CONTRACT_STRICT=1 $(PY) -m pytest

verify: $(STAMP)
	$(VENV)/bin/campaigns-contract verify $(if $(API),--api $(API),) $(if $(PROFILE),--target-profile $(PROFILE),) $(if $(URL),--target-url $(URL),)

mock: $(STAMP)
	$(PY) -m mock_server $(if $(API),--api $(API),) --host 127.0.0.1 --port $(PORT)

# HTTP benchmark with wrk (bench/bench_http.py; docs/performance.md), then the scale figures (bench/bench_scale.py)
# and the Redis scale-out figures (bench/bench_scaleout.py, when redis-server is installed).
# Then (not with QUICK) the time to a failing verdict: verify --fail-fast against every self-check variant
# (bench/bench_failfast.py). QUICK=1: 3 s runs and a 20 s growth run, then the in-process bench/bench_mock.py.
# BENCH_ARGS: more options for bench_http.py, e.g. BENCH_ARGS="--duration 20 --connections 64"; SCALE_ARGS for
# bench_scale.py.
# Installs what is missing: wrk (apt), Prism (npm, into bench/.node) when npm exists. uvloop + httptools are
# project dependencies: `python -m mock_server` serves with them.
bench: $(STAMP)
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	if command -v npm >/dev/null && ! test -x bench/.node/node_modules/.bin/prism; then \
		npm install --prefix bench/.node @stoplight/prism-cli || echo "Prism not installed"; fi
	PYTHONPATH=. $(PY) bench/bench_http.py $(if $(QUICK),--quick --growth 20,) $(BENCH_ARGS)
	PYTHONPATH=. $(PY) bench/bench_scale.py $(if $(QUICK),--quick,) $(SCALE_ARGS)
	if command -v redis-server >/dev/null; then PYTHONPATH=. $(PY) bench/bench_scaleout.py $(if $(QUICK),--quick,); \
		else echo "redis-server not installed (make redis-server): scale-out figures skipped"; fi
	$(if $(QUICK),PYTHONPATH=. $(PY) bench/bench_mock.py,PYTHONPATH=. $(PY) bench/bench_failfast.py)

clean:
	rm -rf $(VENV) reports .hypothesis .schemathesis
