from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "atrocity_watch.web.assessments"
    label = "assessments"
    verbose_name = "Framework assessments"
