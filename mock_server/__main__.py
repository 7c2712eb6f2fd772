"""python -m mock_server --host 127.0.0.1 --port 8080"""
from __future__ import annotations

import argparse

import uvicorn

from . import create_app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m mock_server", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--spec", default=None, help="OpenAPI document to serve (default: openapi/campaigns-v1.yaml)")
    args = parser.parse_args(argv)
    print(f"mock Campaigns API on http://{args.host}:{args.port}/public/v1 "
          f"(profile: http://{args.host}:{args.port}/__mock/profile)", flush=True)
    uvicorn.run(create_app(args.spec), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
