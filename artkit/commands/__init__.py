"""Subcommands of `artkit`, one module per area, each with `register(subparsers)`."""
