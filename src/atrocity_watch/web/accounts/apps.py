from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "atrocity_watch.web.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from atrocity_watch.web.accounts import signals  # noqa: F401  (connects the receivers)
