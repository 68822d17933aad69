"""Reading and writing files: the one safe YAML loader, the shipped schemas, file kinds and validation, atomic writes, CSV/XLSX writers. Imports only errors and dates."""
