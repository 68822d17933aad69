"""The catalog model: catalogs and their cross-checks, article references, the rule interpreter, declared facts, and the catalog library. Imports files and below."""
