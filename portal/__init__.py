"""The portal's base app and Django project package."""

from portal import module_aliases  # transitional alias (issue 9)
from portal.celery import app as celery_app

module_aliases.install()  # transitional alias (issue 9)

__all__ = ("celery_app",)
