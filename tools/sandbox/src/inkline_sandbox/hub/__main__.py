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
    args = parser.parse_args(argv)
    config = HubConfig.from_environment(
        conversation_url=args.conversation_url, payments_url=args.payments_url, data_dir=args.data_dir
    )
    hub = Hub(config)
    hub.serve_at(f"http://{args.host}:{args.port}")
    uvicorn.run(create_hub_app(hub), host=args.host, port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
