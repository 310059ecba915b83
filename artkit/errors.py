"""Errors that a person can fix.

Every `ArtkitError` carries one plain sentence saying what went wrong and what to do.
The command line prints that sentence alone (no traceback) and exits with status 2.
"""


class ArtkitError(Exception):
    """A problem with the user's input, explained in one sentence."""
