"""The catalog pages set up in an app: their blueprints (pages and JSON API) and the folder
published versions are written into and read from, ``DATA/catalogs`` — named to the catalog
library for the whole process, and written again from the register where a file is missing."""

from __future__ import annotations

from flask import Flask


def install(app: Flask) -> None:
    """The pages and their API, and the folder published versions are written into and read from
    (``DATA/catalogs``), written again from the register where a file is missing."""
    from checklist.model.library import use_published
    from checklist.register.catalog_versions import sync
    from checklist.web import api_catalogs, pages_catalogs

    folder = app.extensions["checklist"].data / "catalogs"
    app.extensions["catalogs_folder"] = folder
    use_published(folder)
    sync(app.extensions["checklist"].engine, folder)
    app.register_blueprint(pages_catalogs.bp)
    app.register_blueprint(api_catalogs.bp)
