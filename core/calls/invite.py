"""A call's iCalendar invite (RFC 5545, built with the icalendar package): one event with the meeting link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from core.calls.records import NewCall
from core.messages import Attachment

PRODUCT = "-//Helpline//Video calls//EN"


def invite(call: NewCall, uid: str, summary: str, now: datetime, reminder: timedelta) -> Attachment:
    """``invite.ics``: the call from its start to its end (UTC), the link as its place, an alarm ``reminder`` before."""
    cal = Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", call.start.astimezone(UTC))
    event.add("dtend", call.end.astimezone(UTC))
    event.add("summary", summary)
    event.add("location", call.link)
    event.add("url", call.link)
    event.add("description", f"Join the video call: {call.link}")
    if call.person.startswith("email:"):
        event.add("attendee", "mailto:" + call.person.removeprefix("email:"))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", -reminder)
    event.add_component(alarm)
    cal.add_component(event)
    return Attachment("invite.ics", "text/calendar", cal.to_ical())
