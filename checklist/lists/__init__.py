"""Responsibility lists, catalog diffs, and the importer that turns policy texts into draft catalogs. Imports workdays and below."""
