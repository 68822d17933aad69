"""Working days on the official calendar, deadline rules, and large-event filing checks. Imports model and below."""
