from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "atrocity_watch.web.alerts"
    label = "alerts"
    verbose_name = "Alerts"
    default_auto_field = "django.db.models.BigAutoField"

    @property
    def navigation(self):
        from atrocity_watch.web.core.navigation import NavItem

        return [NavItem("Alerts", "alerts:feed", action="view", order=50)]
