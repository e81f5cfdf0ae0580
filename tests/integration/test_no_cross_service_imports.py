from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(path.name for path in (ROOT / "services").iterdir() if path.is_dir())


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module.split(".")[0])
    return modules


def test_no_service_imports_another_service_or_the_dev_tools() -> None:
    offenders = []
    for service in SERVICES:
        forbidden = {f"inkline_{other}" for other in SERVICES if other != service} | {
            "inkline_sandbox",
            "inkline_devstack",
        }
        for path in (ROOT / "services" / service / "src").rglob("*.py"):
            if bad := _imports(path) & forbidden:
                offenders.append(f"{path.relative_to(ROOT)}: {sorted(bad)}")
    assert offenders == []


def test_no_subject_is_spelled_outside_the_contracts() -> None:
    spelled = re.compile(r"[\"']inkline\.[a-z_]+\.")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "services").rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if spelled.search(line)
    ]
    assert offenders == []
