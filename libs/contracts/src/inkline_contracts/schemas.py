"""JSON Schema snapshots of every subject's envelope, and the compatibility rule between versions.

The only compatible changes to a published subject are a new optional field (at any depth): consumers
ignore fields they do not know, and producers not yet redeployed simply omit it; and a truncating bound
on a string (`inkline_contracts.text`): consumers shorten longer text instead of rejecting it. Anything
else (a field removed, made required, retyped, a plain bound added, an enum value added or removed)
breaks a producer or a consumer that is still running, so it needs a new subject version instead.

`python -m inkline_contracts.schemas` rewrites the committed snapshots after a compatible change.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from inkline_contracts.envelope import Envelope
from inkline_contracts.events.system import DeadLettered
from inkline_contracts.subjects import ALL_SUBJECTS, DEAD_LETTER_CONTEXT, PREFIX
from inkline_contracts.text import TRUNCATES

SNAPSHOT_DIR = Path(__file__).resolve().parents[2] / "schemas"
DEAD_LETTER_SNAPSHOT = f"{PREFIX}.{DEAD_LETTER_CONTEXT}.any.v1"

_ANNOTATIONS = {"title", "description", "default", "examples"}


def current_schemas() -> dict[str, dict[str, Any]]:
    """The envelope schema of every subject, keyed by subject name."""
    schemas = {subject.name: Envelope[subject.payload].model_json_schema() for subject in ALL_SUBJECTS}  # type: ignore[name-defined]
    schemas[DEAD_LETTER_SNAPSHOT] = Envelope[DeadLettered].model_json_schema()
    return schemas


def load_snapshots(directory: Path = SNAPSHOT_DIR) -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text()) for path in sorted(directory.glob("*.json"))}


def write_snapshots(directory: Path = SNAPSHOT_DIR) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in current_schemas().items():
        (directory / f"{name}.json").write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")
        written.append(name)
    return written


def incompatibilities(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Why `new` cannot replace `old` on the same subject; empty when it can."""
    problems: list[str] = []
    _compare(_Resolver(old), old, _Resolver(new), new, "$", problems)
    return problems


class _Resolver:
    def __init__(self, root: dict[str, Any]) -> None:
        self._defs: dict[str, Any] = root.get("$defs", {})

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        seen = 0
        while "$ref" in node:
            node = self._defs[node["$ref"].rsplit("/", 1)[-1]]
            seen += 1
            if seen > 50:
                raise ValueError("cyclic $ref")
        return node


def _compare(
    old_res: _Resolver,
    old: dict[str, Any],
    new_res: _Resolver,
    new: dict[str, Any],
    path: str,
    out: list[str],
) -> None:
    old, new = old_res.resolve(old), new_res.resolve(new)
    if old.get("type") == "object" and new.get("type") == "object" and "properties" in old:
        old_props: dict[str, Any] = old.get("properties", {})
        new_props: dict[str, Any] = new.get("properties", {})
        for name in old_props:
            if name not in new_props:
                out.append(f"{path}.{name}: removed")
        newly_required = set(new.get("required", [])) - set(old.get("required", []))
        for name in sorted(newly_required):
            out.append(f"{path}.{name}: now required")
        for name, old_prop in old_props.items():
            if name in new_props:
                _compare(old_res, old_prop, new_res, new_props[name], f"{path}.{name}", out)
        return
    for key in ("anyOf", "oneOf", "allOf"):
        if key in old or key in new:
            old_items, new_items = old.get(key, []), new.get(key, [])
            if len(old_items) != len(new_items):
                out.append(f"{path}: {key} changed from {len(old_items)} to {len(new_items)} alternatives")
                return
            for index, (o, n) in enumerate(zip(old_items, new_items, strict=True)):
                _compare(old_res, o, new_res, n, f"{path}[{index}]", out)
    if "items" in old or "items" in new:
        if "items" in old and "items" in new:
            _compare(old_res, old["items"], new_res, new["items"], f"{path}[]", out)
        else:
            out.append(f"{path}: array items changed")
    old_rest = _structural(old)
    new_rest = _structural(new)
    if new_rest.get(TRUNCATES) and (old_rest.get(TRUNCATES) or "maxLength" not in old_rest):
        # Text over the new bound is cut by every consumer that knows the bound, and text under it is
        # accepted by every consumer that does not: whichever side is redeployed first, nothing fails.
        for rest in (old_rest, new_rest):
            rest.pop("maxLength", None)
            rest.pop(TRUNCATES, None)
    if old_rest != new_rest:
        out.append(
            f"{path}: changed from {json.dumps(old_rest, sort_keys=True)} to {json.dumps(new_rest, sort_keys=True)}"
        )


def _structural(node: dict[str, Any]) -> dict[str, Any]:
    skip = _ANNOTATIONS | {
        "anyOf",
        "oneOf",
        "allOf",
        "items",
        "properties",
        "required",
        "$defs",
        "discriminator",
    }
    return {key: value for key, value in node.items() if key not in skip}


def main() -> int:
    names = write_snapshots()
    print(f"wrote {len(names)} schema snapshots to {SNAPSHOT_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
