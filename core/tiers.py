"""Support tiers, and which tier (and customer) the author of a message belongs to."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from core.messages import Address, Inbound
from core.sla.deadlines import Calendar, Targets
from core.sla.oncall import OnCall
from core.sla.plan import TierSla
from core.tickets.records import Priority

COMMUNITY = "community"


@dataclass(frozen=True)
class Tier:
    """A support tier: its promises, who hears about missed ones, and where it is served."""

    name: str
    label: str
    targets: Targets
    hours: str  # how the tier is staffed, in words: "24x7", "business hours", "best effort"
    escalation_target: str | None  # an address such as "slack:C123"; None: never escalated
    escalation_contact: str  # who that is, in words: "the customer success manager"
    channels: tuple[str, ...]  # platforms (or addresses) the tier is served on
    priority_boost: int = 0  # levels an intent's base priority is raised for this tier
    sla: TierSla = field(default_factory=TierSla)  # calendar, warnings, escalation chain, reminders

    def __post_init__(self) -> None:
        # A tier built in code with just an escalation target escalates to it, as before chains existed.
        if not self.sla.chain and self.escalation_target is not None:
            from core.sla.plan import ON_CALL, EscalationLevel

            level = EscalationLevel(self.escalation_contact, None, (ON_CALL,))
            object.__setattr__(self, "sla", replace(self.sla, chain=(level,)))

    def level_target(self, level: int) -> str:
        """The address escalation level ``level`` (from 1) goes to."""
        return self.sla.chain[level - 1].target or self.escalation_target or "console"

    @property
    def team_channel(self) -> str:
        """Where SLA warnings and reminders go: the team channel, else the first escalation level's address."""
        return self.sla.team_channel or (self.level_target(1) if self.sla.chain else "console")

    def serves(self, address: Address) -> bool:
        """True if the tier is served where ``address`` is: a listed platform, or a listed workspace or channel."""
        return any(covers(entry, address) for entry in self.channels)

    def covered(self, priority: Priority) -> bool:
        """True if the tier promises a first response at this priority."""
        return self.targets.first_response.get(priority) is not None


def covers(entry: str, address: Address) -> bool:
    """Whether ``address`` is within ``entry``: a platform (``slack``), a workspace or a channel (``slack:C1``)."""
    place = Address.parse(entry)
    if place.platform != address.platform:
        return False
    return (not place.workspace or place.workspace == address.workspace) and (
        not place.channel or place.channel == address.channel
    )


def home_of(message: Inbound) -> str:
    """The workspace an author belongs to: their own team if known (Slack Connect), else where they write."""
    return message.author.team or message.address.workspace


@dataclass(frozen=True)
class TierRule:
    """Puts matching authors in a tier; every field that is set must match."""

    tier: str
    platform: str | None = None
    workspace: str | None = None
    channel: str | None = None
    role: str | None = None
    customer: str | None = None  # the customer these authors belong to; default: the workspace

    def matches(self, message: Inbound) -> bool:
        """True if the message's author falls under this rule."""
        where = message.address
        return (
            (self.platform is None or self.platform == where.platform)
            and (self.workspace is None or self.workspace == home_of(message))
            and (self.channel is None or self.channel == where.channel)
            and (self.role is None or self.role.casefold() in {r.casefold() for r in message.author.roles})
        )


@dataclass(frozen=True)
class Customer:
    """A named customer with identities (``platform:user-id``) on any number of platforms."""

    id: str
    name: str
    tier: str
    identities: tuple[str, ...]


@dataclass(frozen=True)
class Membership:
    """Who a message's author is to the support team."""

    customer: str
    tier: Tier  # the tier whose promises apply here
    # The author's own tier when it is not served where they wrote (they are served at the default tier).
    elsewhere: Tier | None = None


class TierDirectory:
    """Tiers by name plus the rules and customer list that place authors in them."""

    def __init__(
        self,
        tiers: Sequence[Tier],
        rules: Sequence[TierRule] = (),
        customers: Sequence[Customer] = (),
        default_tier: str = COMMUNITY,
        *,
        calendars: Mapping[str, Calendar] | None = None,
        on_call: OnCall | None = None,
    ) -> None:
        self._tiers = {tier.name: tier for tier in tiers}
        if default_tier not in self._tiers:
            raise ValueError(f"the default tier {default_tier!r} is not defined")
        unknown = {r.tier for r in rules} | {c.tier for c in customers}
        if unknown - self._tiers.keys():
            raise ValueError(f"unknown tier(s): {', '.join(sorted(unknown - self._tiers.keys()))}")
        self._rules = tuple(rules)
        self._customers = tuple(customers)
        self._by_identity = {identity: c for c in customers for identity in c.identities}
        self.default_tier = default_tier
        self._calendars = dict(calendars or {})  # customer id → the customer's own calendar
        self.on_call = on_call or OnCall()

    @property
    def tiers(self) -> tuple[Tier, ...]:
        """All tiers, in configured order."""
        return tuple(self._tiers.values())

    @property
    def customers(self) -> tuple[Customer, ...]:
        """The named customers, in configured order."""
        return self._customers

    def get(self, name: str) -> Tier:
        """The tier called ``name``; ``KeyError`` if there is none."""
        return self._tiers[name]

    def with_customer(self, customer: Customer) -> TierDirectory:
        """A copy that also knows ``customer``, ahead of every rule (the console's ``--tier``)."""
        return TierDirectory(
            self.tiers,
            self._rules,
            (customer, *self._customers),
            self.default_tier,
            calendars=self._calendars,
            on_call=self.on_call,
        )

    def calendar_for(self, tier: Tier, customer: str) -> Calendar:
        """The calendar a customer's clocks count in: the customer's own, else the tier's."""
        return self._calendars.get(customer, tier.sla.calendar)

    def knows(self, tier: str) -> bool:
        """True if a tier of this name is defined."""
        return tier in self._tiers

    def customer_of(self, identity: str) -> Customer | None:
        """The listed customer one of whose identities (``platform:user-id``) this is, if any."""
        return self._by_identity.get(identity)

    def resolve(self, message: Inbound, account: Customer | None = None) -> Membership:
        """The author's customer and tier: ``account`` (the customer store's say) first, then the customer list,
        then rules in order, else the default.

        A tier applies only on its ``channels``: elsewhere the author keeps their customer but is served at
        the default tier, and the membership says which tier they have where it is served.
        """
        identity = f"{message.platform}:{message.author.id}"
        if account is not None and account.tier in self._tiers:
            return self._served(message, account.id, self._tiers[account.tier])
        customer = self._by_identity.get(identity)
        if customer is not None:
            return self._served(message, customer.id, self._tiers[customer.tier])
        for rule in self._rules:
            if rule.matches(message):
                owner = rule.customer or f"{message.platform}:{home_of(message) or message.author.id}"
                return self._served(message, owner, self._tiers[rule.tier])
        return Membership(identity, self._tiers[self.default_tier])

    def _served(self, message: Inbound, customer: str, tier: Tier) -> Membership:
        """``tier`` where it is served; the default tier (naming ``tier`` as elsewhere) anywhere else."""
        if tier.name == self.default_tier or tier.serves(message.address):
            return Membership(customer, tier)
        return Membership(customer, self._tiers[self.default_tier], elsewhere=tier)

    def priority(self, tier: Tier, base: Priority) -> Priority:
        """An intent's base priority raised by the tier's boost, capped at critical, and never to a slower promise.

        A tier may promise less at a higher priority (professional: high in 8 h, critical in 24 h); the
        boost then stops at the most urgent level within reach whose every target is no longer than the
        unboosted level's, so a boost can only shorten a promise.
        """
        for levels in range(tier.priority_boost, 0, -1):
            raised = base.raised(levels)
            if not _slower(tier.targets, raised, base):
                return raised
        return base


def _slower(targets: Targets, raised: Priority, base: Priority) -> bool:
    """True if any promise at ``raised`` is longer than at ``base`` (no promise counts as the longest)."""
    pairs = [
        (targets.first_response.get(raised), targets.first_response.get(base)),
        (targets.next_response_for(raised), targets.next_response_for(base)),
        (targets.resolution.get(raised), targets.resolution.get(base)),
    ]
    return any(promised is not None and (boosted is None or boosted > promised) for boosted, promised in pairs)
