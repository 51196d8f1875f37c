"""Reading the source tree's imports without running it, for the boundary checks in ``tests/unit/test_architecture.py``.

Every ``import`` and ``from ... import`` statement counts, wherever it is (module level, inside a function,
under ``TYPE_CHECKING``): the checks are about what a module may know, not about when it learns it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

SKIPPED = ("migrations", ".venv", "__pycache__")


def module_imports(path: Path) -> list[tuple[str, int]]:
    """Each module named by an import in ``path`` (``from a import b`` names ``a`` and ``a.b``), with its line."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level or node.module is None:
                # Relative imports would need the package to resolve; the project has none, and keeps it so.
                raise ValueError(f"{path}:{node.lineno}: relative import; write the absolute module name")
            found.append((node.module, node.lineno))
            found += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names if alias.name != "*"]
    return sorted(found, key=lambda item: item[1])


def _python_files(root: Path, tops: Iterable[str]) -> Iterator[Path]:
    for top in tops:
        for path in sorted((root / top).rglob("*.py")):
            if not any(part in SKIPPED for part in path.relative_to(root).parts):
                yield path


def _module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@dataclass(frozen=True)
class ImportGraph:
    """Which module imports which, over some top-level packages of a source tree."""

    modules: frozenset[str]
    packages: frozenset[str]
    edges: tuple[tuple[str, str, int], ...]  # (importer, imported, line), imported as written

    @classmethod
    def of(cls, root: Path, tops: Iterable[str]) -> ImportGraph:
        """Read every module under ``tops`` (migrations excepted)."""
        modules, packages, edges = set(), set(), []
        for path in _python_files(root, tops):
            name = _module_name(root, path)
            modules.add(name)
            if path.name == "__init__.py":
                packages.add(name)
            edges += [(name, imported, line) for imported, line in module_imports(path)]
        return cls(frozenset(modules), frozenset(packages), tuple(edges))

    def imports_from(self, top: str) -> list[tuple[str, str, int]]:
        """The imports made by modules in package ``top`` (or the module itself)."""
        return [(m, i, line) for m, i, line in self.edges if m == top or m.startswith(top + ".")]

    def internal(self, top: str, *, depth: int | None = None, packages_only: bool = False) -> dict[str, set[str]]:
        """The graph of ``top``'s modules (or, with ``depth``, of their ancestors at that depth) among themselves.

        An import of ``a.b.c`` also runs ``a.b``'s ``__init__``, so it counts as importing that package too,
        unless the importer lives inside it (its package is already being imported then).
        """
        graph: dict[str, set[str]] = {}
        for importer, imported, _ in self.imports_from(top):
            source = self._node(importer, depth, packages_only)
            for target in self._targets(importer, imported):
                node = self._node(target, depth, packages_only)
                if source is not None and node is not None and node != source:
                    graph.setdefault(source, set()).add(node)
        return graph

    def _targets(self, importer: str, imported: str) -> list[str]:
        parts = imported.split(".")
        names = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
        inside = [n for n in names if n != imported and (importer == n or importer.startswith(n + "."))]
        return [n for n in names if n in self.modules and n not in inside]

    def _node(self, module: str, depth: int | None, packages_only: bool) -> str | None:
        if depth is None:
            return module
        node = ".".join(module.split(".")[:depth])
        if packages_only and node not in self.packages:
            return None
        return node if len(module.split(".")) >= depth else None


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of nodes that import each other round a circle (strongly connected, more than one), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    nodes = sorted(set(graph) | {t for targets in graph.values() for t in targets})

    def visit(node: str) -> None:  # Tarjan's algorithm; the graphs are a few hundred modules deep at most
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in nodes:
        if node not in index:
            visit(node)
    return sorted(found)


def protocol_sizes(root: Path, top: str) -> dict[str, int]:
    """How many methods and properties each ``Protocol`` class under ``top`` declares, by qualified name."""
    sizes = {}
    for path in _python_files(root, (top,)):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(_is_protocol(base) for base in node.bases):
                methods = [n for n in node.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
                sizes[f"{_module_name(root, path)}.{node.name}"] = len(methods)
    return sizes


def _is_protocol(base: ast.expr) -> bool:
    return (isinstance(base, ast.Name) and base.id == "Protocol") or (
        isinstance(base, ast.Attribute) and base.attr == "Protocol"
    )


def oversized(root: Path, tops: Iterable[str], *, limit: int) -> list[str]:
    """Modules longer than ``limit`` lines (migrations excepted), as ``path: N lines``."""
    found = []
    for path in _python_files(root, tops):
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > limit:
            found.append(f"{path.relative_to(root).as_posix()}: {count} lines")
    return found
