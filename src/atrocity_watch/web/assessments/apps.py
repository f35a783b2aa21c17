from typing import Any

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "atrocity_watch.web.assessments"
    label = "assessments"
    verbose_name = "Framework assessments"

    @property
    def navigation(self) -> list[Any]:
        from atrocity_watch.web.core.navigation import NavItem

        return [NavItem("Assessments", "assessments:list", action="view", order=40)]
