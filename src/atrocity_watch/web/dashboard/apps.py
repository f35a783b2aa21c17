from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "atrocity_watch.web.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"

    @property
    def navigation(self):
        from atrocity_watch.web.core.navigation import NavItem

        return [
            NavItem("World map", "dashboard:map", action="view", order=10),
            NavItem("Watchlist", "dashboard:watchlist", action="view", order=20),
        ]
