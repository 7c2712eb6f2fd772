"""Real processes for tests: a Redis server, and `python -m mock_server` in a subprocess.

    with redis_server() as url:                       # redis://127.0.0.1:<port>/0, stopped on exit
    with mock_process("--store", url, "--workers", "4") as mock:
        httpx.get(mock.origin + "/__mock/clock")
        mock.stop(signal.SIGTERM)                     # or SIGKILL; restart with mock.start()

Every process started here is stopped on exit (SIGTERM, then SIGKILL after a bounded wait), by its own pid.
redis-server comes from Debian's package (`make test` installs it when it is missing); tests needing it
are skipped with a clear reason only when it cannot be found.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(STOP_TIMEOUT)


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (make test installs Debian's redis-server)")
    port = free_port()
    proc = subprocess.Popen([binary, "--save", "", "--appendonly", "no", "--port", str(port), "--bind", "127.0.0.1",
                             "--daemonize", "no", "--loglevel", "warning"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import redis

        client = redis.Redis(port=port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server on port {port} did not start") from None
                time.sleep(0.05)
        client.close()
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(proc)


class MockProcess:
    def __init__(self, args: tuple[str, ...], env: dict[str, str] | None) -> None:
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.args, self.env = args, env
        self.proc: subprocess.Popen | None = None

    def start(self, wait: bool = True) -> "MockProcess":
        env = {k: v for k, v in os.environ.items() if not k.startswith("MOCK_")}  # only what the test says
        env.update({"PYTHONPATH": str(ROOT), **(self.env or {})})
        self.logfile = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([sys.executable, "-m", "mock_server", "--host", "127.0.0.1", "--port",
                                      str(self.port), *self.args], cwd=ROOT, env=env,
                                     stdout=self.logfile, stderr=subprocess.STDOUT)
        if wait:
            self.wait_serving()
        return self

    def wait_serving(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"mock exited {self.proc.returncode}: {self.output()}")
            try:
                httpx.get(self.origin + "/public/v1/campaigns", timeout=1.0)
                return
            except httpx.TransportError:
                time.sleep(0.05)
        raise TimeoutError(f"mock on {self.origin} did not answer: {self.output()}")

    def stop(self, sig: int = signal.SIGTERM) -> int:
        assert self.proc is not None
        _stop(self.proc, sig)
        self.output()
        return self.proc.returncode

    def output(self) -> str:
        """What the process printed so far (its whole log: the mock prints one line, then warnings only)."""
        self.logfile.seek(0)
        return self.logfile.read().decode("utf-8", "replace")


@contextlib.contextmanager
def mock_process(*args: str, env: dict[str, str] | None = None, wait: bool = True) -> Iterator[MockProcess]:
    mock = MockProcess(args, env)
    try:
        yield mock.start(wait)
    finally:
        if mock.proc is not None:
            _stop(mock.proc, signal.SIGTERM)


def run_mock(*args: str, env: dict[str, str] | None = None, timeout: float = START_TIMEOUT) -> subprocess.CompletedProcess:
    """`python -m mock_server ARGS` expected to exit by itself (e.g. refusing to start)."""
    return subprocess.run([sys.executable, "-m", "mock_server", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**{k: v for k, v in os.environ.items() if not k.startswith("MOCK_")},
                               "PYTHONPATH": str(ROOT), **(env or {})}, timeout=timeout)
