"""``manage.py verify_draw PLAN_ID`` or ``--all``: re-run published draws (Art 25; decision 0055).

For every drawn plan (drawn or closed) the draw is re-run from the stored snapshot text and
seed, the snapshot's SHA-256 is compared with the sealed digest, the secret's with the digest
published at sealing, and the seed recomputed from (algorithm, sealed digest, secret, public
numbers), all through ``supervision.verification.verify_plan`` (the public verify page's
check). One line per plan: ``ok`` or what differs. Exit status: 0 all ok, 1 any mismatch,
2 a bad argument (no such plan, a plan not drawn, neither or both of PLAN_ID and --all).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from supervision.models import SpotCheckPlan
from supervision.verification import DRAWN_STATES, verify_plan

FIELDS = (
    "pk",
    "state",
    "algorithm_version",
    "snapshot",
    "sealed_digest",
    "secret",
    "secret_digest",
    "public_numbers",
    "seed",
    "result",
)


class Command(BaseCommand):
    help = (
        "Re-run the draw of a spot-check plan (or of every drawn plan with --all) from its "
        "published snapshot, secret and numbers; exit 1 on any mismatch."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("plan_id", nargs="?", help="the plan's number")
        parser.add_argument("--all", action="store_true", help="every drawn plan")

    def handle(self, *args, **options) -> None:
        plan_id, every = options.get("plan_id"), options.get("all")
        if bool(plan_id) == bool(every):
            raise CommandError("give one PLAN_ID or --all", returncode=2)
        plans = SpotCheckPlan.objects.only(*FIELDS).order_by("pk")
        if every:
            plans = plans.filter(state__in=DRAWN_STATES)
        else:
            if not str(plan_id).isdigit():
                raise CommandError(f"not a plan number: {plan_id}", returncode=2)
            plan = plans.filter(pk=int(plan_id)).first()
            if plan is None:
                raise CommandError(f"no plan {plan_id}", returncode=2)
            if plan.state not in DRAWN_STATES:
                raise CommandError(f"plan {plan_id} has not been drawn", returncode=2)
            plans = [plan]
        bad = checked = 0
        with translation.override("en"):
            for plan in plans.iterator(chunk_size=20) if every else plans:
                checked += 1
                outcome = verify_plan(plan)
                if outcome.ok:
                    count = len(outcome.result["objects"])
                    self.stdout.write(f"plan {plan.pk}: ok ({count} objects, seed {plan.seed})")
                else:
                    bad += 1
                    self.stdout.write(f"plan {plan.pk}: MISMATCH: {' '.join(outcome.messages)}")
        if every and not checked:
            self.stdout.write("no drawn plan")
        if bad:
            raise CommandError(f"{bad} of {checked} plan(s) do not verify", returncode=1)
