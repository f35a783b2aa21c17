from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "atrocity_watch.web.evidence"
    label = "evidence"
    verbose_name = "Evidence library"
    default_auto_field = "django.db.models.BigAutoField"

    @property
    def navigation(self):
        from atrocity_watch.web.core.navigation import NavItem

        return [NavItem("Evidence", "evidence:library", action="view", order=60)]
