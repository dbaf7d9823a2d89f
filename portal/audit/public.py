"""The public page of the audit checkpoints: head digests only, so anyone can keep copies.

Each signed checkpoint (``portal.audit.checkpoints``) lists every chain's partition, last
sequence number and head MAC, and nothing of any entry; with the public key shown here anyone
can check a copy's signature, and a later rewrite of the trail contradicts the copies they kept.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render

from portal.audit import checkpoints


def checkpoint_list(request):
    page = Paginator(checkpoints.names(), 50).get_page(request.GET.get("page"))
    rows = []
    for name in page.object_list:
        path = checkpoints.path_of(name)
        try:
            rows.append({"name": name, "checkpoint": checkpoints.load(path), "problem": ""})
        except (checkpoints.CheckpointInvalid, TypeError) as exc:
            rows.append({"name": name, "checkpoint": None, "problem": str(exc)})
    latest, _invalid = checkpoints.latest_valid()
    signing = checkpoints.signing_key().public_key()
    return render(
        request,
        "portal/audit_checkpoints.html",
        {
            "page": page,
            "rows": rows,
            "latest": latest,
            "public_key": checkpoints.public_key_text(signing),
            "public_key_pem": checkpoints.public_key_pem(signing),
            "key_id": checkpoints.key_id_of(signing),
            "retired": [
                {"key_id": checkpoints.key_id_of(k), "text": checkpoints.public_key_text(k)}
                for k in checkpoints.retired_keys()
            ],
        },
    )


def checkpoint_download(request, name: str):
    path = checkpoints.path_of(name)
    if path is None:
        raise Http404
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=name, content_type="application/json"
    )
