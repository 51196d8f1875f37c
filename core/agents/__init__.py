"""Agents and auto-assignment: who on the team takes a new ticket, by skill, tier, capacity and shift."""
