"""Recording national standards and their editions (Art 7, 8, 17)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalog import queries
from catalog.models import NationalStandard, Occupation, WorkType
from catalog.services.levels import LevelInput, levels_summary, write_levels
from portal import access, audit, documents, pdf
from portal.models import Audience, Document, RetentionClass
from portal.roles import NATIONAL

STANDARD_FIELDS = (
    "title",
    "edition_year",
    "document_number",
    "issued_on",
    "effective_from",
    "is_demo",
)


@transaction.atomic
def create_standard(
    actor,
    occupation: Occupation,
    *,
    title: str,
    edition_year: int,
    effective_from: dt.date,
    levels: Sequence[LevelInput],
    document_number: str = "",
    issued_on: dt.date | None = None,
    supersedes: NationalStandard | None = None,
    work_types: Iterable[WorkType] = (),
    is_demo: bool = False,
) -> NationalStandard:
    """Record an edition of a national standard (Art 8: made by the ministry).

    A new edition supersedes the old one from its effective date; the old one is
    kept, and whatever used it keeps pointing at it.
    """
    access.require(actor, "catalog.standard.manage")
    if not levels:
        raise ValidationError({"levels": _("A standard covers at least one level.")})
    if supersedes is not None:
        if supersedes.occupation_id != occupation.pk:
            raise ValidationError(
                {"supersedes": _("A new edition must be of the same occupation.")}
            )
        if hasattr(supersedes, "superseded_by"):
            raise ValidationError({"supersedes": _("That edition has already been superseded.")})
        if effective_from <= supersedes.effective_from:
            raise ValidationError(
                {"effective_from": _("A new edition takes effect after the edition it replaces.")}
            )
    standard = NationalStandard(
        occupation=occupation,
        title=title.strip(),
        edition_year=edition_year,
        document_number=document_number.strip(),
        issued_on=issued_on,
        effective_from=effective_from,
        supersedes=supersedes,
        is_demo=is_demo,
    )
    standard.full_clean()
    standard.save()
    work_types = list(work_types)
    if any(wt.occupation_id != occupation.pk for wt in work_types):
        raise ValidationError({"work_types": _("Work types must belong to the occupation.")})
    standard.work_types.set(work_types)
    write_levels(standard, levels)
    audit.record(
        actor,
        "catalog.standard.create",
        standard,
        {
            **{f: [None, getattr(standard, f)] for f in STANDARD_FIELDS},
            "occupation": [None, occupation.code],
            "supersedes": [None, supersedes.pk if supersedes else None],
            "levels": [None, levels_summary(standard)],
        },
        province=NATIONAL,
    )
    return standard


@transaction.atomic
def update_standard(
    actor,
    standard: NationalStandard,
    *,
    levels: Sequence[LevelInput] | None = None,
    work_types: Iterable[WorkType] | None = None,
    **fields,
) -> NationalStandard:
    access.require(actor, "catalog.standard.manage")
    standard = NationalStandard.objects.select_for_update().get(pk=standard.pk)
    before = audit.snapshot(standard, STANDARD_FIELDS)
    before_levels = levels_summary(standard)
    for name, value in fields.items():
        if name not in STANDARD_FIELDS:
            raise ValueError(f"unknown standard field {name}")
        setattr(standard, name, value)
    standard.full_clean()
    standard.save(update_fields=list(fields))
    if work_types is not None:
        standard.work_types.set(list(work_types))
    if levels is not None:
        if not levels:
            raise ValidationError({"levels": _("A standard covers at least one level.")})
        write_levels(standard, levels)
    changes = audit.diff(before, standard, STANDARD_FIELDS)
    after_levels = levels_summary(standard)
    if after_levels != before_levels:
        changes["levels"] = [before_levels, after_levels]
    audit.record(actor, "catalog.standard.change", standard, changes, province=NATIONAL)
    return standard


@transaction.atomic
def attach_standard_document(actor, standard: NationalStandard, upload) -> NationalStandard:
    """Store the standard's PDF as a public reference document (kept permanently)."""
    access.require(actor, "catalog.standard.manage")
    doc = documents.store_document(
        actor,
        upload,
        title=str(standard),
        kind="standard",
        owner_jurisdiction=NATIONAL,
        subject=standard,
        retention_class=RetentionClass.REFERENCE,
        is_public=True,
        allowed=("pdf",),
        audience=Audience.AUTHORITY,
    )
    NationalStandard.objects.filter(pk=standard.pk).update(document=doc)
    standard.document = doc
    return standard


# --- A standard's text generated from its record -----------------------------------------------

STANDARD_RENDERER = "catalog.standard"


def standard_pdf(standard: NationalStandard) -> bytes:
    """The standard as recorded (its levels with methods, ratios and eligibility) as a PDF."""
    return pdf.render_pdf(
        "catalog/standards/standard_pdf.html",
        {
            "standard": standard,
            "levels": queries.level_bases(standard),
            "work_types": standard.work_types.all(),
            "is_demo": standard.is_demo,
        },
    )


def render_standard_document(document: Document) -> bytes:
    """The renderer of ``generate_standard_document``'s pending documents (portal.documents)."""
    standard = NationalStandard.objects.select_related("occupation").get(
        pk=document.render_params["standard"]
    )
    return standard_pdf(standard)


@transaction.atomic
def generate_standard_document(actor, standard: NationalStandard) -> Document:
    """Give a standard without a published text (the demo's) a PDF generated from its record,
    public and kept permanently like an uploaded one (Art 7, 21).

    The document is created pending and points from the standard at once; WeasyPrint runs
    after the commit (``render_standard_document``), never while the row is locked.
    """
    access.require(actor, "catalog.standard.manage")
    standard = (
        NationalStandard.objects.select_for_update(of=("self",))
        .select_related("occupation")
        .get(pk=standard.pk)
    )
    doc = documents.create_pending(
        actor,
        renderer=STANDARD_RENDERER,
        params={"standard": standard.pk},
        title=str(standard),
        kind="standard",
        filename=f"standard-{standard.occupation.code}.pdf",
        owner_jurisdiction=NATIONAL,
        subject=standard,
        retention_class=RetentionClass.REFERENCE,
        is_public=True,
    )
    standard.document = doc
    standard.save(update_fields=["document"])
    return doc
