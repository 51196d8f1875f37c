"""The design's boundaries, checked on the source: the build fails when an import crosses one.

Every import statement counts, wherever it is: at the top, inside a function, or under ``TYPE_CHECKING``
(a function-level import is how a cycle hides). See docs/architecture.md for the rules and why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.architecture import ImportGraph, cycles, module_imports, oversized, protocol_sizes

ROOT = Path(__file__).resolve().parents[2]
GRAPH = ImportGraph.of(ROOT, ("core", "bots", "kb_index", "config"))

# What the core may never know about: platform SDKs, web frameworks, the vector index and the model stack.
OUTSIDE_THE_CORE = (
    "discord",
    "slack_bolt",
    "slack_sdk",
    "github",
    "aiohttp",
    "httpx",
    "starlette",
    "uvicorn",
    "typer",
    "faiss",
    "torch",
    "sentence_transformers",
    "transformers",
    "bots",
    "kb_index",
    "config",
)
# Only the SQL implementations of the ports speak SQL.
SQL = ("sqlalchemy", "alembic", "asyncpg", "aiosqlite")
PLATFORMS = ("bots.discord", "bots.slack", "bots.github", "bots.console")


def _crossing(sources: str, forbidden: tuple[str, ...], *, allowed_in: str | None = None) -> list[str]:
    found = []
    for module, imported, line in GRAPH.imports_from(sources):
        if allowed_in is not None and (module == allowed_in or module.startswith(allowed_in + ".")):
            continue
        if any(imported == name or imported.startswith(name + ".") for name in forbidden):
            found.append(f"{module}:{line} imports {imported}")
    return found


def test_the_core_knows_no_platform_framework_index_or_model() -> None:
    assert _crossing("core", OUTSIDE_THE_CORE) == []


def test_only_the_store_speaks_sql() -> None:
    assert _crossing("core", SQL, allowed_in="core.store") == []


def test_the_knowledge_index_and_the_config_never_import_the_bots() -> None:
    assert _crossing("kb_index", ("bots",)) + _crossing("config", ("bots",)) == []


def test_platform_adapters_do_not_reach_into_the_store_or_each_other() -> None:
    found = []
    for platform in PLATFORMS:
        others = tuple(p for p in PLATFORMS if p != platform)
        found += _crossing(platform, ("core.store", "core.stores", *others))
    assert found == []


def test_no_module_of_the_core_imports_itself_round_a_circle() -> None:
    assert cycles(GRAPH.internal("core")) == []


def test_no_subpackage_of_the_core_imports_itself_round_a_circle() -> None:
    assert cycles(GRAPH.internal("core", depth=2, packages_only=True)) == []


def test_ports_stay_small() -> None:
    sizes = protocol_sizes(ROOT, "core")
    assert sizes, "no ports found: the check would pass on anything"
    assert {name: size for name, size in sizes.items() if size > 12} == {}


def test_modules_stay_readable() -> None:
    assert oversized(ROOT, ("core", "bots", "kb_index", "config", "tests", "benchmarks"), limit=350) == []


# The checks themselves, on a small tree made for them: each must catch what it is for.


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_a_cycle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import thing\n",
            "pkg/b.py": "def thing():\n    from pkg.c import other\n    return other\n",
            "pkg/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n",
            "pkg/d.py": "import pkg.a\n",
        },
    )
    graph = ImportGraph.of(root, ("pkg",))
    assert cycles(graph.internal("pkg")) == [["pkg.a", "pkg.b", "pkg.c"]]


def test_a_forbidden_import_inside_a_function_is_found(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"core/__init__.py": "", "core/x.py": "def f():\n    import discord.ext\n"})
    imports = module_imports(root / "core" / "x.py")
    assert [(name, line) for name, line in imports] == [("discord.ext", 2)]


def test_a_subpackage_cycle_is_found_even_when_modules_do_not_circle(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "core/__init__.py": "",
            "core/one/__init__.py": "",
            "core/one/a.py": "from core.two.b import x\n",
            "core/one/c.py": "",
            "core/two/__init__.py": "",
            "core/two/b.py": "x = 1\n",
            "core/two/d.py": "from core.one.c import y\n",
        },
    )
    graph = ImportGraph.of(root, ("core",))
    assert cycles(graph.internal("core")) == []
    assert cycles(graph.internal("core", depth=2, packages_only=True)) == [["core.one", "core.two"]]


def test_a_long_module_and_a_wide_port_are_reported(tmp_path: Path) -> None:
    methods = "".join(f"    def m{n}(self) -> None:\n        ...\n" for n in range(13))
    root = _tree(
        tmp_path,
        {
            "core/__init__.py": "",
            "core/ports.py": f"from typing import Protocol\nclass Wide(Protocol):\n{methods}",
            "core/long.py": "x = 1\n" * 351,
            "core/store/migrations/versions/0001_big.py": "x = 1\n" * 400,
        },
    )
    assert protocol_sizes(root, "core") == {"core.ports.Wide": 13}
    assert oversized(root, ("core",), limit=350) == ["core/long.py: 351 lines"]


@pytest.mark.parametrize("text", ["from . import sibling\n", "from .sibling import x\n"])
def test_relative_imports_are_refused_so_none_escapes_the_check(tmp_path: Path, text: str) -> None:
    root = _tree(tmp_path, {"core/__init__.py": "", "core/x.py": text})
    with pytest.raises(ValueError, match="relative import"):
        module_imports(root / "core" / "x.py")


def test_every_command_a_package_brings_has_a_handler_and_a_unique_name() -> None:
    from core.command_extras import EXTRA_COMMANDS
    from core.commands import COMMANDS
    from core.desk.extras import HANDLERS

    unhandled = [spec.words for spec in EXTRA_COMMANDS if spec.record not in HANDLERS]
    assert not unhandled, f"commands without a handler in core/desk/extras.py: {unhandled}"
    words = [spec.words for spec in COMMANDS]
    assert len(words) == len(set(words)), "two commands share their words"
