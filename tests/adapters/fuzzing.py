"""Hypothesis strategies for fuzzing translators: any JSON, and recorded payloads with parts changed.

Runs are small and derandomized (the same examples every run), so CI is quick and a failure repeats.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

SMALL = settings(max_examples=100, deadline=None, derandomize=True, database=None)

# Text that includes what breaks careless code: lone surrogates, bidi controls, NUL, markup.
_odd_text = st.sampled_from(["\ud800", "\udfff", "\u202e", "\x00", "<@U0BOT>", "&amp;lt;", "../x", "@everyone"])
texts = st.one_of(st.text(max_size=12), _odd_text, st.lists(_odd_text, max_size=3).map("".join))
# Valid Unicode only: what the core itself says, which has already passed an edge.
unicode_texts = texts.filter(lambda text: not any("\ud800" <= c <= "\udfff" for c in text))
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**64),
    st.floats(allow_nan=False),
    texts,
)
json_values = st.recursive(
    leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(texts, inner, max_size=3)),
    max_leaves=12,
)


def _slots(value: Any) -> Iterator[tuple[Any, Any]]:
    """Every (container, key) in a JSON value, nested ones included."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in list(items):
        yield value, key
        yield from _slots(child)


def _slot(data: Any, path: tuple[str | int, ...]) -> tuple[Any, Any] | None:
    """The (container, key) at ``path`` in ``data``, if the path is still there."""
    container: Any = data
    for key in path[:-1]:
        try:
            container = container[key]
        except (KeyError, IndexError, TypeError):
            return None
    return (container, path[-1]) if isinstance(container, dict | list) else None


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any], focus: tuple[tuple[str | int, ...], ...] = ()) -> Any:
    """``base`` with one to four values replaced by any JSON or removed; now and then no object at all.

    Half the changes fall on the ``focus`` paths (the keys the translator reads), the rest anywhere.
    """
    if draw(st.integers(0, 19)) == 0:
        return draw(json_values)
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        targets = [slot for path in focus if (slot := _slot(data, path)) is not None]
        on_focus: bool = draw(st.booleans())
        slots = targets if targets and on_focus else list(_slots(data))
        if not slots:
            break
        container, key = draw(st.sampled_from(slots))
        if isinstance(container, dict) and draw(st.integers(0, 3)) == 0:
            container.pop(key, None)
        elif isinstance(container, dict) or (isinstance(key, int) and key < len(container)):
            container[key] = draw(json_values)
    return data
