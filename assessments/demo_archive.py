"""Demo data of the archive stage (Art 18, 21): archive a demo session whose certificates were
recorded (or whose results are final with nobody passing), through the services, as the agency's
admin would in the browser. The lead chains it after the results and certificates stages."""

from __future__ import annotations

from assessments.models import AssessmentSession, SessionStatus
from assessments.services import archives
from portal.models import User

RECORDINGS = "机构监控服务器 NAS-1 /认定录像/{year}/批次{pk}"
PAPER = ("纸质签到表与答题卡", "机构档案室 2 号柜（第 {pk} 批次）")


def archive_demo_session(
    session: AssessmentSession, *, actor: User | None = None, stdout=None
) -> AssessmentSession | None:
    """Archive ``session``: state where the recordings are kept, register the paper records,
    archive. Nothing happens (None) if the session is already archived or not ready; the
    reason is written to ``stdout``."""
    actor = actor or User.objects.filter(username="agency_admin").first()
    if actor is None or session.status == SessionStatus.ARCHIVED:
        return None
    year = session.last_sitting_on.year if session.last_sitting_on else ""
    refusal = archives.archive_refusal(session, actor)
    if refusal and refusal.code != "no_recordings":
        if stdout is not None:
            stdout.write(f"assessments: session {session.pk} not archived: {refusal}")
        return None
    if not session.recordings_kept_at:
        session = archives.set_recordings_location(
            actor, session, location=RECORDINGS.format(year=year, pk=session.pk)
        )
    archives.add_paper_record(
        actor, session, title=PAPER[0], location=PAPER[1].format(pk=session.pk)
    )
    session = archives.archive_session(actor, session)
    if stdout is not None:
        stdout.write(f"assessments: session {session.pk} archived")
    return session
