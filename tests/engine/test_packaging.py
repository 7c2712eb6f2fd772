"""What a wheel holds and that it works outside the checkout: the specs, catalogues, documents and the
contract suite ship with the code, `campaigns-contract verify` reaches a verdict from any directory, and
the suite is a pytest plugin (entry point) a user's own project can run."""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("state_machine", "contract_spec", "mock_server", "campaigns_contract")


def _declared() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_product_package_is_listed():
    """A package missing from pyproject's list would be missing from the wheel."""
    found = {p.parent.relative_to(ROOT).as_posix().replace("/", ".") for top in PRODUCT
             for p in (ROOT / top).rglob("__init__.py")}
    listed = set(_declared()["packages"])
    assert found <= listed, f"packages not in pyproject.toml: {sorted(found - listed)}"
    assert _declared()["package-dir"]["campaigns_contract.suite"] == "tests/contract"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "-w", str(out), str(ROOT)], check=True, capture_output=True, timeout=300)
    return next(out.glob("*.whl"))


def test_the_wheel_carries_specs_catalogues_documents_and_the_suite(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for api in ("experiture-v1", "club-campaigns"):
        assert {f"openapi/{api}/openapi.yaml", f"openapi/{api}/requirements.yaml"} <= names
    assert {f"openapi/sources/00{i}_" in " ".join(names) for i in range(5)} == {True}
    assert {"campaigns_contract/suite/test_stateful.py", "campaigns_contract/suite/conftest.py",
            "campaigns_contract/pytest_plugin.py"} <= names
    assert not any(n.startswith("tests/") for n in names), "the project's own tests do not ship"


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtualenv with only the wheel installed; its dependencies are borrowed from this
    environment's site-packages as a plain path (so this checkout's editable install is not seen)."""
    home = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(home)
    python = home / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    str(wheel)], check=True, capture_output=True, timeout=300)
    return home


def _run(installed: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(installed / "bin" / args[0]), *args[1:]], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


def test_the_installed_command_reaches_a_verdict_from_any_directory(installed, tmp_path):
    where = _run(installed, "python", "-c", "import campaigns_contract, openapi; print(campaigns_contract.__file__)",
                 cwd=tmp_path)
    assert str(installed) in where.stdout, where.stdout + where.stderr
    result = _run(installed, "campaigns-contract", "verify", "--examples", "5", "--report",
                  str(tmp_path / "out" / "conformance"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "CONFORMS: embedded mock" in result.stdout
    assert (tmp_path / "out" / "conformance.md").is_file()


def test_the_suite_runs_as_a_pytest_plugin_in_a_users_project(installed, tmp_path):
    """A user's project with only a profile: `pytest --target-url` collects the installed suite."""
    from mock_server import create_app
    from tests.helpers.live_server import live_mock

    (tmp_path / "test_mine.py").write_text("def test_my_own():\n    assert True\n")
    with live_mock(create_app()) as origin:
        result = _run(installed, "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "--target-url",
                      f"{origin}/public/v1", "--contract-examples", "3", "-k", "stateful or my_own", cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "2 passed" in result.stdout, result.stdout[-2000:]
