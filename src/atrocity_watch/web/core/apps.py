from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "atrocity_watch.web.core"
    label = "core"
    verbose_name = "Core"
