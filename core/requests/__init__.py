"""Feature requests: what customers ask the product to do, their votes, statuses and the roadmap."""
