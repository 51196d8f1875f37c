"""Who a mail is from, as far as it can be trusted: the sender's domain counts only when DKIM proves it.

Anyone can write ``From: ceo@bigcorp.example``; only bigcorp's mail servers can sign for ``d=bigcorp.example``.
So the domain a tier rule may match is given to the core only when a DKIM signature of that very domain (or a
parent of it) verifies; otherwise the sender is served at the default tier unless their address is a known
identity (``email:addr``) in the customer directory.
"""

from __future__ import annotations

from collections.abc import Callable

import dkim

DnsLookup = Callable[..., bytes | None]  # dkimpy's ``dnsfunc``: a TXT record's bytes for a name, or None


def verified_domain(raw: bytes, sender: str, dns: DnsLookup | None = None) -> str:
    """The sender's domain when a DKIM signature for it verifies, else empty; never raises on a bad message."""
    domain = sender.rpartition("@")[2].lower()
    if not domain:
        return ""
    signatures = [line for line in _header_lines(raw) if line.lower().startswith(b"dkim-signature:")]
    for index, header in enumerate(signatures):
        signed_for = _tag(header, b"d").lower()
        if not signed_for or not (domain == signed_for or domain.endswith("." + signed_for)):
            continue
        try:
            checker = dkim.DKIM(raw)
            ok = checker.verify(idx=index, dnsfunc=dns) if dns is not None else checker.verify(idx=index)
        except Exception:  # dkimpy raises many kinds on forged or broken signatures: not verified
            ok = False
        if ok:
            return domain
    return ""


def _header_lines(raw: bytes) -> list[bytes]:
    head = raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    lines: list[bytes] = []
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t") and lines:
            lines[-1] += line
        else:
            lines.append(line)
    return lines


def _tag(header: bytes, name: bytes) -> str:
    value = header.partition(b":")[2]
    for part in value.split(b";"):
        key, _, tag_value = part.strip().partition(b"=")
        if key.strip() == name:
            return b"".join(tag_value.split()).decode("ascii", "replace")
    return ""
