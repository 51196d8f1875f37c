"""How urgent a message is beyond its intent's base priority.

Two corrections. A question *about* an incident's topic ("does Tideline back up my database?",
"why do I get 429s?") is not that incident: unless it also reports one, its priority drops two
levels and the docs answer it. And a message the model cannot read (another language) still
has words anyone can read — ``503``, ``TL-E9000``, ``ausgefallen`` — which set its priority.
"""

from __future__ import annotations

import re

from core.tickets.priority import Priority

_FLAGS = re.IGNORECASE | re.UNICODE
QUESTION_START = re.compile(
    r"^\s*(does|do|did|can|could|how|what|what's|is there|are there|is it|will|would|should|why|when|where|which"
    r"|who|any way|is tideline|are you|do you)\b",
    _FLAGS,
)
# A report of something happening now, in any language Helpline ships words for.
INCIDENT = re.compile(
    r"\b(5\d\d|down|outage|offline|unreachable|unavailable|not (loading|working|responding|starting|coming back)"
    r"|(doesn't|does not|don't|won't|can't|cannot) (work|load|start|connect|reach|access|log ?in)"
    r"|lost|gone|missing|deleted|disappeared|vanished|corrupt\w*|wiped|empty|truncated|overwritten"
    r"|leaked|hacked|compromised|breach\w*|stolen|exposed|suspicious|intrusion|malware"
    r"|crash\w*|urgent|asap|emergency|right now|since (yesterday|this morning|\d)|used to|anymore|suddenly|stopped)\b",
    _FLAGS,
)
CRITICAL_WORDS = re.compile(
    r"\b(5\d\d|outage|down|offline|unreachable|unavailable|ausgefallen|ausfall|nicht erreichbar|geht nicht mehr"
    r"|funktioniert nicht|caído|caida|caída|no funciona|fuera de servicio|sin servicio|en panne|panne"
    r"|hors service|inaccessible|fora do ar|fuori servizio|storing|datenverlust|daten (sind )?(weg|verloren)"
    r"|pérdida de datos|datos perdidos|perte de données|gelöscht|verschwunden|borrad[oa]s?|desaparecid[oa]s?"
    r"|supprimé(e|s)?|disparu(e|s)?|gehackt|hackeado|piraté|leak\w*|data loss)\b",
    _FLAGS,
)
HIGH_WORDS = re.compile(
    r"\b(TL-E\d{3,5}|4\d\d|error|fehler|erreur|errore|erro|fallo|falla|bug|absturz|stürzt|langsam|lento|lent"
    r"|timeout|zeitüberschreitung)\b",
    _FLAGS,
)


def reports_incident(text: str) -> bool:
    """True when the message tells of something going wrong now (down, lost, leaked, 5xx…)."""
    return INCIDENT.search(text) is not None


def asks_about_topic(text: str) -> bool:
    """True for a question that reports no incident of its own."""
    question = text.rstrip().endswith("?") or QUESTION_START.search(text) is not None
    return question and not reports_incident(text)


def message_priority(text: str, base: Priority) -> Priority:
    """``base``, or two levels lower (at least low) for a question about a critical or high topic."""
    if base.rank <= Priority.HIGH.rank and asks_about_topic(text):
        return list(Priority)[min(base.rank + 2, Priority.LOW.rank)]
    return base


def readable_urgency(text: str, default: Priority = Priority.MEDIUM) -> Priority:
    """The priority the words anyone can read give: outages and 5xx critical, error codes high."""
    if CRITICAL_WORDS.search(text):
        return Priority.CRITICAL
    if HIGH_WORDS.search(text):
        return Priority.HIGH if default.rank > Priority.HIGH.rank else default
    return default
