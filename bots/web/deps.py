"""What the dashboard's pages are given: who is looking (``Viewer``), the gate that says so, and the system's parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from core.messages import Address, Author
from core.requests.impact import RequestPolicy
from core.staff.records import DASHBOARD, Identity, StaffRole

if TYPE_CHECKING:
    from starlette.requests import Request

    from core.analytics.policy import ReportPolicy
    from core.desk.context import KnowledgeEditor
    from core.desk.pipeline import SupportDesk
    from core.knowledge.gaps import GapFinder
    from core.ports import Clock
    from core.staff.ports import StaffAccounts, StaffSessions
    from core.stores import Stores
    from core.tiers import TierDirectory


@dataclass(frozen=True)
class Viewer:
    """The signed-in person a request comes from, as the session says."""

    account: str
    role: StaffRole
    identity: Identity
    session: str  # the session token's hash: what signing out revokes
    csrf_token: str  # every form of this session carries it; every POST must send it back

    @property
    def lead(self) -> bool:
        """Whether this person sees the analytics and the staff pages."""
        return self.role is StaffRole.LEAD

    def author(self) -> Author:
        """The author of the desk commands this person runs: their platform identity with its roles."""
        return Author(self.identity.user_id, self.identity.name, self.identity.roles)

    def address(self) -> Address:
        """Where their commands come from: the dashboard, on their identity's platform (so assignees match chat)."""
        return Address(self.identity.platform, channel=DASHBOARD)


class Gate(Protocol):
    """Says who a request comes from, and whether a POST carries its session's CSRF token."""

    async def viewer(self, request: Request) -> Viewer | None:
        """The live session's viewer, or None when the request has no valid, live, untampered session."""
        ...

    async def csrf_ok(self, request: Request, viewer: Viewer) -> bool:
        """Whether the POST's form (field ``csrf_token``) or header (``X-CSRF-Token``) has the viewer's token."""
        ...


@dataclass(frozen=True)
class DashboardDeps:
    """The parts of the running system the pages read from and act through.

    Reads go to the store ports; every change goes through ``desk`` as the viewer's desk command.
    """

    desk: SupportDesk
    stores: Stores
    staff: StaffAccounts
    sessions: StaffSessions
    clock: Clock
    tiers: TierDirectory
    gate: Gate
    report_policy: ReportPolicy
    public_url: str  # e.g. "https://help.example.com": links, and Secure cookies when https
    moderator_roles: frozenset[str] = frozenset({"moderator"})  # what a password account acts with
    knowledge: KnowledgeEditor | None = None  # the desk's knowledge base (``System.knowledge``), searched by the page
    gaps: GapFinder | None = None  # the knowledge-gap report (``System.gaps``), shown by the Gaps page
    request_policy: RequestPolicy = field(default_factory=RequestPolicy)  # the Requests pages' weights, trending
