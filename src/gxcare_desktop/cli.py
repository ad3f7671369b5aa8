"""The `gxcare` command: run the app, create and fill ledgers, back up, restore, check, sync, report."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from . import __version__
from .domain.errors import ValidationError
from .domain.text import Text
from .ledger import Ledger, LedgerError
from .paths import user_data_dir
from .progress import Progress
from .sync.client import SyncError

PASSWORD_ENV = "GXCARE_PASSWORD"


def _say(text: Text) -> None:
    print(str(text))


def _fail(text: Text) -> int:
    print(str(text), file=sys.stderr)
    return 2


def _read_password(args: argparse.Namespace, *, confirm: bool = False) -> str:
    """Password from --password-stdin, then GXCARE_PASSWORD, then an interactive prompt."""
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\n")
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    password = getpass.getpass("密码 / Password: ")
    if confirm and getpass.getpass("再次输入密码 / Password again: ") != password:
        raise ValidationError("password", Text("两次输入的密码不一致。", "The two passwords differ."))
    return password


def _open(args: argparse.Namespace) -> Ledger:
    if getattr(args, "recovery_code", None):
        return Ledger.open(Path(args.ledger), recovery_code=args.recovery_code)
    return Ledger.open(Path(args.ledger), password=_read_password(args))


def _progress_printer(label: str) -> Callable[[Progress], None]:
    def show(p: Progress) -> None:
        print(f"\r{label} {p.done}/{p.total}", end="", file=sys.stderr, flush=True)
        if p.done >= p.total:
            print(file=sys.stderr)

    return show


def cmd_init(args: argparse.Namespace) -> int:
    from .domain.enums import Role

    ledger, code = Ledger.create(
        Path(args.ledger),
        password=_read_password(args, confirm=True),
        village_code=args.village,
        role=Role.of(args.role),
        user_name=args.user or "",
    )
    ledger.close()
    _say(Text(f"台账已创建：{args.ledger}", f"Ledger created: {args.ledger}"))
    _say(Text("恢复码（请抄写并妥善保管，忘记密码时用它打开台账）：", "Recovery code (write it down; it opens the ledger if the password is forgotten):"))
    print(code)
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from .ledger.demo import create_demo_ledger

    ledger = create_demo_ledger(
        Path(args.ledger),
        password=_read_password(args),
        children=args.children,
        seed=args.seed,
        village_code=args.village,
        progress=_progress_printer("儿童 / children"),
    )
    count = ledger.count_children()
    ledger.close()
    _say(Text(f"演示台账已生成：{count} 名儿童。", f"Demo ledger ready: {count} children."))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from .ledger.backup import backup

    ledger = _open(args)
    info = backup(ledger, Path(args.out))
    ledger.close()
    _say(Text(f"备份已写入 {info.path}（{info.size} 字节）", f"Backup written to {info.path} ({info.size} bytes)"))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from .ledger.backup import restore

    password = None if args.recovery_code else _read_password(args)
    ledger = restore(
        Path(args.backup), Path(args.ledger), password=password, recovery_code=args.recovery_code, overwrite=args.overwrite
    )
    count = ledger.count_children()
    ledger.close()
    _say(Text(f"已恢复到 {args.ledger}：{count} 名儿童。", f"Restored to {args.ledger}: {count} children."))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .ledger.backup import check

    ledger = _open(args)
    report = check(ledger)
    ledger.close()
    if report.ok:
        _say(Text(f"台账完好（审计记录 {report.audit_entries} 条，链条完整）。", f"Ledger is sound ({report.audit_entries} audit entries, chain intact)."))
        return 0
    for problem in report.problems:
        print(problem, file=sys.stderr)
    return _fail(Text("台账检查发现问题，请从备份恢复。", "The check found problems; restore from a backup."))


def cmd_passwd(args: argparse.Namespace) -> int:
    ledger = _open(args)
    new = getpass.getpass("新密码 / New password: ") if not os.environ.get("GXCARE_NEW_PASSWORD") else os.environ["GXCARE_NEW_PASSWORD"]
    ledger.change_password(new)
    ledger.close()
    _say(Text("密码已更改。", "Password changed."))
    return 0


def _server_password(args: argparse.Namespace) -> str:
    if os.environ.get("GXCARE_SERVER_PASSWORD"):
        return os.environ["GXCARE_SERVER_PASSWORD"]
    return getpass.getpass("服务器账号密码 / Server account password: ")


def _passphrase(args: argparse.Namespace) -> str:
    if os.environ.get("GXCARE_BUNDLE_PASSPHRASE"):
        return os.environ["GXCARE_BUNDLE_PASSPHRASE"]
    return getpass.getpass("传递口令 / Bundle passphrase: ")


def cmd_enrol(args: argparse.Namespace) -> int:
    from .sync.engine import enrol

    ledger = _open(args)
    enrol(ledger, args.server, username=args.username, password=_server_password(args), ca_file=args.ca_file)
    _say(Text(f"已登记到 {args.server}，管辖范围 {ledger.village_code}。", f"Enrolled with {args.server}; jurisdiction {ledger.village_code}."))
    ledger.close()
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from .sync.engine import CLOCK_WARNING, sync_ledger

    ledger = _open(args)
    try:
        report = sync_ledger(ledger, progress=_progress_printer("同步 / sync"))
    finally:
        ledger.close()
    _say(report.summary())
    for change_id, reason in report.rejected[:20]:
        print(f"  rejected {change_id}: {reason}", file=sys.stderr)
    if report.clock_warning:
        _say(CLOCK_WARNING)
    return 0


def cmd_bundle(args: argparse.Namespace) -> int:
    from .sync import bundles

    ledger = _open(args)
    try:
        if args.action == "export":
            if args.village:
                info = bundles.export_rows(ledger, Path(args.file), division_code=args.village, passphrase=_passphrase(args))
            else:
                info = bundles.export_changes(ledger, Path(args.file), passphrase=_passphrase(args))
        else:
            info = bundles.import_bundle(ledger, Path(args.file), passphrase=_passphrase(args))
    finally:
        ledger.close()
    _say(Text(f"{info.path.name}：{info.count} 项（设备 {info.device_id}，指纹 {info.fingerprint}）",
              f"{info.path.name}: {info.count} items (device {info.device_id}, fingerprint {info.fingerprint})"))
    return 0


def _month(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise ValidationError("month", Text(f"月份格式应为 YYYY-MM：{text}", f"The month must be YYYY-MM: {text}")) from None


def cmd_report(args: argparse.Namespace) -> int:
    from .reports.commands import run_report

    ledger = _open(args)
    try:
        report = run_report(
            ledger,
            month=_month(args.month),
            out=Path(args.out),
            scope=args.scope,
            unit_name=args.unit or "",
            filled_by=args.filled_by or ledger.user_name,
            full_ids=args.full_ids,
            progress=_progress_printer("报表 / report"),
        )
    finally:
        ledger.close()
    totals = report.totals
    _say(Text(f"{report.scope_name} {report.month:%Y年%m月} 月报已写入 {args.out}（在册 {totals.get('on_file', 0):.0f} 人）",
              f"Monthly report for {report.month:%Y-%m} written to {args.out} ({totals.get('on_file', 0):.0f} children on file)"))
    return 0


def cmd_import_excel(args: argparse.Namespace) -> int:
    from .reports.commands import run_import

    ledger = _open(args)
    try:
        report = run_import(ledger, Path(args.file), sheet=args.sheet, dry_run=args.dry_run)
    finally:
        ledger.close()
    if args.json:
        print(report.to_json())
    else:
        _say(report.summary())
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from .reports.commands import run_compare

    ledger = _open(args)
    try:
        result = run_compare(ledger, Path(args.list), department=args.department, out=Path(args.out), scope=args.scope)
    finally:
        ledger.close()
    _say(Text(
        f"比对完成：一致 {result.matched}，仅在对方名单 {len(result.only_on_list)}，仅在本台账 {len(result.only_on_file)}，"
        f"状态不同 {len(result.status_differs)}，无法读取 {len(result.unreadable)}。结果：{args.out}",
        f"Compared: {result.matched} agree, {len(result.only_on_list)} only on their list, {len(result.only_on_file)} only on file, "
        f"{len(result.status_differs)} differ, {len(result.unreadable)} unreadable. Written to {args.out}",
    ))
    return 0


def cmd_print_file(args: argparse.Namespace) -> int:
    from .reports.commands import run_print_file

    ledger = _open(args)
    try:
        path = run_print_file(ledger, args.child, Path(args.out), full_ids=args.full_ids)
    finally:
        ledger.close()
    _say(Text(f"档案已写入 {path}", f"File written to {path}"))
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    from .ui.app import main as app_main  # Qt only loads when the window is wanted

    argv = [sys.argv[0]]
    if getattr(args, "ledger", None):
        argv += ["--ledger", str(args.ledger)]
    if getattr(args, "demo", False):
        argv.append("--demo")
    return app_main(argv)


def cmd_demo(args: argparse.Namespace) -> int:
    args.demo = True
    return cmd_app(args)


def _ledger_arg(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    default = None if required else str(user_data_dir() / "ledger.gxc")
    parser.add_argument("--ledger", required=required, default=default, help="ledger file (.gxc)")
    parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gxcare", description="GXCare 儿童关爱台账")
    parser.add_argument("--version", action="version", version=f"gxcare {__version__}")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("app", help="start the window (default)")
    p.add_argument("--ledger")
    p.set_defaults(func=cmd_app)

    p = sub.add_parser("demo", help="open the window on a demo ledger")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("init", help="create an encrypted ledger")
    _ledger_arg(p)
    p.add_argument("--village", required=True, help="12-digit village code (9 for a township supervisor)")
    p.add_argument("--role", default="village_director", choices=["village_director", "township_supervisor", "county_admin"])
    p.add_argument("--user", help="your name, recorded in the audit log")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo-data", help="create a ledger filled with realistic synthetic data")
    _ledger_arg(p)
    p.add_argument("--children", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--village", help="village code (default: a village in 马山县)")
    p.set_defaults(func=cmd_demo_data)

    p = sub.add_parser("backup", help="write an encrypted single-file backup")
    _ledger_arg(p)
    p.add_argument("--out", required=True, help="backup file or folder")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup")
    _ledger_arg(p)
    p.add_argument("backup", help="the .gxcbak file")
    p.add_argument("--recovery-code")
    p.add_argument("--overwrite", action="store_true", help="replace an existing ledger (kept aside as .before-restore)")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("check", help="verify encryption pages, structure and the audit chain")
    _ledger_arg(p)
    p.add_argument("--recovery-code")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("passwd", help="change the password (new one from GXCARE_NEW_PASSWORD or a prompt)")
    _ledger_arg(p)
    p.add_argument("--recovery-code")
    p.set_defaults(func=cmd_passwd)

    p = sub.add_parser("enrol", help="register this ledger with the county's sync server")
    _ledger_arg(p)
    p.add_argument("--server", required=True, help="https://... address of the sync server")
    p.add_argument("--username", required=True)
    p.add_argument("--ca-file", help="the county's own CA certificate (PEM), if it uses one")
    p.set_defaults(func=cmd_enrol)

    p = sub.add_parser("sync", help="send unsent changes and receive the jurisdiction's changes")
    _ledger_arg(p)
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("bundle", help="sneakernet: unsent changes to/from a USB stick (passphrase from GXCARE_BUNDLE_PASSPHRASE or a prompt)")
    p.add_argument("action", choices=["export", "import"])
    p.add_argument("file")
    _ledger_arg(p)
    p.add_argument("--village", help="export: a township's return bundle with this village's rows")
    p.set_defaults(func=cmd_bundle)

    p = sub.add_parser("report", help="monthly report (月报) as an Excel workbook")
    _ledger_arg(p)
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.add_argument("--scope", help="division code: a village, or a township/county the ledger covers")
    p.add_argument("--out", required=True, help="the .xlsx to write")
    p.add_argument("--unit", help="填报单位 (default: the scope's name)")
    p.add_argument("--filled-by", help="填报人 (default: the ledger's user)")
    p.add_argument("--full-ids", action="store_true", help="roster with full ID numbers (recorded in the audit log)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("import-excel", help="import an existing Excel ledger (台账); every row imported, updated or refused")
    _ledger_arg(p)
    p.add_argument("file")
    p.add_argument("--sheet")
    p.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    p.add_argument("--json", action="store_true", help="print the per-row report as JSON")
    p.set_defaults(func=cmd_import_excel)

    p = sub.add_parser("compare", help="compare with another department's list (部门信息比对)")
    _ledger_arg(p)
    p.add_argument("list", help="the department's .xlsx")
    p.add_argument("--department", required=True, choices=["education", "public_security", "disabled_federation"])
    p.add_argument("--out", required=True)
    p.add_argument("--scope")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("print-file", help="one child's complete file as an A4 PDF")
    _ledger_arg(p)
    p.add_argument("child", help="the child's record id or 18-digit ID number")
    p.add_argument("--out", required=True)
    p.add_argument("--full-ids", action="store_true")
    p.set_defaults(func=cmd_print_file)

    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        return cmd_app(args)
    try:
        result: int = args.func(args)
        return result
    except ValidationError as exc:
        return _fail(Text(exc.text("zh_CN"), exc.text("en")))
    except (LedgerError, SyncError) as exc:
        return _fail(exc.message)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

