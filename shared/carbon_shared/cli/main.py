"""carbonctl: the operators' command line (`carbonctl --help`).

Reads the same environment as the services (CARBON_BUS, CARBON_KAFKA_BOOTSTRAP, CARBON_DATA_DIR,
CARBON_JWT_SECRET, CARBON_<SVC>_DATABASE_URL ...), so it talks to Kafka or to the embedded bus alike.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from carbon_shared.cli import admin_cmd, events_cmd, transfer_cmd
from carbon_shared.settings import PlatformSettings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="carbonctl", description="Operate the Zhongwei carbon-market services."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    _tail_parser(commands)
    _dlq_parser(commands)
    _token_parser(commands)
    outbox = commands.add_parser("outbox", help="outbox backlog per service (unpublished rows, oldest age)")
    outbox.add_argument("--service", action="append", choices=admin_cmd.SERVICES)
    migrate = commands.add_parser("migrate", help="apply a service's migrations (or all)")
    migrate.add_argument("service", choices=(*admin_cmd.SERVICES, "all"))
    _transfer_parsers(commands)
    seed = commands.add_parser("seed-demo", help="seed a demo city through the public APIs")
    seed.add_argument("--base-host", default="http://127.0.0.1")
    seed.add_argument("--count", type=int, default=40, help="number of enterprises")
    return parser


def _tail_parser(commands: argparse._SubParsersAction) -> None:
    tail = commands.add_parser("tail", help="print live events as JSON lines, with filters")
    tail.add_argument("--type", action="append", help="event type (repeatable)")
    tail.add_argument("--subject", help="enterprise or agency id")
    tail.add_argument("--correlation-id", help="follow one compliance action")
    tail.add_argument("--from-beginning", action="store_true", help="replay history first")
    tail.add_argument("--count", type=int, help="stop after this many events")


def _dlq_parser(commands: argparse._SubParsersAction) -> None:
    dlq = commands.add_parser("dlq", help="list, show or replay a consumer's dead letters")
    dlq.add_argument("action", choices=("list", "show", "replay"))
    dlq.add_argument("consumer", choices=events_cmd.CONSUMERS)
    dlq.add_argument("--offset", type=int, help="one dead letter (show/replay); replay without it: all")
    dlq.add_argument("--partition", type=int)


def _token_parser(commands: argparse._SubParsersAction) -> None:
    token = commands.add_parser("token", help="mint a development token (HS256, CARBON_JWT_SECRET)")
    token.add_argument("role", choices=("regulator", "enterprise", "verifier", "region", "department", "ops"))
    token.add_argument("--sub")
    token.add_argument("--enterprise-id")
    token.add_argument("--agency-id")
    token.add_argument("--department")
    token.add_argument("--hours", type=float, default=8)


def _transfer_parsers(commands: argparse._SubParsersAction) -> None:
    imp = commands.add_parser("import", help="upload a CSV/XLSX file to an import endpoint")
    imp.add_argument("file")
    imp.add_argument("--url", default="http://127.0.0.1:8001", help="service base URL")
    imp.add_argument("--endpoint", default="/v1/enterprises/import")
    imp.add_argument("--token")
    exp = commands.add_parser("export", help="download an export (CSV/XLSX) into a file")
    exp.add_argument("output")
    exp.add_argument("--url", default="http://127.0.0.1:8001")
    exp.add_argument("--endpoint", default="/v1/enterprises/export?format=csv")
    exp.add_argument("--token")


def main(argv: Sequence[str] | None = None, *, out: Callable[[str], object] = print) -> int:
    args = build_parser().parse_args(argv)
    settings = PlatformSettings()
    if args.command == "tail":
        return events_cmd.run(events_cmd.tail(args, settings, out=out))
    if args.command == "dlq":
        return events_cmd.run(events_cmd.dlq(args, settings, out=out))
    if args.command == "token":
        return admin_cmd.token(args, settings, out=out)
    if args.command == "outbox":
        return admin_cmd.run_async(admin_cmd.outbox(args, settings, out=out))
    if args.command == "migrate":
        return admin_cmd.migrate(args, settings, out=out)
    if args.command == "import":
        return transfer_cmd.import_file(args, settings, out=out)
    if args.command == "export":
        return transfer_cmd.export_file(args, settings, out=out)
    if args.command == "seed-demo":
        from carbon_shared.cli import demo_cmd

        return demo_cmd.seed(args, settings)
    return 2


if __name__ == "__main__":
    sys.exit(main())
