"""Transitional alias (issue 9): the module paths portal had before its sub-packages.

``import portal.notice_models`` and ``from portal import navigation`` keep working for the
code that still names the old paths (catalog, agencies, tests, open branches): each old name
is answered with the module it moved to, the same module object, so registries and
monkeypatching behave as before. No file stays at an old path, so git follows every moved
file and merges edits made to it elsewhere. Removed, with its line in ``portal/__init__.py``,
once importers use the new paths (``portal_import_map.py`` does both).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys

ALIASES = {
    "portal.account_forms": "portal.accounts.forms",
    "portal.account_rules": "portal.accounts.registry",
    "portal.account_urls": "portal.accounts.urls",
    "portal.account_views": "portal.accounts.views",
    "portal.audit_forms": "portal.audit.forms",
    "portal.audit_models": "portal.models.audit",
    "portal.background": "portal.jobs.background",
    "portal.context_processors": "portal.ui.context_processors",
    "portal.dashboards": "portal.ui.dashboards",
    "portal.document_models": "portal.models.documents",
    "portal.middleware": "portal.access.middleware",
    "portal.navigation": "portal.ui.navigation",
    "portal.notice_forms": "portal.notices.forms",
    "portal.notice_models": "portal.models.notices",
    "portal.notice_rules": "portal.notices.registry",
    "portal.notice_urls": "portal.notices.urls",
    "portal.notice_views": "portal.notices.views",
    "portal.panels": "portal.ui.panels",
    "portal.passwords": "portal.accounts.passwords",
    "portal.periodic": "portal.jobs.periodic",
    "portal.request_context": "portal.access.context",
    "portal.security_models": "portal.models.security",
    "portal.services": "portal.calendar",
    "portal.signin": "portal.accounts.signin",
    "portal.tasks": "portal.jobs.tasks",
    "portal.twofactor": "portal.accounts.twofactor",
    "portal.views": "portal.ui.views",  # home, dashboards, health; the rest moved by concern
}


class _AliasLoader(importlib.abc.Loader):
    def create_module(self, spec):
        return None

    def exec_module(self, module) -> None:
        # The import system reads sys.modules back after exec, so the old name is bound
        # to the new module itself (as an alias file doing this would be).
        sys.modules[module.__name__] = importlib.import_module(ALIASES[module.__name__])


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname in ALIASES:
            return importlib.machinery.ModuleSpec(fullname, _AliasLoader())
        return None


def install() -> None:
    if not any(isinstance(finder, _AliasFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _AliasFinder())
