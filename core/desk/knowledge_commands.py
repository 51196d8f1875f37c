"""The knowledge base's life-cycle commands (``kb add``, ``kb drafts``, ``kb show``, ``kb edit``, ``kb approve``…).

The rules live in ``core.knowledge.library``; this module decides who may publish (the desk's publisher
roles), runs the change and words the answer. The dashboard's Knowledge page runs the same commands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.command_records import KbAdd, KbApprove, KbArchive, KbDrafts, KbEdit, KbReject, KbShow
from core.desk.context import actor_of
from core.knowledge.articles import Article, ArticleOrigin, ArticleState
from core.knowledge.library import ArticlePage, Library, Outcome
from core.knowledge.lifecycle import label
from core.messages import Reply, ReplyKind
from core.wording import person

if TYPE_CHECKING:
    from core.command_records import Command
    from core.desk.context import Desk
    from core.messages import Inbound

TEXT_SHOWN = 800  # how much of an article's text ``kb show`` prints
_ORIGINS = {ArticleOrigin.CHAT: "written in chat", ArticleOrigin.TICKET: "from a ticket", ArticleOrigin.FILE: "a file"}


class KnowledgeCommands:
    """Runs the knowledge base's life-cycle commands for the desk."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    @property
    def library(self) -> Library:
        """The life cycle over the desk's article store, publishing through its knowledge base."""
        return Library(self.desk.stores.articles, self.desk.knowledge, self.desk.clock)

    async def run(self, message: Inbound, command: Command) -> Reply:
        """Run ``command`` (one of the ``kb`` life-cycle commands) for ``message``'s author."""
        may = self.desk.publishers.allows(message.platform, message.author)
        actor, library = actor_of(message), self.library
        match command:
            case KbAdd(title=title, body=body):
                return _outcome(await library.add(title, body, actor, may_publish=may), "Saved", self._roles())
            case KbDrafts():
                return _info(_queue(await library.waiting()))
            case KbShow(number=number):
                return _info(_page(await library.page(number)))
            case KbEdit(number=number, title=title, body=body):
                done = await library.edit(number, title, body, actor, may_publish=may)
                return _outcome(done, "Edited", self._roles())
            case KbApprove(number=number):
                return _outcome(await library.approve(number, actor, may_publish=may), "Approved", self._roles())
            case KbReject(number=number, reason=reason):
                done = await library.reject(number, actor, reason, may_publish=may)
                return _info(f"Article #{number} “{done.article.title}” is a draft again" + _because(reason) + ".")
            case KbArchive(number=number):
                return _outcome(await library.archive(number, actor, may_publish=may), "Archived", self._roles())
        raise TypeError(f"not a knowledge command: {command!r}")

    def _roles(self) -> str:
        publishers = self.desk.publishers
        named = sorted(publishers.roles) + [person(user) for user in sorted(publishers.users)]
        return ", ".join(named) or "none configured"


def _outcome(done: Outcome, verb: str, roles: str) -> Reply:
    """The answer to a change: where the article stands, and whether customers are answered from it."""
    article = done.article
    head = f"{verb} “{article.title}” (article #{article.number})"
    if done.not_live:
        return _info(f"{head}: it is saved, but not live yet: {done.not_live}. It goes live with the next publish.")
    if done.published is not None and article.state is ArticleState.ARCHIVED:
        return _info(f"{head}: customers are not answered from it any more.")
    if done.published is not None:
        return _info(f"{head}: published; customers are answered from it now ({done.published.chunks} passage(s)).")
    if article.state is ArticleState.IN_REVIEW:
        waiting = f"{head}: in review. It answers customers once a publisher ({roles}) approves it: kb approve "
        still = " Its published text answers until then." if article.live_version is not None else ""
        return _info(f"{waiting}{article.number}.{still}")
    return _info(f"{head}: {label(article.state)}.")


def _queue(articles: list[Article]) -> str:
    if not articles:
        return "Nothing waits for review: no drafts and no articles in review."
    lines = [f"Review queue ({len(articles)}):"]
    for a in articles:
        ticket = f", ticket #{a.ticket}" if a.ticket is not None else ""
        lines.append(f"  #{a.number} [{label(a.state)}] {a.title} ({_ORIGINS[a.origin]}{ticket})")
    return "\n".join(lines)


def _page(page: ArticlePage) -> str:
    a = page.article
    live = f"live: version {a.live_version}" if a.live_version is not None else "not live"
    where = f", from {a.source}" if a.source else ""
    ticket = f", ticket #{a.ticket}" if a.ticket is not None else ""
    lines = [f"Article #{a.number} “{a.title}”: {label(a.state)} ({_ORIGINS[a.origin]}{where}{ticket}; {live})"]
    text = a.body if len(a.body) <= TEXT_SHOWN else a.body[:TEXT_SHOWN] + "…"
    lines += [f"Text of version {a.version}:", text, "Versions:"]
    lines += [f"  {v.version}. {person(v.author)}, {v.at:%Y-%m-%d %H:%M} UTC  {v.title}" for v in page.versions]
    lines.append("Log:")
    for e in page.history:
        lines.append(f"  [{e.at:%Y-%m-%d %H:%M}] {person(e.actor)} {e.action}" + (f" ({e.detail})" if e.detail else ""))
    if page.diff:
        lines += [f"What version {a.version} changes against the live version {a.live_version}:", page.diff]
    return "\n".join(lines)


def _because(reason: str) -> str:
    return f" ({reason.strip()})" if reason.strip() else ""


def _info(text: str) -> Reply:
    return Reply(ReplyKind.INFO, text)
