from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Agencies")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from agencies import registry

        registry.register()
