"""Demo data of legacy records (Art 4; decision 0046): the Guangdong testing centre imports a
few certificates issued before the portal, one with a 16-digit 职业资格证书 number, one with a
22-character number of the demo agency's site (which moves that site's counter past it).

Idempotent: importing the same file again adds nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from certificates.services import legacy

SOURCE = "广东省职业技能鉴定指导中心（历史数据）"
GZ = "广州市职业技能鉴定指导中心"
ID = "居民身份证"
HEAD = ",".join(c.header for c in legacy.COLUMNS)


def demo_file() -> bytes:
    """The demo file: CSV with the template's Chinese headings."""
    from certificates.services import numbering
    from portal.models import AgencySite

    rows = [
        ["4401061208000315", "陈建国", ID, "440106197203150015", "6-31-01-03", "电工",
         "维修电工", "高级工", GZ, "2012-08-20"],
        ["4401061505001207", "林秀英", ID, "440104198011230020", "4-03-02-01", "中式烹调师",
         "", "中级工", GZ, "2015-05-12"],
    ]  # fmt: skip
    site = (
        AgencySite.objects.filter(agency__is_demo=True)
        .exclude(site_serial="")
        .select_related("agency")
        .order_by("pk")
        .first()
    )
    if site is not None and site.agency.agency_code:
        try:
            scope = numbering.scope_for(site, 2023, "4")
        except ValidationError:
            scope = None
        if scope is not None and scope.prefix[5:7] == "44":
            number = numbering.format_number(scope, 120)
            rows.append(
                [
                    number,
                    "黄志明",
                    ID,
                    "440111198507080031",
                    "6-31-01-03",
                    "电工",
                    "",
                    "四级",
                    site.agency.name,
                    "2023-11-02",
                ]  # fmt: skip
            )
    return ("\n".join([HEAD, *(",".join(r) for r in rows)]) + "\n").encode("utf-8")


def seed(stdout=None) -> int:
    """Import the demo file as the Guangdong testing centre; returns records added."""
    from portal.models import User

    osta = User.objects.filter(username="osta_gd").first()
    if osta is None:
        return 0
    try:
        batch = legacy.stage(osta, demo_file(), source=SOURCE, file_name="历史证书（演示）.csv")
        if batch.error_rows:
            if stdout is not None:
                first = next(r for r in batch.rows if r["errors"])
                stdout.write(
                    f"legacy certificates: {batch.error_rows} demo rows with errors, "
                    f"row {first['row']}: {legacy.describe_errors(first['errors'])}"
                )
            return 0
        batch = legacy.apply(osta, batch)
    except ValidationError as exc:
        if stdout is not None:
            stdout.write(f"legacy certificates: not imported: {' '.join(exc.messages)}")
        return 0
    if stdout is not None and batch.added:
        stdout.write(f"legacy certificates: {batch.added} demo records imported")
    return batch.added
