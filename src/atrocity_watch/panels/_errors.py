"""The panels' exception family."""

from __future__ import annotations

from atrocity_watch.errors import AtrocityWatchError


class PanelError(AtrocityWatchError):
    """A panel cannot be built or described as asked."""


class FeatureRegistryError(PanelError):
    """The feature registry contradicts itself or the Framework (a bug in the package)."""


class UnknownFeatureError(PanelError):
    """A feature name that the registry does not declare."""
