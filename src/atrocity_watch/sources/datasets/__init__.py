"""The declared sources, one module per dataset; :data:`SOURCES` lists them in order."""

from __future__ import annotations

from atrocity_watch.sources._spec import SourceSpec
from atrocity_watch.sources.datasets import (
    acled_events,
    coups,
    epr_core,
    ewp_foos,
    ewp_mk_episodes,
    ewp_prepared,
    ewp_published_forecasts,
    polity5,
    pts,
    sipri_tiv,
    ucdp_acd,
    ucdp_brd,
    ucdp_ged,
    ucdp_nonstate,
    ucdp_onesided,
    ucdp_organized_violence_cy,
    vdem,
    worldbank,
)

SOURCES: tuple[SourceSpec, ...] = (
    ucdp_ged.SPEC,
    ucdp_onesided.SPEC,
    ucdp_brd.SPEC,
    ucdp_organized_violence_cy.SPEC,
    ucdp_acd.SPEC,
    ucdp_nonstate.SPEC,
    acled_events.SPEC,
    vdem.SPEC,
    epr_core.SPEC,
    worldbank.SPEC,
    pts.SPEC,
    polity5.SPEC,
    coups.SPEC,
    ewp_prepared.SPEC,
    ewp_mk_episodes.SPEC,
    ewp_published_forecasts.SPEC,
    ewp_foos.SPEC,
    sipri_tiv.SPEC,
)
