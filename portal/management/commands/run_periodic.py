"""python manage.py run_periodic: run every due periodic job now (no beat needed)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from portal.jobs import periodic


class Command(BaseCommand):
    help = "Run the periodic jobs that are due (or --all, or --job NAME), recording each run."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--all", action="store_true", help="run every job, due or not")
        parser.add_argument("--job", action="append", default=[], help="run only this job")
        parser.add_argument("--list", action="store_true", help="list the jobs and exit")

    def handle(self, *args, **options) -> None:
        jobs = periodic.jobs()
        if options["list"]:
            for name, job in jobs.items():
                due = "due" if periodic.is_due(job) else "not due"
                self.stdout.write(f"{name}\t{due}\t{job.description}")
            return
        unknown = [j for j in options["job"] if j not in jobs]
        if unknown:
            raise CommandError(f"unknown job(s): {', '.join(unknown)}")
        if options["job"]:
            results = {name: periodic.run(name) for name in options["job"]}
        else:
            results = periodic.run_due(force=options["all"])
        for name, ok in results.items():
            self.stdout.write(f"{name}: {'ok' if ok else 'FAILED'}")
        if not results:
            self.stdout.write("No job is due.")
        if not all(results.values()):
            raise CommandError("some periodic jobs failed")
