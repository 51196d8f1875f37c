"""Loading ``intents.yaml`` into the core's ``IntentCatalog``."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from config.yaml_loader import load_yaml_mapping, validation_problem
from core.errors import ConfigError
from core.tickets.records import Priority
from core.understanding.intents import OUT_OF_SCOPE, Handling, IntentCatalog, IntentSpec


class _IntentModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    description: str = ""
    category: str = Field(min_length=1)
    base_priority: Priority
    handling: Handling = Handling.ANSWER
    examples: list[str] = Field(min_length=1)

    @field_validator("name")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value == OUT_OF_SCOPE:
            raise ValueError(f"'{OUT_OF_SCOPE}' is reserved for out-of-scope messages")
        return value

    @field_validator("examples")
    @classmethod
    def _no_blank_examples(cls, value: list[str]) -> list[str]:
        for i, example in enumerate(value):
            if not isinstance(example, str) or not example.strip():
                raise ValueError(f"example {i} is empty")
        return value


class _IntentsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(1, ge=1, le=1)
    intents: list[_IntentModel] = Field(min_length=2)
    out_of_scope: list[str] = []

    @field_validator("out_of_scope")
    @classmethod
    def _no_blank_out_of_scope(cls, value: list[str]) -> list[str]:
        for i, example in enumerate(value):
            if not example.strip():
                raise ValueError(f"example {i} is empty")
        return value


def load_intents(path: Path) -> IntentCatalog:
    """Read and validate an intents file; problems name the file and the key."""
    data = load_yaml_mapping(path)
    try:
        parsed = _IntentsFile.model_validate(data)
    except ValidationError as exc:
        key, problem = validation_problem(exc, _IntentsFile)
        raise ConfigError(str(path), key, problem) from None
    specs = tuple(
        IntentSpec(
            name=item.name,
            description=item.description,
            category=item.category,
            base_priority=item.base_priority,
            examples=tuple(example.strip() for example in item.examples),
            handling=item.handling,
        )
        for item in parsed.intents
    )
    try:
        return IntentCatalog(specs, tuple(example.strip() for example in parsed.out_of_scope))
    except ValueError as exc:
        raise ConfigError(str(path), "intents", str(exc)) from None
