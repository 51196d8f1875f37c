"""The spam rules: pure functions over a message and a small sliding window of each member's recent posts.

Nothing here reads a clock or a store: the caller passes the time (the desk's clock), so a test replays a
flood second by second. The window keeps, per member, only what the longest rule looks back over.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from core.community.records import Act, Rule, SpamPolicy, Verdict

if TYPE_CHECKING:
    from collections.abc import Iterable

_EVERYONE = re.compile(r"(?<![\w`])@(everyone|here)\b")
_USER_MENTION = re.compile(r"<@!?([A-Za-z0-9]+)>")
_INVITE = re.compile(r"\b(?:discord(?:app)?\.com/invite|discord\.gg)/[A-Za-z0-9-]+", re.IGNORECASE)
_URL = re.compile(r"\bhttps?://[^\s<>()\[\]`'\"]+|\bwww\.[^\s<>()\[\]`'\"]+", re.IGNORECASE)
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
_WORDS = re.compile(r"[^\w]+")
# What advertising says and a support question seldom does.
_PROMO = re.compile(
    r"\b(nitro|giveaway|airdrop|crypto|bitcoin|btc|nft|casino|betting|onlyfans|followers|subscribers|"
    r"earn \$?\d+|earn money|make money|profit|investment|dm me|click here|claim (?:your|it|now)|"
    r"limited offer|gift ?card|free gift|free money|steam gift|promo code|discount code)\b",
    re.IGNORECASE,
)
# What a question, a problem report or a thank-you says.
_ASKING = re.compile(
    r"\?|\b(how|why|what|when|where|which|error|errors|fail|fails|failed|failing|exception|traceback|crash|"
    r"crashes|broken|bug|issue|problem|help|not work|doesn'?t work|stuck|timeout|denied|unable|cannot|can'?t|"
    r"thanks|thank you|fixed|solved|works now)\b",
    re.IGNORECASE,
)
MEMBER_POSTS = 200  # kept per member at most, whatever the windows
MEMBERS = 100_000  # members whose message counts are kept; the quietest are forgotten first


@dataclass(frozen=True)
class Post:
    """A message as the rules see it."""

    member: str  # platform:id
    channel: str  # where it was written (a channel, not a thread of it)
    text: str
    at: datetime
    member_since: datetime | None = None  # when the member joined, if the platform says


Recent = deque[tuple[datetime, str, str]]  # a member's (time, channel, normalised text), oldest first


@dataclass
class SpamWindow:
    """The recent posts of every member, forgotten once no rule looks back that far, and how many each wrote."""

    span: timedelta
    _posts: dict[str, Recent] = field(default_factory=dict)
    _counts: dict[str, int] = field(default_factory=dict)  # messages seen per member (this process), capped
    _added: int = 0

    def add(self, post: Post) -> tuple[Recent, int]:
        """Remember ``post``; the member's recent posts (this one last) and how many messages they wrote."""
        self._added += 1
        if self._added % 1000 == 0:  # now and then, forget every member who went quiet
            for member in [m for m, posts in self._posts.items() if not self._trim(posts, post.at)]:
                del self._posts[member]
        posts = self._posts.setdefault(post.member, deque(maxlen=MEMBER_POSTS))
        self._trim(posts, post.at)
        posts.append((post.at, post.channel, normalised(post.text)))
        count = self._counts.pop(post.member, 0) + 1
        self._counts[post.member] = count  # re-inserted: the dict's oldest entries are its quietest members
        if len(self._counts) > MEMBERS:
            del self._counts[next(iter(self._counts))]
        return posts, count

    def _trim(self, posts: Recent, now: datetime) -> bool:
        while posts and posts[0][0] <= now - self.span:
            posts.popleft()
        return bool(posts)


def window_for(policy: SpamPolicy) -> SpamWindow:
    """An empty window as long as the policy's longest rule looks back."""
    return SpamWindow(max(policy.flood_window, policy.cross_window))


def normalised(text: str) -> str:
    """``text`` as cross-posting compares it: letters and digits only, casefolded, single-spaced."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORDS.sub(" ", folded).split())


def judge(post: Post, window: SpamWindow, policy: SpamPolicy, known_sites: Iterable[str] = ()) -> Verdict | None:
    """The verdict on ``post`` (None: an ordinary message); the post joins the member's window either way."""
    posts, count = window.add(post)
    checks = (
        (Rule.MASS_MENTION, mass_mention(post, policy)),
        (Rule.INVITE, invite(post, policy)),
        (Rule.CROSS_POST, cross_post(post, posts, policy)),
        (Rule.FLOOD, flood(post, posts, policy)),
        (Rule.LINK, link_spam(post, count, policy, known_sites)),
    )
    for rule, evidence in checks:
        settings = policy.of(rule)
        if evidence and settings.enabled:
            timeout = settings.timeout if Act.TIMEOUT in settings.acts else None
            return Verdict(rule, settings.acts | {Act.HIDE}, evidence, timeout)
    return None


def mass_mention(post: Post, policy: SpamPolicy) -> str:
    """Why ``post`` mentions too many people ("" if it does not); code spans are not read.

    @everyone and @here count from a new member, or with a link and advertising: a long-standing customer writing
    "@everyone the site is down" in a panic is asking for help, not spamming.
    """
    prose = _CODE.sub(" ", post.text)
    crowd = _EVERYONE.search(prose)
    linked = bool(hosts(prose) or _INVITE.search(prose))
    if crowd and (is_new(post, policy) or (linked and _PROMO.search(prose))):
        return f"mentions @{crowd.group(1)}" + (" with a link" if linked else "")
    people = set(_USER_MENTION.findall(prose))
    return f"mentions {len(people)} people in one message" if len(people) > policy.mention_users else ""


def is_new(post: Post, policy: SpamPolicy) -> bool:
    """True if the member joined less than ``policy.new_member`` ago (unknown: not new, so never judged)."""
    return post.member_since is not None and post.at - post.member_since < policy.new_member


def invite(post: Post, policy: SpamPolicy) -> str:
    """Why ``post`` is invite spam: a Discord invite from a new member ("" otherwise)."""
    found = _INVITE.search(post.text)
    return f"a new member posted the invite {found.group(0)}" if found and is_new(post, policy) else ""


def flood(post: Post, posts: Iterable[tuple[datetime, str, str]], policy: SpamPolicy) -> str:
    """Why ``post`` ends a flood: more than ``flood_messages`` in ``flood_window`` ("" otherwise)."""
    since = post.at - policy.flood_window
    recent = sum(1 for at, _, _ in posts if at > since)
    if recent <= policy.flood_messages:
        return ""
    return f"{recent} messages within {_span(policy.flood_window)} (the limit is {policy.flood_messages})"


def cross_post(post: Post, posts: Iterable[tuple[datetime, str, str]], policy: SpamPolicy) -> str:
    """Why ``post`` is cross-posted: its text in ``cross_channels`` channels within the window ("" otherwise)."""
    text = normalised(post.text)
    if len(text) < policy.cross_chars:
        return ""
    since = post.at - policy.cross_window
    channels = {channel for at, channel, seen in posts if at > since and seen == text}
    if len(channels) < policy.cross_channels:
        return ""
    return f"the same message in {len(channels)} channels within {_span(policy.cross_window)}"


def link_spam(post: Post, count: int, policy: SpamPolicy, known_sites: Iterable[str] = ()) -> str:
    """Why ``post`` is link spam ("" otherwise): in a new member's first messages, a link to a site nobody allowed,
    with advertising, or with no question or problem around it (a pasted log's links are a question's)."""
    if count > policy.link_messages or not is_new(post, policy):
        return ""
    prose = _CODE.sub(" ", post.text)
    allowed = {site.casefold().strip(".") for site in (*policy.allowed_domains, *known_sites) if site}
    strangers = [host for host in hosts(prose) if not _allowed(host, allowed)]
    if not strangers or (_ASKING.search(_URL.sub(" ", prose)) and not _PROMO.search(prose)):
        return ""
    return f"a new member's message {count} links to {', '.join(dict.fromkeys(strangers))}"


def hosts(text: str) -> list[str]:
    """The host of every link in ``text``, lowercased."""
    found = []
    for url in _URL.findall(text):
        host = urlsplit(url if "://" in url else f"http://{url}").hostname
        if host:
            found.append(host.casefold().rstrip("."))
    return found


def _allowed(host: str, allowed: set[str]) -> bool:
    return any(host == site or host.endswith(f".{site}") for site in allowed)


def _span(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    if seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    return f"{seconds // 60}m" if seconds % 60 == 0 else f"{seconds}s"
