"""The public roadmap page, ``GET /roadmap``: no sign-in and no personal data, only each request's number,
title, status and vote count, by status (being built, planned, most wanted, done) and score."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from bots.web.render import ENV, SECURITY_HEADERS
from core.requests.board import People, RequestBoard
from core.requests.records import ROADMAP_ORDER
from core.requests.wording import HEADINGS

if TYPE_CHECKING:
    from core.ports import Clock
    from core.requests.impact import RequestPolicy
    from core.requests.ports import FeatureRequests

PER_STATUS = 50


@dataclass(frozen=True)
class Row:
    """What the public sees of one request."""

    number: int
    title: str
    status: str
    votes: int


@dataclass(frozen=True)
class Section:
    """One status's requests."""

    status: str
    heading: str
    rows: list[Row]


async def roadmap_sections(board: RequestBoard) -> list[Section]:
    """The roadmap's sections with their rows, best score first, at most ``PER_STATUS`` each."""
    listed = await board.listing(ROADMAP_ORDER)
    sections = []
    for status in ROADMAP_ORDER:
        rows = [Row(r.number, r.title, str(r.status), i.votes) for r, i in listed if r.status is status]
        if rows:
            sections.append(Section(status.value, HEADINGS[status], rows[:PER_STATUS]))
    return sections


def roadmap_routes(
    store: FeatureRequests, clock: Clock, policy: RequestPolicy, product: str, people: People | None = None
) -> list[Route]:
    """The public page's route; with ``people``, a person's linked identities count as one vote."""
    board = RequestBoard(store, clock, policy, people)

    async def roadmap(request: Request) -> HTMLResponse:
        body = ENV.get_template("public_roadmap.html.j2").render(
            sections=await roadmap_sections(board), product=product
        )
        return HTMLResponse(body, headers={**SECURITY_HEADERS, "Cache-Control": "public, max-age=60"})

    return [Route("/roadmap", roadmap, methods=["GET"])]
