"""seed_demo finds the demo modules of the project's own apps, in INSTALLED_APPS order,
without portal naming the apps above it."""

from __future__ import annotations

from django.apps import apps

from portal.management.commands.seed_demo import demo_modules


def test_demo_modules_are_the_project_apps_in_installed_order():
    names = [m.__name__ for m in demo_modules()]
    assert names[:3] == ["portal.demo", "catalog.demo", "agencies.demo"]
    order = [c.name for c in apps.get_app_configs()]
    positions = [order.index(n.removesuffix(".demo")) for n in names]
    assert positions == sorted(positions)
    # Installed packages (django.contrib, guardian, django_otp) are not the project's.
    assert all(not n.startswith(("django", "guardian")) for n in names)
    assert all(callable(m.seed) for m in demo_modules())
