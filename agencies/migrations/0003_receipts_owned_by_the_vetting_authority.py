"""Receipts and commitment letters were stored with the agency as their only owner, so the
officials of the call's jurisdiction could not open a receipt of an applicant not yet filed
with them (404 from their own vetting page). Each such document now names the authority of
the call it belongs to; this fills the rows stored before."""

from django.db import migrations


def name_the_authority(apps, schema_editor):
    Document = apps.get_model("portal", "Document")
    AgencyApplication = apps.get_model("agencies", "AgencyApplication")
    DirectoryEntry = apps.get_model("agencies", "DirectoryEntry")
    for application in AgencyApplication.objects.filter(
        receipt__isnull=False, receipt__owner_jurisdiction=""
    ).select_related("call"):
        Document.objects.filter(pk=application.receipt_id).update(
            owner_jurisdiction=application.call.jurisdiction
        )
    for entry in DirectoryEntry.objects.filter(
        commitment__isnull=False, commitment__owner_jurisdiction=""
    ):
        Document.objects.filter(pk=entry.commitment_id).update(
            owner_jurisdiction=entry.filing_jurisdiction
        )
    # Anything of these kinds left without an authority (no row points at it any more):
    # the authority the agency is filed with, when it has one.
    for doc in Document.objects.filter(
        kind__in=("receipt", "commitment"), owner_jurisdiction="", owner_agency__isnull=False
    ).select_related("owner_agency"):
        if doc.owner_agency.filing_jurisdiction:
            Document.objects.filter(pk=doc.pk).update(
                owner_jurisdiction=doc.owner_agency.filing_jurisdiction
            )


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0002_running_agencies"),
        ("portal", "0008_document_status"),
    ]

    operations = [migrations.RunPython(name_the_authority, migrations.RunPython.noop)]
