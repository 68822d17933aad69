"""What people read: the Jinja environment, PDF rendering (the only WeasyPrint importer), and the report, events, duties and validation views. Imports the domain rooms and below."""
