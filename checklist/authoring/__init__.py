"""The document importer: policy texts read into draft catalogs with a quality report."""
