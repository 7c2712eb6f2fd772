"""python -m mock_server [--api NAME] --host 127.0.0.1 --port 8080 [options]

    --store redis://HOST:PORT/DB --workers N   one mock served by N processes sharing Redis
    --state-file PATH                          keep the state across restarts (memory store)
    --admin-token T (or MOCK_ADMIN_TOKEN)      required on every /__mock/ call
    --no-admin                                 no /__mock/ surface (404)
    --allow-host NAME                          another Host name /__mock/ answers (besides loopback and --host)

See docs/reliability.md.
"""
from __future__ import annotations

import argparse
import os
import sys

import uvicorn

from state_machine import registry

from .app import app_from_env
from .store import StoreError

LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARDS = ("0.0.0.0", "::", "")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m mock_server", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--api", default=registry.DEFAULT_API, choices=registry.names(),
                   help=f"the API to serve (default {registry.DEFAULT_API})")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--spec", default=None, help="OpenAPI document to serve (default: the API's own)")
    p.add_argument("--store", default="memory", help="memory (default) or redis://HOST:PORT/DB")
    p.add_argument("--workers", type=int, default=1, help="worker processes (more than 1 needs --store redis://)")
    p.add_argument("--state-file", default=None, help="load the state from this file at start; save it "
                   "atomically after every change and at shutdown (memory store)")
    p.add_argument("--admin-token", default=os.environ.get("MOCK_ADMIN_TOKEN"),
                   help="token every /__mock/ call must carry (Authorization: Bearer or X-Admin-Token); "
                   "default $MOCK_ADMIN_TOKEN")
    p.add_argument("--no-admin", action="store_true", help="serve no /__mock/ surface (and so no profile)")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="a Host name the admin surface answers besides loopback and --host (repeatable)")
    p.add_argument("--now", default=None, help="start the clock at this ISO 8601 instant")
    p.add_argument("--frozen", action="store_true", help="freeze the clock (it moves only when told)")
    p.add_argument("--limit-concurrency", type=int, default=200,
                   help="connections/requests per worker before 503 + Retry-After (default 200)")
    p.add_argument("--timeout-keep-alive", type=int, default=5, help="idle keep-alive seconds (default 5)")
    p.add_argument("--http", default="auto", choices=["auto", "httptools", "h11"],
                   help="HTTP parser (default auto: httptools when importable, else h11)")
    p.add_argument("--loop", default="auto", choices=["auto", "uvloop", "asyncio"],
                   help="event loop (default auto: uvloop when importable, else asyncio)")
    return p


def environment(args: argparse.Namespace) -> dict[str, str]:
    """The MOCK_* variables app_from_env reads (every worker process builds its app from them)."""
    hosts = [*args.allow_host, *([] if args.host in WILDCARDS else [args.host])]
    env = {"MOCK_API": args.api, "MOCK_SPEC": args.spec or "", "MOCK_STORE": args.store,
           "MOCK_STATE_FILE": args.state_file or "", "MOCK_ADMIN": "0" if args.no_admin else "1",
           "MOCK_ADMIN_TOKEN": args.admin_token or "", "MOCK_ALLOWED_HOSTS": ",".join(hosts),
           "MOCK_NOW": args.now or "", "MOCK_FROZEN": "1" if args.frozen else "0"}
    return env


def problems(args: argparse.Namespace) -> list[str]:
    found = []
    if args.host not in LOOPBACK and not args.no_admin and not args.admin_token:
        found.append(f"--host {args.host} is reachable from other machines, and the admin surface can reset the "
                     "mock and reveals its tokens: give --admin-token (or MOCK_ADMIN_TOKEN), or --no-admin")
    if args.workers > 1 and not args.store.startswith(("redis://", "rediss://", "unix://")):
        found.append("--workers N > 1 needs --store redis://HOST:PORT/DB (memory is one process's)")
    if args.workers < 1:
        found.append("--workers must be 1 or more")
    return found


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    if found := problems(args):
        print("mock_server: " + "\n".join(found), file=sys.stderr)
        raise SystemExit(2)
    os.environ.update(environment(args))
    from . import serve

    try:
        app = app_from_env()  # fails early and clearly (state file, Redis) before a port is bound
    except (StoreError, ValueError) as exc:
        print(f"mock_server: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    host = f"[{args.host}]" if ":" in args.host else args.host
    origin = f"http://{host}:{args.port}"
    admin = "no admin surface" if args.no_admin else f"profile: {origin}/__mock/profile" + (
        ", admin token required" if args.admin_token else "")
    print(f"mock {app.state.plugin.title} on {origin}{app.state.spec.base_path} ({admin}; store {args.store}"
          f"{f', state file {args.state_file}' if args.state_file else ''}"
          f"{f', {args.workers} workers' if args.workers > 1 else ''})", flush=True)
    limits = serve.options(limit_concurrency=args.limit_concurrency, timeout_keep_alive=args.timeout_keep_alive,
                           http=args.http, loop=args.loop)
    if args.workers == 1:
        serve.tune_gc()
        uvicorn.run(app, host=args.host, port=args.port, **limits)
    else:  # each worker process builds its own app from the MOCK_* environment, all sharing Redis
        app.state.mock.store.close(app.state.mock)
        uvicorn.run(serve.APP_FACTORY, factory=True, host=args.host, port=args.port, workers=args.workers, **limits)

if __name__ == "__main__":
    main()
