"""Bulk verification: ≥ 2,000 items a second in one process (issue 18; decision 0051).

Over 4,000 issued certificates: 2,000 items (half name + ID number through the blind index,
half name + certificate number, one in ten a miss) answered by ``lookup.find_many`` in chunks
of 1,000, and through the API view (``POST /api/v1/certificates/verify``, 1,000 items a call,
Django's test client: token check, quota, lookup, answers, audit entry), beside the same
2,000 items as single ``lookup.find`` calls in the same run. Budget: 2,000 items a second
for find_many and for the API (1 s for 2,000).
"""

from __future__ import annotations

import json
import time

from bench.timing import Result

ISSUED = 4_000
ITEMS = 2_000
CALL = 1_000


def run() -> list[Result]:
    from django.test import Client

    from certificates.models import Certificate
    from certificates.services import issue_certificates
    from certificates.services.lookup import Query, find, find_many
    from tests.certificates.builders import add_results, final_session
    from tests.certificates.verifier_helpers import approved_org, token_of
    from tests.portal.builders import seed_world, world_view

    world = world_view(seed_world())
    start = time.perf_counter()
    session = final_session(world, 0, failed=0, capacity=ISSUED)
    add_results(world, session, ISSUED)
    issue_certificates(world.members["admin"], [session])
    print(f"  set-up: {ISSUED} certificates issued in {time.perf_counter() - start:.0f} s")

    certs = list(Certificate.objects.order_by("pk")[:ITEMS])
    items = []
    for i, cert in enumerate(certs):
        miss = i % 10 == 9
        name = "查无此人" if miss else cert.holder_name
        if i % 2:
            items.append({"reference": str(i), "name": name, "number": cert.number})
        else:
            items.append({"reference": str(i), "name": name, "id_number": cert.id_number})
    queries = [
        Query(name=it["name"], number=it.get("number", ""), id_number=it.get("id_number", ""))
        for it in items
    ]

    start = time.perf_counter()
    single = [find(q) for q in queries]
    single_ms = (time.perf_counter() - start) * 1000

    start = time.perf_counter()
    many = []
    for at in range(0, ITEMS, CALL):
        many += find_many(queries[at : at + CALL])
    many_ms = (time.perf_counter() - start) * 1000
    assert [len(a) for a in many] == [len(a) for a in single]
    found = sum(1 for a in many if a)

    org, admin = approved_org(world)
    _token, secret = token_of(org, admin, quota=10**7)
    client = Client()
    auth = {"Authorization": f"Bearer {secret}"}
    start = time.perf_counter()
    answered = 0
    for at in range(0, ITEMS, CALL):
        body = json.dumps({"items": items[at : at + CALL]})
        response = client.post(
            "/api/v1/certificates/verify", body, content_type="application/json", headers=auth
        )
        assert response.status_code == 200, response.content[:200]
        answered += sum(1 for a in response.json()["items"] if a["found"])
    api_ms = (time.perf_counter() - start) * 1000
    assert answered == found, (answered, found)

    def rate(ms: float) -> float:
        return ITEMS / (ms / 1000)

    print(
        f"  {ITEMS} items, {found} found · single find {single_ms:7.0f} ms "
        f"({rate(single_ms):,.0f}/s) · find_many {many_ms:7.0f} ms ({rate(many_ms):,.0f}/s, "
        f"{single_ms / many_ms:.1f}× the singles) · API {api_ms:7.0f} ms "
        f"({rate(api_ms):,.0f}/s, {single_ms / api_ms:.1f}× the singles)"
    )
    budget = ITEMS / 2000 * 1000
    return [
        Result(f"bulk verify: find_many, {ITEMS} items (≥ 2,000/s)", [many_ms], budget),
        Result(f"bulk verify: API view, {ITEMS} items (≥ 2,000/s)", [api_ms], budget),
    ]
