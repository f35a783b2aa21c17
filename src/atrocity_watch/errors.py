"""The root of the project's exception families.

Each layer defines its own small family under :class:`AtrocityWatchError` (for example
``FrameworkError``, ``UnknownCountryError``, ``SourceFormatError``). Exceptions carry a message
that says what is wrong and how to fix it, and they have no side effects: raising one never
writes, logs or prints. The CLI turns any of them into one line on stderr and exit code 2;
the web layer turns them into a 400/404 answer with the same message.
"""

from __future__ import annotations


class AtrocityWatchError(Exception):
    """Base class of every error this package raises on purpose."""


class ConfigError(AtrocityWatchError):
    """An environment variable or setting has a value that cannot be used."""
