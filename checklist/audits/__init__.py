"""Audits: the audit model and file, interactive answering, screening from declared facts, sampling plans. Imports workdays and below."""
