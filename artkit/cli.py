"""The `artkit` command line.

Each area of artkit registers its own subcommands from a module in `artkit.commands`
(`register(subparsers)`), so this file stays a dispatcher. Command modules import their heavy
dependencies (pygame, torch) inside the command function, never at module level, so
`artkit --help` stays fast.
"""

import gc
import importlib
import io
import os
import signal
import sys
import threading

from artkit.version import __version__
from artkit.errors import ArtkitError
from artkit.commands.argparser import ArtkitParser, subparser_for

COMMAND_MODULES = ("paint", "sessions", "render", "run", "gan")


def build_parser() -> ArtkitParser:
    parser = ArtkitParser(
        prog="artkit",
        description="Paint hairy portraits, run creative-coding sketches, and train GANs.",
    )
    parser.add_argument("--version", action="version", version=f"artkit {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"artkit.commands.{name}").register(subparsers)
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM (`kill`, a logout): stops artkit the way Ctrl+C does, so what was made is kept."""


def main(argv=None) -> int:
    """Run `artkit ARGV`: 0 when it worked, 2 for a mistake a person can fix (one sentence on
    stderr), 130/143 when interrupted or terminated, 1 for a bug (one sentence naming the log
    with the details). No traceback is ever printed."""
    argv = sys.argv[1:] if argv is None else list(argv)
    previous = _terminate_on_sigterm()
    try:
        return _run(argv)
    except ArtkitError as error:
        _say(f"artkit: {error}")
        return 2
    except Terminated:
        _stop_drawing()
        _say("artkit: stopped (terminated); what was made so far is kept.")
        return 143
    except KeyboardInterrupt:
        _stop_drawing()
        return 130
    except MemoryError:
        _say("artkit: this computer ran out of memory; try a smaller size, scale, count or "
             "batch size.")
        return 2
    except BrokenPipeError:   # `artkit course | head -1`: the reader has gone, say nothing
        _quiet_stdout()
        return 0
    except Exception as error:  # noqa: BLE001 (the last resort, see report_unexpected)
        return report_unexpected(error, argv)
    finally:
        _restore_sigterm(previous)


def run_command() -> None:
    """The `artkit` program: `main()`, then exit with its status. What is left in memory is
    the process's until it ends, so it is frozen out of the collector first: Python's exit then
    has no cycles to trace through (torch's modules, when a GAN was used: ~0.2 s of every GAN
    command). Every file is closed and every exit handler runs as usual."""
    code = main()
    gc.freeze()
    sys.exit(code)


def _run(argv: list) -> int:
    parser = build_parser()
    try:
        args, extras = parser.parse_known_args(argv)
        if extras:   # said by the subcommand's parser, which knows its own options
            subparser_for(parser, args).error(f"unrecognized arguments: {' '.join(extras)}")
    except SystemExit as done:   # --help, --version, or a mistake already said in one sentence
        return done.code if isinstance(done.code, int) else 2
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    return args.func(args) or 0


def report_unexpected(error: BaseException, argv=None) -> int:
    """The last resort for an error nobody wrote a sentence for (a bug in artkit): its details
    go to errors.log in artkit's data folder, and one sentence says where. Returns 1."""
    from artkit.errorlog import log_unexpected

    path = log_unexpected(error, argv)
    if path is not None:
        _say(f"artkit: something went wrong inside artkit ({type(error).__name__}), which is "
             f"a bug in artkit, not your mistake; the details are in '{path}'.")
    else:
        _say(f"artkit: something went wrong inside artkit ({type(error).__name__}: "
             f"{str(error)[:200]}), which is a bug in artkit, not your mistake.")
    return 1


def _stop_drawing() -> None:
    """Don't make a stopped render wait for the marks still queued for its drawing threads."""
    from artkit.threaded import stop_drawing

    stop_drawing()


def _say(sentence: str) -> None:
    try:
        print(sentence, file=sys.stderr)
    except (OSError, ValueError):   # stderr closed: nowhere left to say it
        pass


def _quiet_stdout() -> None:
    """Point stdout at nowhere once its reader has gone, so Python's flush at exit has nothing
    left to complain about."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def _terminate_on_sigterm():
    """Make SIGTERM raise `Terminated` (like Ctrl+C) while artkit runs, even during a blocking
    read, and before pygame starts: SDL then leaves SIGTERM alone instead of turning it into a
    window event that a blocked program never reads. Returns the handler to restore."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def terminate(signum, frame):
        raise Terminated()

    try:
        return signal.signal(signal.SIGTERM, terminate)
    except (ValueError, OSError, AttributeError):
        return None


def _restore_sigterm(previous) -> None:
    if previous is not None:
        try:
            signal.signal(signal.SIGTERM, previous)
        except (ValueError, OSError):
            pass


if __name__ == "__main__":
    raise SystemExit(main())
