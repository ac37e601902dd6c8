"""Messages people receive: their kinds, typed facts, templates, rendering and delivery."""
