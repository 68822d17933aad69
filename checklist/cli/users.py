"""`checklist users …`: who may use the web app and the API, with which role and unit."""

from __future__ import annotations

import sys

import click

from checklist.cli.common import EXIT_CODES, command, fail, group
from checklist.cli.register import db_option, files_option, open_db
from checklist.errors import UsageError
from checklist.i18n import _


@group(epilog=EXIT_CODES)
def users() -> None:
    """People who use `checklist serve`: admin (manages users), inspector (audits, 复查),
    unit (sees and rectifies its own unit's hazards only), editor (imports documents, reviews
    and publishes catalogs)."""


@users.command("add", epilog=EXIT_CODES)
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["admin", "inspector", "unit", "editor"]), help="What the user may do.")
@click.option("--unit", help="For role unit: the unit whose hazards the user sees (name or alias as in the catalogs).")
@click.option("--password-stdin", is_flag=True, required=True, help="Read the password from standard input (never an argument).")
@db_option
def add(name, role, unit, password_stdin, db):
    """Add a user; the password (at least 10 characters) is read from standard input and stored
    as an Argon2id hash."""
    from checklist.register.users import add_user

    password = sys.stdin.readline().rstrip("\r\n")
    engine = open_db(db)
    user = add_user(engine, name, role, unit, password)
    click.echo(f"{user.name}: {user.role_name}" + (f" ({user.unit})" if user.unit else ""))


@users.command("list", epilog=EXIT_CODES)
@db_option
def list_command(db):
    """The users, their roles and units, and who is disabled."""
    from checklist.register.users import list_users

    rows = [(u.name, u.role, u.unit or "—", _("disabled") if u.disabled else _("enabled")) for u in list_users(open_db(db, create=False))]
    widths = [max([12] + [width(r[i]) for r in rows]) for i in range(3)]
    for r in rows:
        click.echo(" ".join(pad(cell, w) for cell, w in zip(r, widths, strict=False)) + " " + r[3])


def width(text: str) -> int:
    """Columns a text takes in a terminal: a Chinese character takes two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


@users.command("disable", epilog=EXIT_CODES)
@click.argument("name")
@db_option
def disable(name, db):
    """Disable a user: password and API token stop working, open sessions end."""
    from checklist.register.users import disable_user

    user = disable_user(open_db(db), name)
    click.echo(_("{name}: disabled").format(name=user.name))


@users.command("token", epilog=EXIT_CODES)
@click.argument("name")
@db_option
def token(name, db):
    """Print a new API token for scripts (`Authorization: Bearer TOKEN`); the old one stops working."""
    from checklist.register.users import new_token

    click.echo(new_token(open_db(db), name))


@command(epilog=EXIT_CODES)
@db_option
@click.option(
    "--data",
    "data",
    default="checklist-data",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for audit files and their photos.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="Request threads.")
@files_option
@click.option(
    "--https", "https", is_flag=True, help="Behind an HTTPS proxy: cookies are sent over HTTPS only (Secure), and HSTS tells browsers so."
)
@click.option(
    "--trust-proxy",
    metavar="ADDRESS",
    help="The address of the HTTPS proxy in front: its X-Forwarded-For names the client (so failed logins are counted per "
    "person, not for the proxy). Off by default: no forwarded header is believed.",
)
def serve(db, data, host, port, threads, files, https, trust_proxy):
    """Serve the web app with waitress: audits on a tablet or phone for inspectors, the hazard
    register for units, and the JSON API (Authorization: Bearer TOKEN from `users token`). Audit
    files go to DATA/audits/, their photos to DATA/audits/evidence/. Add users first
    (`checklist users add`). Binds to loopback unless --host says otherwise; put it behind an
    HTTPS proxy to reach it from other machines."""
    from checklist.web.app import Settings, create_app
    from checklist.web.server import run

    settings = Settings.from_options(db, data, files)
    settings.secure_cookies = https
    if trust_proxy:
        import ipaddress

        try:
            trust_proxy = str(ipaddress.ip_address(trust_proxy.strip()))
        except ValueError:
            fail(UsageError(_("--trust-proxy {value!r}: give the proxy's IP address, e.g. 127.0.0.1").format(value=trust_proxy)))
    settings.trusted_proxy = trust_proxy
    app = create_app(settings)
    from checklist.files.glyphs import coverage

    coverage()  # the report font's characters, read once now (from the disk cache: milliseconds) rather than at a first answer
    click.echo(_("checklist: serving {url} (data: {data}); Ctrl-C stops").format(url=f"http://{host}:{port}/", data=data), err=True)
    try:
        run(app, host, port, threads)
    except OSError as e:
        from checklist.errors import os_reason

        fail(UsageError(_("cannot listen on {host}:{port}: {reason}").format(host=host, port=port, reason=os_reason(e))))
