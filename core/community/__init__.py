"""The community: keeping a support server usable (spam and floods screened before the desk answers)."""
