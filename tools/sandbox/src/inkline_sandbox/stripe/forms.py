"""Decoding Stripe's bracketed form encoding (``line_items[0][price_data][currency]=eur``) into nested data.

The SDK flattens dicts to ``a[b]``, lists to ``a[0]``/``a[0][b]`` and sends booleans as ``true``/``false``;
all values arrive as strings, as they do at Stripe, and endpoints coerce the ones they care about.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from inkline_sandbox.stripe.errors import StripeError, invalid_integer

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def parse_form(raw: bytes | str) -> dict[str, Any]:
    text = raw.decode() if isinstance(raw, bytes) else raw
    root: dict[str, Any] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        match = _KEY.match(key)
        if match is None:
            raise StripeError(400, f"Invalid parameter name: {key}", param=key)
        path = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
        _assign(root, path, value)
    return {key: _listify(value) for key, value in root.items()}


def _assign(node: dict[str, Any], path: list[str], value: str) -> None:
    head, rest = path[0], path[1:]
    if not rest:
        node[head] = value
        return
    child = node.setdefault(head, {})
    if not isinstance(child, dict):
        raise StripeError(400, f"Invalid parameter structure at {head}", param=head)
    if rest[0] == "":
        # `expand[]=a&expand[]=b`: positional without explicit indexes.
        rest = [str(len(child)), *rest[1:]]
    _assign(child, rest, value)


def _listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    converted = {key: _listify(value) for key, value in node.items()}
    if converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


def as_int(params: dict[str, Any], name: str, *, label: str | None = None) -> int | None:
    raw = params.get(name)
    if raw is None:
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise invalid_integer(label or name, raw) from None


def as_bool(params: dict[str, Any], name: str) -> bool | None:
    raw = params.get(name)
    return None if raw is None else str(raw).lower() == "true"


def as_list(params: dict[str, Any], name: str) -> list[Any]:
    raw = params.get(name, [])
    if isinstance(raw, list):
        return raw
    if isinstance(raw, dict):
        raise StripeError(400, f"Invalid array: {name}", param=name)
    return [raw]
