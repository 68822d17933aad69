"""checklist: duties from policy documents kept as data, turned into audits, deadlines and reports."""

__version__ = "0.1.0"
