"""The web app (`checklist serve`): inspections on a tablet, the hazard register in the browser,
and a JSON API. Flask with an application factory and blueprints; every page in Chinese; role and
unit checked on the server for every request and every file. Imports every room below it."""
