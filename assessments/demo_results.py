"""Demo of results publicity (Art 20), for the lead to chain after the scores' demo.

``publish(session)``: a session whose results are computed (every enrolled candidate has a
provisional ``Result``) goes on public notice, published by its agency's administrator.
``make_final(session)``: the same, then its notice closes without objection through the
periodic job, so the results are final and certificates may be issued from them
(``queries.final_passed_results``). When the last sitting is long enough ago the notice is
published on the working day after it, so it has ended by today; otherwise the job runs with
the clock at the day after the notice's end.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from assessments.models import AssessmentSession, ResultPublication
from assessments.services import results as services
from portal import clock, notices
from portal.models import AgencyMembership
from portal.roles import AgencyRole


def _admin(session: AssessmentSession):
    membership = (
        AgencyMembership.objects.filter(agency_id=session.agency_id, role=AgencyRole.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise LookupError(f"agency {session.agency_id} has no administrator")
    return membership.user


def publish(session: AssessmentSession, actor=None, *, on: dt.date | None = None):
    """Put the session's computed results on notice (idempotent: an open publication is
    returned as it is)."""
    found = services.open_publication(session)
    if found is not None:
        return found
    actor = actor or _admin(session)
    if on is None:
        return services.publish_results(actor, session)
    with clock.frozen(timezone.make_aware(dt.datetime.combine(on, dt.time(10, 0)))):
        return services.publish_results(actor, session)


def make_final(session: AssessmentSession, actor=None) -> ResultPublication:
    """Publish (if not yet) and close the notice as standing: the results become final."""
    session.refresh_from_db()
    if session.results_final_at is not None:
        return session.publications.order_by("-round").first()
    today = clock.today()
    publication = services.open_publication(session)
    if publication is None:
        start = clock.add_working_days(session.last_sitting_on or today, 1)
        ends = clock.add_working_days(start, settings.RESULTS_NOTICE_WORKING_DAYS)
        publication = publish(session, actor, on=start if ends < today else None)
    notice = publication.notice
    if notice.ends_on < today:
        notices.close_due_notices()
    else:
        with clock.frozen(notice.ends_on + dt.timedelta(days=1)):
            notices.close_due_notices()
    return publication
