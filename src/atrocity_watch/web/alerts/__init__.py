"""Alerts: what the monitors raise, for analysts to act on, and the notifications about them.

Signals are computed by the library (:mod:`atrocity_watch.monitor`) and written to the warehouse;
``manage.py sync_alerts`` walks the rules over them (with the thresholds administrators set per
region) and keeps one :class:`~.models.Alert` per episode, with its changes, which are notified
once per recipient by e-mail, signed webhook or a daily digest. See ``docs/monitoring.md``.
"""
