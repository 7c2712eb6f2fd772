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
	$(VENV)/bin/mypy
	CONTRACT_STRICT=1 $(PY) -m pytest

verify: $(STAMP)
	$(VENV)/bin/campaigns-contract verify $(if $(PROFILE),--target-profile $(PROFILE),) $(if $(URL),--target-url $(URL),)

mock: $(STAMP)
	$(PY) -m mock_server --host 127.0.0.1 --port $(PORT)

# HTTP benchmark with wrk (bench/bench_http.py; docs/performance.md). QUICK=1: 3 s runs, then the in-process
# bench/bench_mock.py too. BENCH_ARGS: more options, e.g. BENCH_ARGS="--duration 20 --connections 64".
# Installs what is missing: wrk (apt), uvloop+httptools (into bench/.pydeps, not the venv, so that
# `python -m mock_server` stays as shipped), Prism (npm, into bench/.node) when npm exists.
bench: $(STAMP)
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	test -d bench/.pydeps/uvloop -a -d bench/.pydeps/httptools || \
		$(PY) -m pip install --quiet --target bench/.pydeps uvloop httptools || echo "uvloop/httptools not installed"
	if command -v npm >/dev/null && ! test -x bench/.node/node_modules/.bin/prism; then \
		npm install --prefix bench/.node @stoplight/prism-cli || echo "Prism not installed"; fi
	PYTHONPATH=. $(PY) bench/bench_http.py $(if $(QUICK),--quick,) $(BENCH_ARGS)
	$(if $(QUICK),PYTHONPATH=. $(PY) bench/bench_mock.py,)

clean:
	rm -rf $(VENV) reports .hypothesis .schemathesis
