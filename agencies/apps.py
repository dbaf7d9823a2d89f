from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Agencies")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from agencies import rules

        rules.register()
        _register_periodic_jobs()


def _register_periodic_jobs() -> None:
    import datetime as dt

    from celery.schedules import crontab

    from agencies.services import running
    from portal import periodic

    day = dt.timedelta(days=1)
    periodic.register(
        "agencies.lapse_ended_terms",
        running.lapse_ended_terms,
        schedule=crontab(minute=5, hour=0),
        every=day,
        description="Mark agencies whose filing term ended as lapsed",
    )
    periodic.register(
        "agencies.lift_ended_suspensions",
        running.lift_ended_suspensions,
        schedule=crontab(minute=6, hour=0),
        every=day,
        description="Lift suspensions whose period has passed",
    )
    periodic.register(
        "agencies.send_term_reminders",
        running.send_term_reminders,
        schedule=crontab(minute=0, hour=8),
        every=day,
        description="Remind agencies 90 and 30 days before their term ends",
    )
