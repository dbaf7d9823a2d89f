"""Builders of bulk verification tests (Art 22; decision 0051): a verifying organisation of
广东 approved by the world's 广东 official, with an admin, and its token."""

from __future__ import annotations

import io
import itertools

from certificates.services import verifiers
from tests.agencies.builders import uscc
from tests.portal.builders import make_user

_serial = itertools.count(1)


def application(n: int | None = None, **extra) -> verifiers.Application:
    n = next(_serial) if n is None else n
    fields = {
        "name": f"广州某某人力资源有限公司{n}",
        "uscc": uscc(f"91440101MA5{n:06d}"),
        "purpose": "入职前核验应聘人员的职业技能等级证书",
        "legal_basis": "consent",
        "basis_detail": "应聘登记表中由应聘人签字同意核验",
        "contact_name": "陈人事",
        "contact_phone": "13800138000",
        "contact_email": "hr@example.org",
    }
    fields.update(extra)
    return verifiers.Application(**fields)


def approved_org(world, admin=None, **extra):
    """An approved 广东 organisation; returns (organisation, its admin)."""
    admin = admin or make_user(f"hr_admin_{next(_serial)}")
    org = verifiers.apply_for_verification(admin, application(**extra))
    org = verifiers.decide_application(world.gd_official, org, approve=True, note="")
    return org, admin


def token_of(org, admin, *, quota: int = 10000, days: int = 30):
    return verifiers.create_token(admin, org, name="招聘系统", valid_days=days, daily_quota=quota)


def xlsx(rows: list[list], headings=("编号", "姓名", "证件类型", "证件号码", "证书编号")) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(headings))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_xlsx(data: bytes) -> list[list]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_index(0).to_python()
