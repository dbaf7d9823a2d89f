from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal import checks, signals  # noqa: F401  (checks register themselves)
        from portal.accounts import registry as accounts_registry
        from portal.audit import registry as audit_registry
        from portal.authorities import registry as authorities_registry
        from portal.calendar import registry as calendar_registry
        from portal.documents import registry as documents_registry
        from portal.notices import registry as notices_registry
        from portal.ui import converters, navigation, panels

        converters.register()
        _watch_public_data()
        post_migrate.connect(signals.sync_role_groups, dispatch_uid="portal.sync_role_groups")
        post_migrate.connect(signals.grant_app_role, dispatch_uid="portal.grant_app_role")
        # The order is the menus' and dashboards' order where two entries share a position.
        navigation.register_portal_entries()
        calendar_registry.register()
        authorities_registry.register()
        audit_registry.register()
        documents_registry.register()
        accounts_registry.register()
        notices_registry.register()
        panels.register()
        _register_periodic_jobs()


def _watch_public_data() -> None:
    """What portal's rows the public pages show (their cached content, portal.pagecache)."""
    from portal import pagecache

    pagecache.connect()
    pagecache.watch(
        "portal.agency",
        "portal.agencysite",
        "portal.publicnotice",
        "portal.calendarday",
        "portal.province",
        "portal.document",
    )


def _register_periodic_jobs() -> None:
    import datetime as dt

    from celery.schedules import crontab

    from portal import audit, captcha, documents, ratelimit
    from portal import sessions as portal_sessions
    from portal.audit import checkpoints
    from portal.jobs import periodic

    periodic.register(
        "portal.checkpoint_audit",
        checkpoints.periodic_checkpoint,
        schedule=crontab(minute=10, hour=2),
        every=dt.timedelta(days=1),
        description="Sign every audit chain head into a checkpoint outside the database",
    )
    periodic.register(
        "portal.verify_audit",
        audit.nightly_verification,
        schedule=crontab(minute=30, hour=2),
        every=dt.timedelta(days=1),
        description="Recompute every audit hash chain",
    )
    periodic.register(
        "portal.sweep_orphan_files",
        documents.sweep_orphan_files,
        schedule=crontab(minute=15, hour=3),
        every=dt.timedelta(days=1),
        description="Remove stored files of uploads whose transaction rolled back",
    )
    periodic.register(
        "portal.requeue_pending_documents",
        documents.requeue_pending,
        schedule=crontab(minute="*/10"),
        every=dt.timedelta(minutes=10),
        description="Queue again the pending documents a dead worker did not render",
    )
    periodic.register(
        "portal.purge_rate_limits",
        ratelimit.purge_expired,
        schedule=crontab(minute=45, hour=3),
        every=dt.timedelta(days=1),
        description="Delete ended rate-limit windows",
    )
    periodic.register(
        "portal.clear_expired_sessions",
        portal_sessions.clear_expired,
        schedule=crontab(minute=50, hour=3),
        every=dt.timedelta(days=1),
        description="Delete expired sessions",
    )
    periodic.register(
        "portal.purge_spent_challenges",
        captcha.purge_spent,
        schedule=crontab(minute=55, hour=3),
        every=dt.timedelta(days=1),
        description="Delete expired spent human-check challenges",
    )
