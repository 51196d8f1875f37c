"""Cases for the probes: examples drawn from hypothesis strategies, truncated and random bodies, all repeatable."""

from __future__ import annotations

import json
import random
from typing import Any, TypeVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

T = TypeVar("T")
SEED = 26  # the number: every run draws the same cases


def drawn(strategy: st.SearchStrategy[T], count: int) -> list[T]:
    """``count`` examples of ``strategy`` (fewer if it has fewer), the same ones every run."""
    found: list[T] = []
    quiet = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

    @settings(max_examples=count, deadline=None, derandomize=True, database=None, suppress_health_check=quiet)
    @given(strategy)
    def keep(example: T) -> None:
        found.append(example)

    keep()
    return found[:count]


def truncated(document: Any, count: int) -> list[bytes]:
    """``document`` as JSON cut short at ``count`` places, the same places every run."""
    whole = json.dumps(document).encode()
    chosen = random.Random(SEED)
    return [whole[: chosen.randrange(1, len(whole))] for _ in range(count)]


def binary(count: int, longest: int = 4096) -> list[bytes]:
    """``count`` random byte strings, the same ones every run."""
    chosen = random.Random(SEED)
    return [chosen.randbytes(chosen.randrange(1, longest)) for _ in range(count)]
