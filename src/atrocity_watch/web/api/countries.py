"""``/api/countries`` and ``/api/me``: the countries the caller may see, and the caller's roles."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from atrocity_watch.web.accounts.permissions import countries_for, ensure, memberships
from atrocity_watch.web.core import geo

router = Router(tags=["countries"])


class CountryOut(Schema):
    iso3: str
    name: str
    region: str
    subregion: str


class MembershipOut(Schema):
    role: str
    scope_kind: str
    scope_code: str
    scope: str


class MeOut(Schema):
    username: str
    superuser: bool
    memberships: list[MembershipOut]


@router.get("/countries", response=list[CountryOut], summary="Countries you may see")
@paginate(LimitOffsetPagination)
def list_countries(
    request: HttpRequest, region: str = "", organisation: str = ""
) -> list[geo.CountryInfo]:
    """Current countries within your roles' scope, by name; filter by M49 region or organisation."""
    ensure(request.user, "view")
    allowed = countries_for(request.user, "view")
    rows = [c for c in geo.current_countries() if allowed is None or c.iso3 in allowed]
    if region:
        members = geo.countries_of_region(geo.canonical_region(region))
        rows = [c for c in rows if c.iso3 in members]
    if organisation:
        members = geo.countries_of_organisation(geo.canonical_organisation(organisation))
        rows = [c for c in rows if c.iso3 in members]
    return rows


@router.get("/countries/{iso3}", response=CountryOut, summary="One country")
def get_country(request: HttpRequest, iso3: str) -> geo.CountryInfo:
    """One current country by ISO 3166-1 alpha-3 code."""
    code = iso3.upper()
    for country in geo.current_countries():
        if country.iso3 == code:
            ensure(request.user, "view", code)
            return country
    raise Http404(f"There is no current country with the ISO3 code {iso3!r}.")


@router.get("/me", response=MeOut, summary="Who you are and what you may do")
def me(request: HttpRequest) -> dict[str, object]:
    """Your user name and memberships (role and the countries each covers)."""
    return {
        "username": request.user.get_username(),
        "superuser": request.user.is_superuser,
        "memberships": [
            {
                "role": m.role,
                "scope_kind": m.scope_kind,
                "scope_code": m.scope_code,
                "scope": m.scope_label,
            }
            for m in memberships(request.user)
        ],
    }
