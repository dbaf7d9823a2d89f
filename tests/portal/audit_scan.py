"""Every ``audit.record(...)`` call site of the code, read from its syntax tree: which actions
it records and the names of the changes written as a dict literal there. An action passed
through a variable is followed to the constants assigned to it in the same function, or to
the constants passed for that parameter by the callers in the same module; a call site whose
action cannot be followed that way is reported, so that it cannot escape the sentence test."""

from __future__ import annotations

import ast
import pathlib
from dataclasses import dataclass, field

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = ("portal", "catalog", "agencies", "assessments", "certificates", "supervision")


@dataclass
class CallSite:
    where: str
    actions: set[str] = field(default_factory=set)
    change_names: set[str] = field(default_factory=set)
    unresolved: bool = False


def _constants(node: ast.AST) -> set[str] | None:
    """The string constants an expression can evaluate to, or None if it is not only those."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        a, b = _constants(node.body), _constants(node.orelse)
        return a | b if a is not None and b is not None else None
    return None


def _is_record(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "record"
        and isinstance(func.value, ast.Name)
        and func.value.id == "audit"
    ) or (isinstance(func, ast.Name) and func.id == "record")


def _arg(call: ast.Call, index: int, name: str) -> ast.AST | None:
    if len(call.args) > index:
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == name), None)


def _follow(name: str, function: ast.FunctionDef, module: ast.Module) -> set[str] | None:
    found: set[str] = set()
    assigned = False
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            assigned = True
            values = _constants(node.value)
            if values is None:
                return None
            found |= values
    if assigned:
        return found
    params = [a.arg for a in function.args.args + function.args.kwonlyargs]
    if name not in params:
        return None
    position = (
        function.args.args.index(next(a for a in function.args.args if a.arg == name))
        if name in [a.arg for a in function.args.args]
        else None
    )
    for node in ast.walk(module):
        if not isinstance(node, ast.Call):
            continue
        callee = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if callee != function.name:
            continue
        value = next((k.value for k in node.keywords if k.arg == name), None)
        if value is None and position is not None and len(node.args) > position:
            value = node.args[position]
        values = _constants(value) if value is not None else None
        if values is None:
            return None
        found |= values
    return found or None


def call_sites() -> list[CallSite]:
    sites: list[CallSite] = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            module = ast.parse(path.read_text(encoding="utf-8"))
            functions = [n for n in ast.walk(module) if isinstance(n, ast.FunctionDef)]
            for function in functions:
                for node in ast.walk(function):
                    if not (isinstance(node, ast.Call) and _is_record(node)):
                        continue
                    site = CallSite(f"{path.relative_to(ROOT)}:{node.lineno}")
                    action = _arg(node, 1, "action")
                    values = _constants(action) if action is not None else None
                    if values is None and isinstance(action, ast.Name):
                        values = _follow(action.id, function, module)
                    if values is None:
                        site.unresolved = True
                    else:
                        site.actions = values
                    changes = _arg(node, 3, "changes")
                    if isinstance(changes, ast.Dict):
                        site.change_names = {
                            k.value
                            for k in changes.keys
                            if isinstance(k, ast.Constant) and isinstance(k.value, str)
                        }
                    sites.append(site)
    # A call inside a nested function is seen once per enclosing function: keep one.
    unique = {site.where: site for site in sites}
    return list(unique.values())
