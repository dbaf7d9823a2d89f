"""Review access to an agency's certificates for supervision (Art 24, 25; decision 0059),
in the manner of ``assessments.services.open_for_review``: supervision calls
``open_for_review`` for an inspector drawn for the agency and never reaches into
certificates' rules; ``expire_review_grants`` (a periodic job) ends what has passed its date,
and a grant past its date refuses even before the job ran."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from certificates.models import CertificateReviewGrant
from portal import audit, clock
from portal.models import Agency


@transaction.atomic
def open_for_review(
    agency: Agency, user, until: dt.date, *, granted_by: str = "supervision"
) -> CertificateReviewGrant:
    """Read access to ``agency``'s certificates (the registry list, read-only) for a
    reviewer from supervision until ``until`` (Art 24, 25). An open grant of the same
    reviewer is extended, never shortened."""
    if until < clock.today():
        raise ValidationError({"until": _("The date has passed.")})
    agency = Agency.objects.get(pk=agency.pk)
    grant = (
        CertificateReviewGrant.objects.select_for_update()
        .filter(agency=agency, user=user, revoked_at__isnull=True)
        .first()
    )
    old = grant.until if grant else None
    if grant is None:
        grant = CertificateReviewGrant.objects.create(
            agency=agency, user=user, until=until, granted_by=granted_by, granted_at=clock.now()
        )
    elif until > grant.until:
        grant.until = until
        grant.save(update_fields=["until"])
    else:
        return grant
    audit.record(
        None,
        "certificates.review.opened",
        agency,
        {"reviewer": [None, user.username], "until": [old and old.isoformat(), until.isoformat()]},
        agency=agency,
        actor_label=granted_by,
    )
    return grant


def expire_review_grants() -> int:
    """Periodic job: mark the grants whose date has passed as ended. Safe to run twice;
    the number ended."""
    today = clock.today()
    count = 0
    for grant in CertificateReviewGrant.objects.filter(revoked_at__isnull=True, until__lt=today):
        with transaction.atomic():
            grant.revoked_at = clock.now()
            grant.save(update_fields=["revoked_at"])
            count += 1
    return count


def reviewed_agency_ids(user) -> list[int]:
    """The agencies whose certificates ``user`` may read as a reviewer today."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        CertificateReviewGrant.objects.filter(
            user=user, revoked_at__isnull=True, until__gte=clock.today()
        )
        .values_list("agency_id", flat=True)
        .distinct()
    )


def grant_in_force(user, agency=None) -> bool:
    """Whether ``user`` reviews ``agency``'s certificates today (any agency when None)."""
    ids = reviewed_agency_ids(user)
    if agency is None:
        return bool(ids)
    return getattr(agency, "pk", agency) in ids
