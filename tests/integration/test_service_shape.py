"""Every service has the same shape: a consumer is a handler class from `handlers/`, a periodic job the
`run` of a class from `jobs/`, both built in `app.py`; a handler is called with the unit of work and the message, and its
one-line docstring is the consumer's description (AsyncAPI)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("calendar", "campaigns", "conversation", "notifier", "payments")
NO_ANNOTATION = ast.Constant(None)
SELF_AND_WORK = [("self", "None"), ("work", "UnitOfWork")]


def _package(service: str) -> Path:
    return ROOT / "services" / service / "src" / f"inkline_{service}"


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def _imported_from(tree: ast.Module) -> dict[str, str]:
    """Each name `from x import name` brings in, mapped to its module."""
    return {
        alias.asname or alias.name: node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }


def _built_by(tree: ast.Module) -> dict[str, ast.expr]:
    """What each plain local name in the module is assigned."""
    return {
        node.targets[0].id: node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
    }


def _class_of(value: ast.expr, built: dict[str, ast.expr]) -> str | None:
    """The class an argument is an instance of, when app.py builds it as `Class(...)`, directly or through
    a local name; None for anything else (a function, a closure, a bound method)."""
    if isinstance(value, ast.Name) and value.id in built:
        value = built[value.id]
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
        return value.func.id
    return None


def _runtime_calls(tree: ast.Module, method: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == method
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "runtime"
    ]


@pytest.mark.parametrize("service", SERVICES)
def test_every_consumer_is_a_handler_class_from_handlers(service: str) -> None:
    tree = _parse(_package(service) / "app.py")
    imported, built = _imported_from(tree), _built_by(tree)
    consumers = _runtime_calls(tree, "consume")
    assert consumers
    offenders = []
    for call in consumers:
        cls = _class_of(call.args[1], built)
        from_handlers = imported.get(cls or "", "").startswith(f"inkline_{service}.handlers.")
        if cls is None or not cls.endswith("Handler") or not from_handlers:
            offenders.append(f"app.py:{call.lineno} {ast.unparse(call.args[1])}")
    assert offenders == []


@pytest.mark.parametrize("service", SERVICES)
def test_every_periodic_job_is_a_class_from_jobs(service: str) -> None:
    tree = _parse(_package(service) / "app.py")
    imported, built = _imported_from(tree), _built_by(tree)
    offenders = []
    for call in _runtime_calls(tree, "every"):
        job = call.args[1]
        cls = _class_of(job.value, built) if isinstance(job, ast.Attribute) and job.attr == "run" else None
        if cls is None or not imported.get(cls, "").startswith(f"inkline_{service}.jobs."):
            offenders.append(f"app.py:{call.lineno} {ast.unparse(job)}")
    assert offenders == []


@pytest.mark.parametrize("service", SERVICES)
def test_every_handler_is_called_with_the_unit_of_work_and_the_message_and_says_what_it_does(
    service: str,
) -> None:
    offenders = []
    for path in sorted((_package(service) / "handlers").glob("*.py")):
        for node in _parse(path).body:
            where = f"{path.name}:{node.lineno}"
            if isinstance(node, ast.AsyncFunctionDef) and node.name.startswith("on_"):
                offenders.append(f"{where} {node.name} is a function, not a handler class")
            if not isinstance(node, ast.ClassDef):
                continue
            methods = {item.name: item for item in node.body if isinstance(item, ast.AsyncFunctionDef)}
            offenders += [f"{where} {node.name}.{name}" for name in methods if name.startswith("on_")]
            call = methods.get("__call__")
            if call is None:
                continue
            parameters = [(arg.arg, ast.unparse(arg.annotation or NO_ANNOTATION)) for arg in call.args.args]
            if not node.name.endswith("Handler") or parameters[:2] != SELF_AND_WORK:
                offenders.append(f"{where} {node.name}{parameters}")
            doc = ast.get_docstring(node)
            if not doc or "\n" in doc:
                offenders.append(f"{where} {node.name} needs a one-line docstring")
    assert offenders == []
