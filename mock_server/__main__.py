"""python -m mock_server [--api NAME] --host 127.0.0.1 --port 8080"""
from __future__ import annotations

import argparse

import uvicorn

from state_machine import registry

from . import create_app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m mock_server", description=__doc__)
    parser.add_argument("--api", default=registry.DEFAULT_API, choices=registry.names(),
                        help=f"the API to serve (default {registry.DEFAULT_API})")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--spec", default=None, help="OpenAPI document to serve (default: the API's own)")
    args = parser.parse_args(argv)
    app = create_app(args.spec, api=args.api)
    origin = f"http://{args.host}:{args.port}"
    print(f"mock {app.state.plugin.title} on {origin}{app.state.spec.base_path} "
          f"(profile: {origin}/__mock/profile)", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
