"""The `artkit` command line.

Each area of artkit registers its own subcommands from a module in `artkit.commands`
(`register(subparsers)`), so this file stays a dispatcher. Command modules import their heavy
dependencies (pygame, torch) inside the command function, never at module level, so
`artkit --help` stays fast.
"""

import argparse
import importlib
import sys

from artkit.version import __version__
from artkit.errors import ArtkitError

COMMAND_MODULES = ("paint", "sessions", "render", "run", "gan")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="artkit",
        description="Paint hairy portraits, run creative-coding sketches, and train GANs.",
    )
    parser.add_argument("--version", action="version", version=f"artkit {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"artkit.commands.{name}").register(subparsers)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return args.func(args) or 0
    except ArtkitError as error:
        print(f"artkit: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
