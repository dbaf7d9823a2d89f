"""Demo data of bulk verification (Art 22; decision 0051): 广州某某人力资源有限公司, approved
by the 广东 demo official, with its HR clerk ``verifier`` (the organisation's administrator,
demo password) and a demo API token, and one pending application (``verifier_applicant``,
深圳) for ``gd_official`` to decide.

The demo token is fixed (``DEMO_TOKEN``, like the demo password: demo data only) so that the
README can show a working ``curl``; ``seed_demo`` prints it. Idempotent.
"""

from __future__ import annotations

from certificates.models import ApiToken, VerifierOrganisation, VerifierState
from certificates.services import verifiers

DEMO_TOKEN = "vk_demo2026_DemoVerifyToken-OnlyForTheDemoData-0000000"  # noqa: S105 - demo only
DEMO_USCC = "91440101MA5HR00015"  # synthetic, with a valid GB 32100 check character
PENDING_USCC = "91440300MA5PD0002N"  # synthetic (深圳), valid check character


def _application(name: str, uscc: str, contact: str) -> verifiers.Application:
    return verifiers.Application(
        name=name,
        uscc=uscc,
        purpose="入职前核验应聘人员的职业技能等级证书；技能人才补贴申报前核对员工证书",
        legal_basis="consent",
        basis_detail="应聘登记表和补贴申报表中由本人签字同意向平台核验其证书",
        contact_name=contact,
        contact_phone="02088886666",
        contact_email="hr@demo.example.org",
    )


def seed(stdout=None) -> None:
    from portal.demo import _user
    from portal.models import User

    official = User.objects.filter(username="gd_official").first()
    if official is None:
        return
    clerk = _user("verifier", "演示核验人员（人事专员）")
    org = VerifierOrganisation.objects.filter(uscc=DEMO_USCC).first()
    if org is None:
        org = verifiers.apply_for_verification(
            clerk, _application("广州某某人力资源有限公司", DEMO_USCC, "演示核验人员")
        )
        verifiers.decide_application(official, org, approve=True, note="用途和依据清楚")
    if not ApiToken.objects.filter(secret_hash=verifiers.hash_secret(DEMO_TOKEN)).exists():
        verifiers.create_token(
            clerk, org, name="演示招聘系统", valid_days=366, daily_quota=10000, secret=DEMO_TOKEN
        )
    applicant = _user("verifier_applicant", "演示申请核验单位联系人")
    if not VerifierOrganisation.objects.filter(
        uscc=PENDING_USCC, state=VerifierState.PENDING
    ).exists() and not verifiers.apply_refusal(applicant):
        verifiers.apply_for_verification(
            applicant, _application("深圳某某科技有限公司", PENDING_USCC, "演示申请人")
        )
    if stdout is not None:
        stdout.write(
            "certificates: bulk verification demo: sign in as `verifier`; API token "
            f"{DEMO_TOKEN} (POST /api/v1/certificates/verify)"
        )
