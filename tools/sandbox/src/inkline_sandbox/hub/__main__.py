"""`python -m inkline_sandbox.hub --port 8000 --conversation-url ... --payments-url ... --data-dir ...`"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import uvicorn

from inkline_sandbox.hub.app import create_hub_app
from inkline_sandbox.hub.config import HubConfig
from inkline_sandbox.hub.hub import Hub


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="inkline-sandbox-hub", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--conversation-url", default="http://127.0.0.1:8001")
    parser.add_argument("--payments-url", default="http://127.0.0.1:8002")
    parser.add_argument("--data-dir", type=Path, default=Path(".data/hub"))
    parser.add_argument(
        "--public-url", default=None, help="where a browser reaches the hub (default http://HOST:PORT)"
    )
    parser.add_argument(
        "--service-account-file",
        type=Path,
        default=None,
        help="a key file to trust, shared with calendar and notifier (default: write a fresh one)",
    )
    args = parser.parse_args(argv)
    config = HubConfig.from_environment(
        conversation_url=args.conversation_url, payments_url=args.payments_url, data_dir=args.data_dir
    )
    hub = Hub(config)
    hub.serve_at(args.public_url or f"http://{args.host}:{args.port}", trusted_key=args.service_account_file)
    uvicorn.run(create_hub_app(hub), host=args.host, port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
