"""Video calls: offering slots from the support calendar, tier quotas, booked calls."""
