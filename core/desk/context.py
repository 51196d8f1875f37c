"""What the desk's parts share: their dependencies, the moderator rule and the desk's tunable policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol

from core.agents.records import RoutingPolicy
from core.analytics.policy import ReportPolicy
from core.calls.meetings import JitsiRooms, MeetingRooms
from core.calls.records import CallSettings
from core.community.records import SpamPolicy
from core.engineering.records import EngineeringPolicy
from core.incidents.policy import IncidentPolicy
from core.knowledge.drafting import DraftRules
from core.knowledge.gap_records import GapSettings
from core.knowledge.ranking import DEFAULT_BOOSTS, Boosts
from core.messages import Author, Inbound
from core.privacy.originals import OriginalsKeeper
from core.privacy.redaction import Redactor
from core.requests.impact import RequestPolicy
from core.reviews.records import ReviewPolicy
from core.satisfaction.policy import SatisfactionPolicy

if TYPE_CHECKING:
    from collections.abc import Sequence

    from core.customers.journeys import JourneySettings
    from core.knowledge.articles import FileArticle, LiveArticle, NewArticle, Phrasing
    from core.knowledge.library import PublishInfo
    from core.ports import Chunk, Clock, Embedder, Notifier, SearchHit
    from core.stores import Stores
    from core.tiers import TierDirectory
    from core.understanding.intents import IntentCatalog
    from core.understanding.understander import Understanding


class MessageUnderstander(Protocol):
    """Classifies a message and finds knowledge-base passages for it (``core.understanding.Understander``)."""

    def understand(self, raw: str | bytes) -> Understanding:
        """What the core knows about ``raw``."""
        ...


class KnowledgeEditor(Protocol):
    """The knowledge base as moderators use it: search it, publish to it, list what its files hold."""

    def search_text(self, text: str, k: int) -> list[SearchHit]:
        """The ``k`` passages nearest to ``text``."""
        ...

    def passages(self) -> list[Chunk]:
        """Every passage of the version served now (raises ``IndexNotBuiltError`` when nothing is built)."""
        ...

    def publish(self, articles: Sequence[LiveArticle], phrasings: Sequence[Phrasing]) -> PublishInfo:
        """Serve exactly ``articles`` as the articles written in Helpline, with ``phrasings``, in a new version.

        Only what changed is embedded; every serving process picks the version up on its refresh. Raises
        ``IndexNotBuiltError`` before the first ``helpline kb build`` and ``DataError`` for an article without
        text or two with one ``doc_id``; nothing changes then.
        """
        ...

    def file_articles(self) -> list[FileArticle]:
        """The articles of the last build's files (``IndexNotBuiltError`` when nothing is built)."""
        ...

    def legacy_articles(self) -> list[NewArticle]:
        """The articles added in chat before articles had a life cycle, as published chat articles to import once."""
        ...


@dataclass(frozen=True)
class Moderators:
    """Who may run moderator commands: anyone with one of ``roles``, or a listed ``platform:user-id``."""

    roles: frozenset[str] = frozenset({"moderator"})
    users: frozenset[str] = frozenset()

    def allows(self, platform: str, author: Author) -> bool:
        """True if ``author`` on ``platform`` is a moderator (role names compared ignoring case)."""
        wanted = {role.casefold() for role in self.roles}
        return any(role.casefold() in wanted for role in author.roles) or f"{platform}:{author.id}" in self.users


@dataclass(frozen=True)
class DeskPolicy:
    """Tunable choices of the desk."""

    # Below this similarity a passage is not offered as the answer.
    answer_score: float = 0.45
    # How much of a thread travels onto a ticket opened from it.
    history_limit: int = 50
    extract_chars: int = 320
    # One member may open at most this many tickets within the window; 0 means no limit.
    ticket_limit: int = 3
    ticket_window: timedelta = timedelta(minutes=10)
    # Platforms whose threads are about one thing (a tracker issue, a mail thread): every message joins its ticket,
    # and the author writing on a resolved one reopens it. Elsewhere a different topic is asked about.
    one_topic_platforms: frozenset[str] = frozenset({"github", "email"})
    # The languages the model reads ("*" for a multilingual model); other messages go to a person.
    languages: tuple[str, ...] = ("en",)
    # The out-of-scope class must be this sure to turn down a passage above ``answer_score``.
    clear_out_of_scope: float = 0.75
    # The thresholds and windows of the support lead's numbers (``stats``).
    report: ReportPolicy = field(default_factory=ReportPolicy)
    # Where the dashboard is reached (``server.public_url``, else http://HOST:PORT): sign-in links start with it.
    public_url: str = "http://127.0.0.1:8080"
    # Platforms where a command's answer is seen by the asker alone (slash commands, the local console): the
    # only ones a sign-in link is given on. A GitHub comment's answer is public.
    private_answer_platforms: frozenset[str] = frozenset({"console", "discord", "slack"})
    # How far customers' votes re-rank the passages found (core/knowledge/ranking.py).
    boosts: Boosts = DEFAULT_BOOSTS
    # Which answers count as low-confidence ones, and how knowledge gaps are ranked (core/knowledge/gaps.py).
    gaps: GapSettings = field(default_factory=GapSettings)
    # What a resolved ticket must hold to propose a draft, and when its question is answered already.
    drafts: DraftRules = field(default_factory=DraftRules)


@dataclass
class Desk:
    """The desk's dependencies, shared by the conversation and the moderator commands."""

    understander: MessageUnderstander
    catalog: IntentCatalog
    tiers: TierDirectory
    stores: Stores
    notifier: Notifier
    clock: Clock
    knowledge: KnowledgeEditor | None = None
    moderators: Moderators = field(default_factory=Moderators)
    # Who may publish knowledge-base articles (``knowledge.publishers``); other moderators send theirs to review.
    publishers: Moderators = field(default_factory=lambda: Moderators(roles=frozenset({"publisher"})))
    policy: DeskPolicy = field(default_factory=DeskPolicy)
    satisfaction: SatisfactionPolicy = field(default_factory=SatisfactionPolicy)
    requests: RequestPolicy = field(default_factory=RequestPolicy)
    # What finds the feature requests close in meaning to a new one; without it none are offered.
    embedder: Embedder | None = None
    # What is removed from customers' text before anything keeps it (``privacy.redact``); on by default.
    redactor: Redactor = field(default_factory=Redactor)
    # Each tier's onboarding journey (``config/journeys.yaml``); None: nobody is sent one.
    journeys: JourneySettings | None = None
    # Each tier's video calls (``calls:``) and where their meetings are held.
    calls: CallSettings = field(default_factory=CallSettings)
    call_rooms: MeetingRooms = field(default_factory=JitsiRooms)
    # When incidents remind, resolve their tickets and are proposed (``incidents:``).
    incidents: IncidentPolicy = field(default_factory=IncidentPolicy)
    # Seals what the redactor removed, for leads to open (``privacy.keep_originals``); None: originals dropped.
    originals: OriginalsKeeper | None = None
    # The agents and the tiers whose new tickets are assigned automatically (``routing:``).
    routing: RoutingPolicy = field(default_factory=RoutingPolicy)
    engineering: EngineeringPolicy = field(default_factory=EngineeringPolicy)  # ``escalate N engineering``
    # The spam guard's rules and what each does (``community.spam``).
    spam: SpamPolicy = field(default_factory=SpamPolicy)
    # The QA reviews' rubric and queue (``reviews:``).
    reviews: ReviewPolicy = field(default_factory=ReviewPolicy)


def actor_of(message: Inbound) -> str:
    """How an author is named in the audit log and as an assignee: ``platform:id``."""
    return f"{message.platform}:{message.author.id}"
