"""Property-based fuzzing: whatever a person types or writes, the answer is a result or the project's own error.

The command parser returns a command or a ``CommandError``; durations a timedelta within bounds or a
``ValueError``; each config loader a result or a ``ConfigError`` naming the file. Never another exception.
Runs are derandomised and small so CI sees the same examples every time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bots.console.translate import Identity, Wait, read_line
from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE, DEFAULT_TIERS_FILE, load_settings
from config.tiers import load_tiers
from core.commands import Command, CommandError
from core.desk.commands import parse_command
from core.errors import ConfigError
from core.messages import Action, Choice
from core.sla.deadlines import MAX_DURATION, parse_duration

FUZZ = settings(
    derandomize=True, max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
EXAMPLE_SETTINGS = DEFAULT_TIERS_FILE.parent / "helpline.example.yaml"
# Characters that matter to YAML and to our values, so mutations hit syntax and meaning alike.
YAML_CHARS = st.sampled_from(list(":[]{}-#&*!|>'\",%@`?~ \n\t0123456789.dhmwSUCTabcelnrsuy/\\"))
WORDS = st.sampled_from(
    ["claim", "reply", "close", "kb", "add", "tier", "assign", "help", "stats", "#12", "12", "0", "-1", "|", "\n"]
)
DURATIONS = st.sampled_from(["30m", "3h", "2d", "1w", "99999999999999d", "3651d", "0m", "1.5h", "1e9d", "5", ""])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    DURATIONS,
    st.dates(min_value=date(1, 1, 1)),
    st.sampled_from(["console", "slack:C0ESC", "slack:#general", "consol", "slack:user:#x", "on-call", "24x7"]),
)
TREES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12) | WORDS, children, max_size=4)
    ),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with TemporaryDirectory() as name:
        yield Path(name)


def loads_or_names_the_file(load: Callable[[Path], object], path: Path, text: str) -> None:
    """The property: ``load`` returns, or raises ``ConfigError`` naming ``path``; anything else fails the test."""
    path.write_text(text, encoding="utf-8")
    try:
        load(path)
    except ConfigError as exc:
        assert exc.path == str(path)
        assert "\n" not in exc.problem or exc.problem.startswith("invalid YAML")


def load_settings_file(path: Path) -> object:
    return load_settings(path, env={})


def _trimmed(path: Path) -> str:
    """The shipped file; the intents file with only its first three intents, so each example stays quick."""
    text = path.read_text(encoding="utf-8")
    if path != DEFAULT_INTENTS_FILE:
        return text
    tree = yaml.safe_load(text)
    return yaml.safe_dump({**tree, "intents": tree["intents"][:3]}, allow_unicode=True, sort_keys=False)


LOADERS: dict[str, tuple[Callable[[Path], object], str]] = {
    "settings": (load_settings_file, _trimmed(EXAMPLE_SETTINGS)),
    "tiers": (load_tiers, _trimmed(DEFAULT_TIERS_FILE)),
    "intents": (load_intents, _trimmed(DEFAULT_INTENTS_FILE)),
}
TREES_SHIPPED = {name: yaml.safe_load(text) or {} for name, (_, text) in LOADERS.items()}


@given(text=st.text(max_size=200) | st.lists(WORDS, max_size=6).map(" ".join))
@FUZZ
def test_the_command_parser_returns_a_command_or_says_what_is_wrong(text: str) -> None:
    try:
        assert isinstance(parse_command(text), Command)
    except CommandError as exc:
        assert str(exc)


@given(line=st.text(max_size=60) | st.lists(WORDS | DURATIONS | st.just("/wait"), max_size=4).map(" ".join))
@FUZZ
def test_any_console_line_is_read_as_something_without_an_exception(line: str) -> None:
    who = Identity("ana", frozenset(), "t1")
    pending = (Choice("Helpful", Action.HELPFUL), Choice("Talk to a human", Action.HUMAN))
    parsed = read_line(line, who, pending, 1)
    if isinstance(parsed, Wait):
        assert timedelta() < parsed.delta <= MAX_DURATION


@given(text=st.text(max_size=40) | st.lists(DURATIONS, max_size=4).map("".join) | st.from_regex(r"\d{1,400}[wdhm]"))
@FUZZ
def test_a_duration_is_bounded_or_refused_with_a_reason(text: str) -> None:
    try:
        assert timedelta() < parse_duration(text) <= MAX_DURATION
    except ValueError as exc:
        assert str(exc)


@pytest.mark.parametrize("name", sorted(LOADERS))
@given(text=st.text(max_size=300))
@FUZZ
def test_any_text_as_a_config_file_loads_or_names_the_file(folder: Path, name: str, text: str) -> None:
    load, _ = LOADERS[name]
    loads_or_names_the_file(load, folder / f"{name}.yaml", text)


@pytest.mark.parametrize("name", sorted(LOADERS))
@given(data=st.data())
@FUZZ
def test_the_shipped_file_with_a_stretch_rewritten_loads_or_names_the_file(
    folder: Path, name: str, data: st.DataObject
) -> None:
    load, text = LOADERS[name]
    start = data.draw(st.integers(0, len(text)), label="start")
    end = data.draw(st.integers(start, min(len(text), start + 40)), label="end")
    patch = data.draw(st.text(YAML_CHARS, max_size=30), label="patch")
    loads_or_names_the_file(load, folder / f"{name}.yaml", text[:start] + patch + text[end:])


def _replace_somewhere(tree: Any, data: st.DataObject) -> Any:
    """``tree`` with the value at one path, chosen by ``data``, replaced by a generated value."""
    children = list(tree.items()) if isinstance(tree, dict) else list(enumerate(tree)) if isinstance(tree, list) else []
    if not children or data.draw(st.integers(0, 3), label="stop here") == 0:
        return data.draw(TREES, label="value")
    key, child = data.draw(st.sampled_from(children), label="key")
    copy = dict(tree) if isinstance(tree, dict) else list(tree)
    copy[key] = _replace_somewhere(child, data)
    return copy


@pytest.mark.parametrize("name", sorted(LOADERS))
@given(data=st.data())
@FUZZ
def test_the_shipped_settings_with_a_value_replaced_load_or_name_the_file(
    folder: Path, name: str, data: st.DataObject
) -> None:
    load, _ = LOADERS[name]
    changed = _replace_somewhere(TREES_SHIPPED[name], data)
    loads_or_names_the_file(load, folder / f"{name}.yaml", yaml.safe_dump(changed, allow_unicode=True))


@given(
    tier=st.sampled_from(sorted(TREES_SHIPPED["tiers"]["tiers"])),
    target=st.sampled_from(["first_response", "resolution"]),
    priority=st.sampled_from(["critical", "high", "medium", "low"]),
    value=DURATIONS | st.from_regex(r"\d{1,30}(\.\d{1,5})?[wdhm]", fullmatch=True) | SCALARS,
)
@FUZZ
def test_any_tier_target_loads_or_names_the_file(
    folder: Path, tier: str, target: str, priority: str, value: object
) -> None:
    tree = TREES_SHIPPED["tiers"]
    tiers = {**tree["tiers"], tier: {**tree["tiers"][tier], target: {**tree["tiers"][tier][target], priority: value}}}
    loads_or_names_the_file(load_tiers, folder / "tiers.yaml", yaml.safe_dump({**tree, "tiers": tiers}))
