"""The reliability report's probes, run small: every case of every probe holds."""

from __future__ import annotations

import pytest

from benchmarks.reliability.probes import PROBES, Probe

pytestmark = pytest.mark.asyncio

# Defects a probe found and the lead has still to fix: strict, so the fix turns the mark into a failure to remove.
KNOWN_DEFECTS: dict[str, str] = {}


def _marks(probe: Probe) -> list[pytest.MarkDecorator]:
    marks = [getattr(pytest.mark, name) for name in probe.marks]
    if probe.name in KNOWN_DEFECTS:
        marks.append(pytest.mark.xfail(reason=KNOWN_DEFECTS[probe.name], strict=True))
    return marks


@pytest.mark.parametrize("probe", [pytest.param(p, id=p.name, marks=_marks(p)) for p in PROBES])
async def test_every_case_of_the_probe_holds(probe: Probe) -> None:
    figure = await probe.run(probe.small)
    assert figure.tried > 0
    assert (figure.held, figure.lost) == (figure.tried, 0), figure.examples
