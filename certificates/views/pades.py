"""The root certificate of the portal's PDF signing CA, open to anyone (issue 16; decision 0045):
a verifier adds it as a trust anchor in their PDF reader (or passes it to pyHanko), then every
electronic certificate PDF shows as signed by the portal and unchanged."""

from __future__ import annotations

from django.http import HttpResponse

from certificates import pades


def pdf_ca(request):
    response = HttpResponse(pades.root_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'inline; filename="pdf-ca.pem"'
    response["Cache-Control"] = "public, max-age=3600"
    return response
