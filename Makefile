PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8080
STAMP  := $(VENV)/.installed

.PHONY: test verify mock bench install clean

# The virtualenv is (re)built when pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(PY) -m pytest

verify: $(STAMP)
	$(VENV)/bin/campaigns-contract verify $(if $(PROFILE),--target-profile $(PROFILE),) $(if $(URL),--target-url $(URL),)

mock: $(STAMP)
	$(PY) -m mock_server --host 127.0.0.1 --port $(PORT)

bench: $(STAMP)
	PYTHONPATH=. $(PY) bench/bench_mock.py

clean:
	rm -rf $(VENV) reports .hypothesis .schemathesis
