from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal import navigation, panels, rules, signals

        post_migrate.connect(signals.sync_role_groups, dispatch_uid="portal.sync_role_groups")
        navigation.register_portal_entries()
        rules.register()
        panels.register()
