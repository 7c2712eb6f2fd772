"""Serve the mock, or a bare Starlette ceiling app, under chosen uvicorn settings (for bench/bench_http.py).

    PYTHONPATH=. .venv/bin/python bench/serve.py --app mock --loop uvloop --http httptools --port 8081
    PYTHONPATH=. .venv/bin/python bench/serve.py --app bare --loop asyncio --http h11 --port 8082

`--app mock` is `mock_server.create_app()` exactly as `python -m mock_server` builds it; `--app bare` answers
every GET/POST/PUT under /public/v1 with one fixed JSON body (POST/PUT read the request body first, 201/200):
the ceiling of what uvicorn + Starlette can do on this machine. Access log off, log level warning.
uvloop/httptools come from wherever they are importable (bench_http.py puts bench/.pydeps on PYTHONPATH).
"""
from __future__ import annotations

import argparse

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

FIXED = {"success": True, "data": {"campaignId": "c0000000-0000-4000-8000-000000000001", "name": "bench",
                                   "channel": "email", "status": "draft"}}


def bare_app() -> Starlette:
    async def read(request: Request) -> JSONResponse:
        return JSONResponse(FIXED)

    async def write(request: Request) -> JSONResponse:
        await request.body()
        return JSONResponse(FIXED, status_code=201 if request.method == "POST" else 200)

    return Starlette(routes=[Route("/public/v1/{rest:path}", read, methods=["GET"]),
                             Route("/public/v1/{rest:path}", write, methods=["POST", "PUT"])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--app", choices=["mock", "bare"], required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--loop", default="uvloop", choices=["asyncio", "uvloop", "auto"])
    parser.add_argument("--http", default="httptools", choices=["h11", "httptools", "auto"])
    args = parser.parse_args()
    if args.app == "mock":
        from mock_server import create_app
        app = create_app()
    else:
        app = bare_app()
    uvicorn.run(app, host=args.host, port=args.port, loop=args.loop, http=args.http,
                access_log=False, log_level="warning")


if __name__ == "__main__":
    main()
