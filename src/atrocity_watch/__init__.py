"""Atrocity Watch: early warning and assessment of the risk of atrocity crimes.

The package is a plain Python library organised in layers (see ``docs/architecture.md``):
``framework`` and ``countries`` at the bottom, then ``sources`` → ``warehouse`` → ``panels`` →
``forecast`` / ``monitor``, ``evidence`` beside them, and ``web`` (the only layer that imports
Django) and ``cli`` on top.
"""

__version__ = "0.1.0"
