"""Incidents: one problem many customers have, its updates sent to every linked ticket's customer."""
