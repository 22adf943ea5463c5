"""The house's layers (docs/adding-a-vendor.md, "Layers"): a package imports only packages of its own
layer or below, and no two packages import each other, directly or round a circle. Imports inside
functions count too (they hide cycles), except the documented ones in LAZY_EXCEPTIONS."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "ornaments"

# Lowest first. A top-level module (ornaments/x.py) is its own "package" x; "" is ornaments/__init__.py.
LAYERS: list[set[str]] = [
    {"", "backoff", "clock", "env", "fields", "retry", "signals", "normalize", "prices", "items", "extract",
     "resources", "feed_sniff", "feed_download", "unresolvable_hosts", "exporters", "scrapy_compat",
     "deeplinks", "catalogue"},
    {"storage", "scheduling"},
    {"events", "runs", "webhooks", "alerts", "sources", "uploads"},
    {"pipelines", "base_spiders", "spiders", "extensions", "middlewares", "logformatter"},
    {"api", "commands", "migrations", "settings"},
]

# (importing file, imported module): why a function-level import may point upward.
LAZY_EXCEPTIONS: dict[tuple[str, str], str] = {}


def package_of_file(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    return "" if parts == ("__init__.py",) else parts[0].removesuffix(".py")


def imported_modules(path: Path) -> list[tuple[str, int, bool]]:
    """(ornaments.x.y imported, line, inside a function) for every import in the file."""
    tree = ast.parse(path.read_text(), str(path))
    package = ["ornaments", *path.relative_to(ROOT).parts[:-1]]
    found: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = ".".join(package[: len(package) - child.level + 1])
                    module = f"{base}.{child.module}" if child.module else base
                else:
                    module = child.module or ""
                # from package import x: x is a module of the package, or a name its __init__ gives
                folder = ROOT.parent.joinpath(*module.split("."))
                found.extend((f"{module}.{a.name}" if (folder / a.name).is_dir() or (folder / f"{a.name}.py").exists()
                               else module, child.lineno, in_function) for a in child.names)
            visit(child, nested)

    visit(tree, False)
    return [(m, line, lazy) for m, line, lazy in found if m == "ornaments" or m.startswith("ornaments.")]


def package_of_module(module: str) -> str:
    parts = module.split(".")
    return "" if len(parts) == 1 else parts[1]


def import_edges() -> list[tuple[str, str, str, int, bool]]:
    """(from package, to package, file, line, lazy) for every import between two packages."""
    edges = []
    for path in sorted(ROOT.rglob("*.py")):
        source = package_of_file(path)
        for module, line, lazy in imported_modules(path):
            target = package_of_module(module)
            if target != source:
                edges.append((source, target, str(path.relative_to(ROOT.parent)), line, lazy, module))
    return edges


def layer_of(package: str) -> int:
    for number, layer in enumerate(LAYERS):
        if package in layer:
            return number
    raise AssertionError(f"package ornaments.{package} is in no layer: add it to LAYERS in {__file__} "
                         "(and to docs/adding-a-vendor.md, \"Layers\")")


def test_every_package_has_a_layer():
    packages = {package_of_file(path) for path in ROOT.rglob("*.py")}
    for package in packages:
        layer_of(package)


def test_no_upward_import():
    upward = [f"{file}:{line} (ornaments.{source or '__init__'}, layer {layer_of(source)}) imports {module} "
              f"(layer {layer_of(target)}){' inside a function' if lazy else ''}"
              for source, target, file, line, lazy, module in import_edges()
              if layer_of(target) > layer_of(source) and (file, module) not in LAZY_EXCEPTIONS]
    assert not upward, "imports pointing up the layers:\n" + "\n".join(upward)


def test_no_cycle_between_packages():
    graph: dict[str, dict[str, str]] = {}
    for source, target, file, line, lazy, module in import_edges():
        if (file, module) not in LAZY_EXCEPTIONS:
            graph.setdefault(source, {}).setdefault(target, f"{file}:{line} imports {module}")
    cycles = []
    for start in sorted(graph):
        path = find_path(graph, start, start)
        if path:
            cycles.append(" -> ".join(graph[a][b] for a, b in zip(path, path[1:])))
    assert not cycles, "packages importing each other in a circle:\n" + "\n".join(cycles)


def find_path(graph: dict[str, dict[str, str]], start: str, goal: str) -> list[str] | None:
    """A path start -> ... -> goal of at least one step (depth first), or None."""
    stack, seen = [(start, [start])], set()
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, {}):
            if nxt == goal:
                return [*path, nxt]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def test_lazy_exceptions_are_still_needed():
    used = {(file, module) for _s, _t, file, _l, lazy, module in import_edges() if lazy}
    stale = sorted(set(LAZY_EXCEPTIONS) - used)
    assert not stale, f"LAZY_EXCEPTIONS lists imports that are gone: {stale}"


def test_no_cycle_between_modules():
    """Modules do not import each other round a circle either (a TYPE_CHECKING import counts: it is the
    same knot, only hidden from the interpreter)."""
    graph: dict[str, dict[str, str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        module = ".".join(("ornaments", *path.relative_to(ROOT).with_suffix("").parts)).removesuffix(".__init__")
        for target, line, lazy in imported_modules(path):
            if not lazy and target != module:
                graph.setdefault(module, {}).setdefault(target, f"{path.relative_to(ROOT.parent)}:{line}")
    cycles = []
    for start in sorted(graph):
        path = find_path(graph, start, start)
        if path:
            cycles.append(" -> ".join(f"{graph[a][b]} imports {b}" for a, b in zip(path, path[1:])))
    assert not cycles, "modules importing each other in a circle:\n" + "\n".join(cycles)
