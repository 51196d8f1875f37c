"""QA reviews: leads score resolved tickets on a rubric; per-agent quality scores."""
