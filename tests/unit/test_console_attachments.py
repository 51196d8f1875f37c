"""The console saves a notice's files privately under the data folder and shows where."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from bots.console.app import ConsoleNotifier
from core.messages import Address, Attachment, Outbound, Reply, ReplyKind
from tests.unit.test_sla_events import TINY_PNG


@pytest.mark.asyncio
async def test_a_chart_is_saved_0600_and_its_path_printed(tmp_path: Path) -> None:
    shown: list[str] = []
    notifier = ConsoleNotifier(tmp_path / "attachments")
    notifier.emit = lambda reply, address: shown.append(reply.text)
    chart = Attachment("../digest.png", "image/png", TINY_PNG)
    await notifier.send(Outbound(Address("console"), Reply(ReplyKind.INFO, "Weekly digest", attachments=(chart,))))
    [text] = shown
    found = re.search(r"image/png saved to (\S+)\)", text)
    assert text.startswith("Weekly digest") and found is not None
    path = Path(found.group(1))
    assert path.parent == tmp_path / "attachments" and path.name.endswith("-digest.png")
    assert path.read_bytes() == TINY_PNG and stat.S_IMODE(path.stat().st_mode) == 0o600
