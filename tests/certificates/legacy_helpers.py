"""Files of legacy certificates for the tests and the demo (CSV, Chinese headings)."""

from __future__ import annotations

from certificates.services.legacy import COLUMNS

HEAD = ",".join(c.header for c in COLUMNS)


def row(number: str, name: str, id_number: str, *, level: str = "四级", issued: str = "2019-06-30",
        occupation: str = "6-31-01-03", occupation_name: str = "电工", agency: str = "广州市职业技能鉴定指导中心") -> str:  # fmt: skip  # noqa: E501
    return ",".join(
        [
            number,
            name,
            "居民身份证",
            id_number,
            occupation,
            occupation_name,
            "",
            level,
            agency,
            issued,
        ]
    )


def csv(*rows: str) -> bytes:
    return ("\n".join([HEAD, *rows]) + "\n").encode("utf-8")
