"""Whether a customer's words ask for a call: "can we get on a call?", "could we schedule a video call".

A word list, not an intent: "call" is mostly about API and function calls in a software product's support, so
only a verb that takes a call ("get on", "hop on", "schedule", "book", "set up") or a meeting word ("video call",
"Zoom meeting") counts, and "call stack", "call back" (a callback) or "the API call" never do.
"""

from __future__ import annotations

import re

_KIND = r"(?:(?:quick|short|brief)\s+)?(?:(?:video|zoom|phone|voice|screen[- ]?share)\s+)?"
_NOT_A_MEETING = r"(?!\s*(?:stack|back|site|graph|log|chain|count|rate|limit|sign|s\b))"
_ASKS = re.compile(
    rf"\b(?:get|hop|jump|be)\s+on\s+(?:a\s+)?{_KIND}call\b{_NOT_A_MEETING}"
    rf"|\b(?:schedule|book|set\s+up|arrange|organi[sz]e|have|do|request)\s+(?:a\s+|an?other\s+)?{_KIND}call\b{_NOT_A_MEETING}"
    r"|\bvideo\s+(?:call|chat|meeting)\b"
    r"|\b(?:zoom|google\s+meet|teams|jitsi|meet)\s+(?:call|meeting)\b",
    re.IGNORECASE,
)


def asks_for_call(text: str) -> bool:
    """Whether ``text`` asks for a call with the team."""
    return _ASKS.search(text) is not None
