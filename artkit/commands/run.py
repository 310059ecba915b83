"""`artkit run` subcommands (placeholder registration until this area lands)."""


def register(subparsers):
    pass
