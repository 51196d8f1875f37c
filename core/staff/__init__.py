"""Staff who work in the dashboard: their accounts, one-time sign-in links and sessions."""
