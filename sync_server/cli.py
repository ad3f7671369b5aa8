"""`gxcare-server` command: serve, init-db, create-user, list-devices, revoke-device, conflicts."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from collections.abc import Sequence

from gxcare_desktop.domain.enums import Role

from . import accounts, services
from .core.config import DATABASE_URL_ENV, Settings
from .core.db import init_db, make_engine, session_scope
from .scope import role_of

PASSWORD_ENV = "GXCARE_PASSWORD"


def _when(ms: int | None) -> str:
    if ms is None:
        return "-"
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(database_url=args.database_url)


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    first = getpass.getpass("密码 Password: ")
    if first != getpass.getpass("再次输入 Repeat: "):
        raise SystemExit("两次输入的密码不一致 / The passwords differ")
    return first


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .core.transport import HTTP_PROTOCOL

    settings = _settings(args)
    # Schema first, once, in this process: workers start on an up-to-date database.
    init_db(settings.database_url)
    os.environ[DATABASE_URL_ENV] = settings.database_url
    uvicorn.run(
        "sync_server.main:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        proxy_headers=True,
        http=HTTP_PROTOCOL,
    )
    return 0


def cmd_init_db(args: argparse.Namespace) -> int:
    settings = _settings(args)
    init_db(settings.database_url)
    print(f"schema up to date: {settings.database_url}")
    return 0


def cmd_create_user(args: argparse.Namespace) -> int:
    settings = _settings(args)
    try:
        role = role_of(args.role)
    except ValueError:
        raise SystemExit(f"unknown role {args.role!r}; one of {', '.join(r.value for r in Role)}") from None
    password = _read_password(args)
    init_db(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            user = accounts.create_user(
                session,
                username=args.username,
                password=password,
                role=role,
                division_code=args.division,
                settings=settings,
            )
            print(f"created user {user.username} ({role.value}, {user.division_code})")
    except ValueError as exc:
        raise SystemExit(str(exc)) from None
    finally:
        engine.dispose()
    return 0


def cmd_list_devices(args: argparse.Namespace) -> int:
    engine = make_engine(_settings(args).database_url)
    try:
        with session_scope(engine) as session:
            pairs = accounts.list_devices(session)
            print("device_id\tuser\trole\tdivision\tname\tcreated\tlast_seen\trevoked")
            for device, user in pairs:
                print(
                    "\t".join(
                        [
                            device.id, user.username, user.role, user.division_code, device.name,
                            _when(device.created_ms), _when(device.last_seen_ms),
                            _when(device.revoked_ms),
                        ]
                    )
                )
    finally:
        engine.dispose()
    return 0


def cmd_revoke_device(args: argparse.Namespace) -> int:
    engine = make_engine(_settings(args).database_url)
    try:
        with session_scope(engine) as session:
            device = accounts.revoke_device(session, device_id=args.device_id, by="cli")
            if device is None:
                raise SystemExit(f"no device {args.device_id!r}")
            print(f"revoked {device.id} at {_when(device.revoked_ms)}")
    finally:
        engine.dispose()
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    engine = make_engine(_settings(args).database_url)
    try:
        with session_scope(engine) as session:
            if args.scope:
                records = [
                    record
                    for scope in sorted(set(args.scope))
                    for record in services.list_conflicts(
                        # The server's operator, like a county administrator, sees them whole.
                        session, scope=scope, confidential=False, include_resolved=args.all,
                        limit=args.limit,
                    )
                ]
            else:
                records = services.list_all_conflicts(
                    session, include_resolved=args.all, limit=args.limit
                )
            print("id\tkind\tentity\trow_id\tfield\tdivision\twinner\tloser\tresolved")
            for c in records:
                print(
                    f"{c.id}\t{c.kind.value}\t{c.entity}\t{c.row_id}\t{c.field}\t{c.division_code}\t"
                    f"{c.winner_value!r}\t{c.loser_value!r}\t{c.resolution or '-'}"
                )
    finally:
        engine.dispose()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gxcare-server", description="GXCare sync server")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text)
        command.add_argument(
            "--database-url",
            default=None,
            help=f"SQLAlchemy URL (default: ${DATABASE_URL_ENV} or sqlite:///./gxcare-server.db)",
        )
        return command

    serve = add("serve", "run the HTTP server (uvicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(func=cmd_serve)

    add("init-db", "create or upgrade the schema").set_defaults(func=cmd_init_db)

    create = add("create-user", "add a user account")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, help=", ".join(r.value for r in Role))
    create.add_argument("--division", required=True, help="12/9/6-digit code for the role")
    create.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    create.set_defaults(func=cmd_create_user)

    add("list-devices", "list enrolled devices").set_defaults(func=cmd_list_devices)

    revoke = add("revoke-device", "cut a device off at once")
    revoke.add_argument("device_id")
    revoke.set_defaults(func=cmd_revoke_device)

    conflicts = add("conflicts", "list conflicts (open ones unless --all)")
    conflicts.add_argument("--scope", action="append", default=[], help="division code (repeatable)")
    conflicts.add_argument("--all", action="store_true", help="include resolved conflicts")
    conflicts.add_argument("--limit", type=int, default=200)
    conflicts.set_defaults(func=cmd_conflicts)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
