"""Model latency on ``/metrics``: each understood message and each knowledge search is one observation."""

from __future__ import annotations

import numpy as np
from prometheus_client.parser import text_string_to_metric_families

from bots.http.metrics import render
from bots.latency import TimedIndex, TimedUnderstander
from core.analytics.gauges import MetricsSnapshot
from core.ports import SearchHit, Vectors
from tests.understanding_fakes import ScriptedUnderstander


class TwoChunkIndex:
    """A knowledge index with two chunks and no hits."""

    def search(self, vector: Vectors, k: int, query_text: str | None = None) -> list[SearchHit]:
        """Nothing matches."""
        return []

    def __len__(self) -> int:
        return 2


def _count(step: str) -> float:
    for family in text_string_to_metric_families(render(MetricsSnapshot()).decode()):
        for sample in family.samples:
            if sample.name == "helpline_model_seconds_count" and sample.labels["step"] == step:
                return sample.value
    return 0.0


def test_each_message_understood_and_each_search_is_observed_once() -> None:
    understand, search = _count("understand"), _count("search")
    understander = TimedUnderstander(ScriptedUnderstander({}))
    index = TimedIndex(TwoChunkIndex())
    assert understander.understand("my app keeps restarting").text == "my app keeps restarting"
    understander.understand("again")
    assert index.search(np.zeros((1, 4), dtype=np.float32), 3, query_text="x") == []
    assert len(index) == 2
    assert _count("understand") == understand + 2
    assert _count("search") == search + 1


def test_an_empty_store_still_scrapes_with_every_family_typed() -> None:
    families = {f.name: f.type for f in text_string_to_metric_families(render(MetricsSnapshot()).decode())}
    assert families["helpline_first_response_seconds"] == "histogram"
    assert families["helpline_outbox_unsent"] == "gauge"
    assert "helpline_csat_responses" not in families  # no survey table yet: absent, not a false zero
