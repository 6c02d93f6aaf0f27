"""The one exception type the command line turns into ``error: <message>`` and exit status 2."""

from __future__ import annotations


class CliError(Exception):
    """A failure the user can act on; the message is one line, without a traceback (unless ``--debug``)."""
