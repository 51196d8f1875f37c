"""The support lead's report, drawn from the metrics module's JSON document: text, CSV, HTML and charts."""
