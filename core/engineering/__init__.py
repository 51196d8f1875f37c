"""Escalation to engineering: a ticket handed over as a tracker issue with its package, linked both ways."""
