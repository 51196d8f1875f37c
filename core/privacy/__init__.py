"""Privacy: secrets and personal data redacted at the desk's door (docs/privacy.md)."""
