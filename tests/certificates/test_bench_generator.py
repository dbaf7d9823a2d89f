"""The synthetic certificate generator of the benchmarks (bench/load_certificates.py, issue
17 "Speed and scale"; decision 0050) loads rows the portal itself would accept and find."""

from __future__ import annotations

import pytest

from bench import load_certificates
from certificates.models import Certificate, CertificateStatus, LegacyCertificate, StatusList
from certificates.services import lookup
from portal import codes, pii

pytestmark = pytest.mark.django_db

ROWS = 1000


@pytest.fixture
def loaded(world):
    from tests.certificates.builders import final_session

    final_session(world, 0, failed=0)  # a real session, site and agency to point at
    before = Certificate.objects.count()
    figures = load_certificates.load(ROWS, legacy=50, indexes="before", out=lambda *a, **k: None)
    return before, figures


def test_rows_hold_the_constraints_and_the_formats(loaded):
    before, figures = loaded
    assert figures["rows"] == ROWS
    rows = Certificate.objects.exclude(result__isnull=False)
    assert Certificate.objects.count() - before == ROWS == rows.count()
    numbers = list(rows.values_list("number", flat=True))
    assert len(set(numbers)) == ROWS
    assert all(codes.is_valid_certificate_number(n) for n in numbers)
    entries = set(rows.values_list("status_list_id", "status_index"))
    assert len(entries) == ROWS  # one status-list entry each (also a unique constraint)
    lists = StatusList.objects.filter(pk__in={pk for pk, _ in entries})
    assert sum(lists.values_list("allocated", flat=True)) == ROWS
    assert len(set(rows.values_list("token", flat=True))) == ROWS
    revoked = rows.filter(status=CertificateStatus.REVOKED)
    assert not revoked.filter(revoked_at__isnull=True).exists()
    for cert in rows.order_by("?")[:50]:  # decrypts under the portal's key, index matches
        assert codes.is_valid_resident_id(cert.id_number)
        assert cert.id_index == pii.blind_index(cert.id_type, cert.id_number)
    assert LegacyCertificate.objects.filter(number__startswith="9").count() == 50


def test_lookup_finds_a_generated_row_by_name_and_id_and_by_number(loaded):
    cert = Certificate.objects.filter(result__isnull=True).order_by("pk")[ROWS // 2]
    by_id = lookup.find(lookup.Query(name=cert.holder_name, id_number=cert.id_number))
    assert cert.pk in {c.pk for c in by_id if not lookup.is_legacy(c)}
    by_number = lookup.find(lookup.Query(name=cert.holder_name, number=cert.number))
    assert [c.pk for c in by_number] == [cert.pk]
    assert lookup.find(lookup.Query(name=cert.holder_name + "某", number=cert.number)) == []
    legacy = LegacyCertificate.objects.filter(number__startswith="9").first()
    found = lookup.find(lookup.Query(name=legacy.holder_name, id_number=legacy.id_number))
    assert legacy.pk in {c.pk for c in found if lookup.is_legacy(c)}
