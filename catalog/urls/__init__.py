"""The catalog's urlconf (namespace ``catalog``), one module per stage; each view's access
policy is declared beside it in its stage module."""

from __future__ import annotations

from catalog.urls import imports, occupations, specs, standards

app_name = "catalog"

# The import's fixed path (workspace/catalog/occupations/import/) comes before the
# occupation pages, whose <code> would otherwise take it.
urlpatterns = [
    *imports.urlpatterns,
    *occupations.urlpatterns,
    *standards.urlpatterns,
    *specs.urlpatterns,
]
