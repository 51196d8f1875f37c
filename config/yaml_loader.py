"""Reading YAML config files with errors that name the file, the line and the key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from core.errors import ConfigError


def load_yaml_mapping(path: Path) -> dict[str, Any]:
    """Parse ``path`` as YAML and require a mapping at the top."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), None, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), None, f"cannot read file: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(str(path), None, f"invalid YAML: {line}{problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(str(path), None, f"expected a mapping of settings, found {type(data).__name__}")
    return data


def _dotted(loc: tuple[int | str, ...]) -> str:
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key or "(top level)"


def validation_problem(exc: ValidationError) -> tuple[str, str]:
    """The dotted key of the first problem (``intents[2].name`` style) and every problem's message."""
    errors = exc.errors()
    first = _dotted(errors[0]["loc"])
    others = [f"{_dotted(e['loc'])}: {e['msg']}" for e in errors[1:6]]
    return first, "; ".join([errors[0]["msg"], *others])
