"""Feature requests in SQL: one vote per identity by a unique constraint, drafts filed once, status changes
and their notices in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from core.messages import Address
from core.requests.records import (
    Draft,
    FeatureRequest,
    Merge,
    NewRequest,
    Requester,
    RequestNotFoundError,
    RequestStatus,
    StatusChange,
    Vote,
)
from core.requests.rules import RequestError, counted, group_of, merge_problem
from core.store.base import SqlPort
from core.store.outbox_json import outbound_values
from core.store.schema import outbox
from core.store.schema_requests import (
    feature_request_changes as changes,
)
from core.store.schema_requests import (
    feature_request_drafts as drafts,
)
from core.store.schema_requests import (
    feature_request_merges as merges,
)
from core.store.schema_requests import (
    feature_request_votes as votes,
)
from core.store.schema_requests import (
    feature_requests as requests,
)

if TYPE_CHECKING:
    from sqlalchemy import RowMapping
    from sqlalchemy.ext.asyncio import AsyncConnection

    from core.requests.ports import Notices

_CLAIMED = -1  # a draft being filed inside the open transaction


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"naive datetime {at.isoformat()} cannot be stored; give it a timezone")
    return at.astimezone(UTC)


def person_values(person: Requester, prefix: str = "") -> dict[str, Any]:
    """The columns of a requester or voter."""
    where = person.address
    values = {
        "identity": person.identity, "name": person.name, "account": person.account, "tier": person.tier,
        "platform": where.platform, "workspace": where.workspace, "channel": where.channel, "thread": where.thread,
        "link": person.link,
    }  # fmt: skip
    return {prefix + key: value for key, value in values.items()}


def person_from(row: RowMapping, prefix: str = "") -> Requester:
    """The requester or voter a row holds."""
    p = prefix
    address = Address(row[p + "platform"], row[p + "workspace"], row[p + "channel"], row[p + "thread"])
    return Requester(
        row[p + "identity"], row[p + "name"], row[p + "account"], row[p + "tier"], address, row[p + "link"]
    )


def request_from(row: RowMapping) -> FeatureRequest:
    """The request a row holds."""
    return FeatureRequest(
        int(row["id"]), row["title"], row["description"], person_from(row), RequestStatus(row["status"]),
        row["created_at"], row["updated_at"], row["note"], row["duplicate_of"],
    )  # fmt: skip


def _vote_from(row: RowMapping) -> Vote:
    return Vote(int(row["request"]), person_from(row, "voter_"), row["at"], row["comment"])


def _merge_from(row: RowMapping) -> Merge:
    return Merge(
        int(row["source"]), int(row["target"]), RequestStatus(row["previous"]), row["by"], row["at"], row["undone_at"]
    )


def _change_from(row: RowMapping) -> StatusChange:
    return StatusChange(
        int(row["request"]), RequestStatus(row["old"]), RequestStatus(row["new"]), row["note"], row["by"], row["at"]
    )


class SqlFeatureRequests(SqlPort):
    """The ``FeatureRequests`` port in a SQL database."""

    async def draft(self, request: NewRequest) -> Draft:
        """Keep a request written but not yet confirmed."""
        at = _utc(request.at)
        values = {"title": request.title, "description": request.description, **person_values(request.requester)}
        async with self._write() as conn:
            inserted = await conn.execute(insert(drafts).values(**values, at=at).returning(drafts.c.id))
            number = int(inserted.scalar_one())
        return Draft(number, NewRequest(request.title, request.description, request.requester, at))

    async def file_draft(self, draft: int, identity: str) -> tuple[FeatureRequest, bool] | None:
        """File the draft once: one conditional UPDATE claims it, so two presses file one request."""
        async with self._write() as conn:
            mine = and_(drafts.c.id == draft, drafts.c.identity == identity)
            unclaimed = and_(mine, drafts.c.filed_as.is_(None))
            claimed = await conn.execute(update(drafts).where(unclaimed).values(filed_as=_CLAIMED))
            row = (await conn.execute(select(drafts).where(mine))).mappings().first()
            if row is None:
                return None
            if claimed.rowcount != 1:
                found = await self._request(conn, int(row["filed_as"]))
                return found, False
            requester = person_from(row)
            values = {
                "title": row["title"], "description": row["description"], **person_values(requester),
                "status": RequestStatus.OPEN.value, "note": "", "created_at": row["at"], "updated_at": row["at"],
            }  # fmt: skip
            number = int((await conn.execute(insert(requests).values(values).returning(requests.c.id))).scalar_one())
            await conn.execute(update(drafts).where(drafts.c.id == draft).values(filed_as=number))
            vote = {"request": number, **person_values(requester, "voter_"), "comment": "", "at": row["at"]}
            await conn.execute(insert(votes).values(vote))
            return await self._request(conn, number), True

    async def get(self, number: int) -> FeatureRequest | None:
        """Request ``number``, if there is one."""
        found = await self._read(select(requests).where(requests.c.id == number))
        return request_from(found[0]) if found else None

    async def requests(self, statuses: Sequence[RequestStatus] | None = None) -> list[FeatureRequest]:
        """Every request (of ``statuses``), by number."""
        query = select(requests).order_by(requests.c.id)
        if statuses is not None:
            query = query.where(requests.c.status.in_([s.value for s in statuses]))
        return [request_from(row) for row in await self._read(query)]

    async def vote(self, number: int, voter: Requester, at: datetime, comment: str = "") -> bool:
        """Count ``voter`` once for ``number``: the unique constraint settles two votes at once."""
        at = _utc(at)
        try:
            async with self._write() as conn:
                await self._request(conn, number)
                group = group_of(number, await self._merges(conn))
                mine = and_(votes.c.request.in_(group), votes.c.voter_identity == voter.identity)
                if (await conn.execute(select(votes.c.id).where(mine))).first() is not None:
                    return False
                values = {"request": number, **person_values(voter, "voter_"), "comment": comment, "at": at}
                await conn.execute(insert(votes).values(values))
        except IntegrityError:
            return False
        return True

    async def unvote(self, number: int, identity: str) -> bool:
        """Withdraw ``identity``'s vote on ``number`` and on the requests merged into it."""
        async with self._write() as conn:
            group = group_of(number, await self._merges(conn))
            mine = and_(votes.c.request.in_(group), votes.c.voter_identity == identity)
            removed = await conn.execute(delete(votes).where(mine))
            return removed.rowcount > 0

    async def voters_since(self, identities: Sequence[str], since: datetime) -> set[str]:
        """The identities among ``identities`` with a vote from ``since`` on (filing a request votes for it)."""
        if not identities:
            return set()
        v = votes.c
        query = select(v.voter_identity).where(v.voter_identity.in_(list(identities)), v.at >= _utc(since)).distinct()
        return {row["voter_identity"] for row in await self._read(query)}

    async def votes(self, numbers: Sequence[int]) -> dict[int, list[Vote]]:
        """The votes that count for each request, one per identity (one read of the merges and the votes)."""
        async with self._engine.connect() as conn:
            return await self._counted(conn, numbers)

    async def change_status(
        self, number: int, expected: RequestStatus, new: RequestStatus, note: str, by: str, at: datetime,
        notices: Notices,
    ) -> StatusChange | None:  # fmt: skip
        """One conditional UPDATE moves the status; the change and its notices are written with it."""
        at = _utc(at)
        async with self._write() as conn:
            current = await self._request(conn, number)
            still = and_(requests.c.id == number, requests.c.status == expected.value)
            moved = await conn.execute(update(requests).where(still).values(status=new.value, note=note, updated_at=at))
            if moved.rowcount != 1:
                return None
            change = StatusChange(number, current.status, new, note, by, at)
            await conn.execute(
                insert(changes).values(request=number, old=expected.value, new=new.value, note=note, by=by, at=at)
            )
            changed = await self._request(conn, number)
            voters = (await self._counted(conn, [number]))[number]
            for notice in notices(changed, change, voters):
                await conn.execute(insert(outbox).values(**outbound_values(notice), created_at=at, attempts=0))
        return change

    async def history(self, number: int) -> list[StatusChange]:
        """The request's status changes, oldest first."""
        query = select(changes).where(changes.c.request == number).order_by(changes.c.at, changes.c.id)
        return [_change_from(row) for row in await self._read(query)]

    async def merge(self, source: int, target: int, by: str, at: datetime) -> Merge:
        """Make ``source`` a duplicate of ``target``, both rows locked while it is decided."""
        at = _utc(at)
        async with self._write() as conn:
            first = await self._request(conn, source, lock=True)
            second = await self._request(conn, target, lock=True)
            problem = merge_problem(first, second)
            if problem is not None:
                raise RequestError(problem)
            values = {"source": source, "target": target, "previous": first.status.value, "by": by, "at": at}
            await conn.execute(insert(merges).values(values))
            duplicate = {"status": RequestStatus.DUPLICATE.value, "duplicate_of": target, "updated_at": at}
            await conn.execute(update(requests).where(requests.c.id == source).values(duplicate))
        return Merge(source, target, first.status, by, at)

    async def unmerge(self, source: int, by: str, at: datetime) -> Merge | None:
        """Undo ``source``'s standing merge: its earlier status comes back, its votes count for it alone."""
        at = _utc(at)
        async with self._write() as conn:
            standing = and_(merges.c.source == source, merges.c.undone_at.is_(None))
            row = (await conn.execute(select(merges).where(standing).with_for_update())).mappings().first()
            if row is None:
                return None
            await conn.execute(update(merges).where(merges.c.id == row["id"]).values(undone_at=at, undone_by=by))
            restored = {"status": row["previous"], "duplicate_of": None, "updated_at": at}
            await conn.execute(update(requests).where(requests.c.id == source).values(restored))
        return Merge(source, int(row["target"]), RequestStatus(row["previous"]), row["by"], row["at"], at)

    async def merges(self, number: int) -> list[Merge]:
        """The standing merges into ``number``, oldest first."""
        query = (
            select(merges)
            .where(merges.c.target == number, merges.c.undone_at.is_(None))
            .order_by(merges.c.at, merges.c.id)
        )
        return [_merge_from(row) for row in await self._read(query)]

    async def _request(self, conn: AsyncConnection, number: int, *, lock: bool = False) -> FeatureRequest:
        query = select(requests).where(requests.c.id == number)
        row = (await conn.execute(query.with_for_update() if lock else query)).mappings().first()
        if row is None:
            raise RequestNotFoundError(number)
        return request_from(row)

    async def _merges(self, conn: AsyncConnection) -> list[Merge]:
        standing = select(merges).where(merges.c.undone_at.is_(None))
        return [_merge_from(row) for row in (await conn.execute(standing)).mappings()]

    async def _counted(self, conn: AsyncConnection, numbers: Sequence[int]) -> dict[int, list[Vote]]:
        standing = await self._merges(conn)
        groups = {number: group_of(number, standing) for number in numbers}
        wanted = set().union(*groups.values()) if groups else set()
        query = select(votes).where(votes.c.request.in_(wanted)).order_by(votes.c.at, votes.c.id)
        found = [_vote_from(row) for row in (await conn.execute(query)).mappings()] if wanted else []
        return {n: counted([v for v in found if v.request in group]) for n, group in groups.items()}
