"""The reliability report's probes, run small: every case of every probe holds."""

from __future__ import annotations

import pytest

from benchmarks.reliability.probes import PROBES, Probe

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize(
    "probe", [pytest.param(p, id=p.name, marks=[pytest.mark.slow] if p.slow else []) for p in PROBES]
)
async def test_every_case_of_the_probe_holds(probe: Probe) -> None:
    figure = await probe.run(probe.small)
    assert figure.tried > 0
    assert (figure.held, figure.lost) == (figure.tried, 0), figure.examples
