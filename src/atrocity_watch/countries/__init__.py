"""The country registry: every source's country names and codes mapped to one ISO3 key.

ISO 3166-1 alpha-3 is the country key everywhere in Atrocity Watch. This package knows the
codes and names that UCDP, ACLED, V-Dem, EPR, PTS, the World Bank and the Early Warning Project
use, including the historical States their data contain (Yugoslavia, the USSR, the two Germanys,
the two Yemens, ...) with the years each code was valid; UN M49 regions; membership of regional
organisations; and land borders. See docs/countries.md.

>>> from atrocity_watch.countries import get_registry
>>> get_registry().lookup("Ivory Coast").iso3
'CIV'
"""

from atrocity_watch.countries._build import build_registry, get_registry
from atrocity_watch.countries._model import (
    SCHEMES,
    AmbiguousCountryError,
    CodePeriod,
    Country,
    CountryError,
    CountryOutOfScopeError,
    Membership,
    Organisation,
    Region,
    RegistryDataError,
    UnknownCountryError,
    UnknownOrganisationError,
)
from atrocity_watch.countries._normalise import normalise_name
from atrocity_watch.countries._registry import Registry

__all__ = [
    "SCHEMES",
    "AmbiguousCountryError",
    "CodePeriod",
    "Country",
    "CountryError",
    "CountryOutOfScopeError",
    "Membership",
    "Organisation",
    "Region",
    "Registry",
    "RegistryDataError",
    "UnknownCountryError",
    "UnknownOrganisationError",
    "build_registry",
    "get_registry",
    "normalise_name",
]
