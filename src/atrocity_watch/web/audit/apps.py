from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "atrocity_watch.web.audit"
    label = "audit"
    verbose_name = "Audit log"

    @property
    def navigation(self):
        from atrocity_watch.web.core.navigation import NavItem

        return [NavItem("Audit log", "audit:list", action="read_audit", order=90)]
