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

test: $(STAMP) redis-server
	$(PY) -m pytest

verify: $(STAMP)
	$(VENV)/bin/campaigns-contract verify $(if $(PROFILE),--target-profile $(PROFILE),) $(if $(URL),--target-url $(URL),)

mock: $(STAMP)
	$(PY) -m mock_server --host 127.0.0.1 --port $(PORT)

bench: $(STAMP)
	PYTHONPATH=. $(PY) bench/bench_mock.py

clean:
	rm -rf $(VENV) reports .hypothesis .schemathesis
