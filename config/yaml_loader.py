"""Reading YAML config files with errors that name the file, the line and the key."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode

from core.errors import ConfigError

# Deeper than any real config; far below the depth at which the YAML parser would run out of stack.
MAX_DEPTH = 50
_MERGE_TAG = "tag:yaml.org,2002:merge"
_MAX_NUMBER_CHARS = 100
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_+-][A-Za-z0-9_.+-]*")


class _ConfigLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses duplicate keys and reports bad dates as YAML errors."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        """A mapping whose keys are unique (YAML's "last one wins" silently drops the first)."""
        seen: dict[Any, Node] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _MERGE_TAG:
                continue
            key = self.construct_object(key_node)
            try:
                first = seen.setdefault(key, key_node)
            except TypeError:  # an unhashable key: the base class explains that one
                continue
            if first is not key_node:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"duplicate key {key_node.value!r} (first on line {first.start_mark.line + 1})",
                    key_node.start_mark,
                )
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        """A date or time, or a YAML error at its line when it is no real date (``2026-13-45``)."""
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a date: {exc}", node.start_mark
            ) from None

    def construct_yaml_int(self, node: ScalarNode) -> Any:
        """An integer, or a YAML error at its line when it is longer than any setting needs."""
        if len(node.value) > _MAX_NUMBER_CHARS:  # Python would not even print an integer of 5,000 digits
            raise yaml.constructor.ConstructorError(
                None, None, f"a number of {len(node.value)} characters is too long", node.start_mark
            )
        return super().construct_yaml_int(node)


_ConfigLoader.add_constructor("tag:yaml.org,2002:timestamp", _ConfigLoader.construct_yaml_timestamp)
_ConfigLoader.add_constructor("tag:yaml.org,2002:int", _ConfigLoader.construct_yaml_int)


def _too_deep(data: Any) -> bool:
    """True when lists and mappings nest more than ``MAX_DEPTH`` levels (checked without recursion)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return False


def parse_yaml(text: str) -> Any:
    """The YAML document in ``text``; ``ValueError`` with the line and the reason when it cannot be read."""
    try:
        data = yaml.load(text, Loader=_ConfigLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ValueError(f"invalid YAML: {line}{problem}") from None
    except RecursionError:
        raise ValueError(f"invalid YAML: nested more than {MAX_DEPTH} levels deep") from None
    if _too_deep(data):
        raise ValueError(f"invalid YAML: nested more than {MAX_DEPTH} levels deep")
    return data


def load_yaml_mapping(path: Path) -> dict[str, Any]:
    """Parse ``path`` as YAML and require a mapping at the top."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), None, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), None, f"cannot read file: {exc}") from None
    try:
        data = parse_yaml(text)
    except ValueError as exc:
        raise ConfigError(str(path), None, str(exc)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(str(path), None, f"expected a mapping of settings, found {type(data).__name__}")
    return data


def _dotted(loc: tuple[int | str, ...]) -> str:
    key = ""
    for part in loc:
        if isinstance(part, int):
            key += f"[{part}]"
        elif not _PLAIN_KEY.fullmatch(part):  # a key with spaces, newlines or nothing in it: quoted, on one line
            key += f"[{part!r}]"
        else:
            key += f".{part}" if key else part
    return key or "(top level)"


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The first model inside an annotation (``M``, ``list[M]``, ``dict[str, M]``, ``M | None``), if any."""
    queue = [annotation]
    while queue:
        item = queue.pop(0)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
        queue.extend(get_args(item))
    return None


def _known_keys(model: type[BaseModel] | None, loc: tuple[int | str, ...]) -> list[str]:
    """The keys accepted where ``loc`` ends; list indexes and mapping keys (tier names) keep the model."""
    for part in loc[:-1]:
        if model is None:
            return []
        field = model.model_fields.get(str(part))
        if field is not None:
            model = _model_in(field.annotation)
    return list(model.model_fields) if model is not None else []


def _message(error: Any, model: type[BaseModel] | None) -> str:
    if error["type"] != "extra_forbidden":
        return str(error["msg"])
    loc = error["loc"]
    close = difflib.get_close_matches(str(loc[-1]), _known_keys(model, loc), n=1, cutoff=0.6)
    return "unknown setting" + (f" (did you mean {close[0]}?)" if close else "")


def validation_problem(exc: ValidationError, model: type[BaseModel] | None = None) -> tuple[str, str]:
    """The dotted key of the first problem (``intents[2].name`` style) and every problem's message.

    An unknown key reads "unknown setting", with the nearest key ``model`` accepts there when one is close.
    """
    errors = exc.errors()
    first = _dotted(errors[0]["loc"])
    others = [f"{_dotted(e['loc'])}: {_message(e, model)}" for e in errors[1:6]]
    return first, "; ".join([_message(errors[0], model), *others])


def refuse_unknown_tiers(references: Iterable[tuple[str, str]], tiers_file: Path, source: str) -> None:
    """Refuse the first ``(key, tier name)`` whose tier ``tiers_file`` does not define, naming ``source`` and key.

    The tiers file is read only when there is something to check.
    """
    pending = list(references)
    if not pending:
        return
    tiers = load_yaml_mapping(tiers_file).get("tiers")
    known = [str(name) for name in tiers] if isinstance(tiers, Mapping) else []
    for key, name in pending:
        if name not in known:
            raise ConfigError(source, key, f"unknown tier {name!r}; {tiers_file} defines: {', '.join(known)}")
