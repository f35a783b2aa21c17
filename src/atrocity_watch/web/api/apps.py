from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "atrocity_watch.web.api"
    label = "api"
    verbose_name = "REST API"
