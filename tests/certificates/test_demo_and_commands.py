"""The demo step (a final session's certificates, one bilingual) and the two commands."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from certificates.demo import issue_demo_certificates
from certificates.models import Certificate
from tests.certificates.builders import final_session

pytestmark = pytest.mark.django_db


def test_demo_issues_one_bilingual_and_is_idempotent(world):
    session = final_session(world, 3)
    assert issue_demo_certificates(session) == 3
    variants = sorted(Certificate.objects.values_list("variant", flat=True))
    assert variants == ["zh", "zh", "zh-en"]
    assert issue_demo_certificates(session) == 0


def test_issue_command_checks_the_user(world, capsys):
    session = final_session(world, 2)
    with pytest.raises(CommandError):
        call_command("issue_certificates", str(session.pk), "--by", world.gd_official.username)
    assert not Certificate.objects.exists()
    call_command("issue_certificates", str(session.pk), "--by", world.members["staff"].username)
    assert Certificate.objects.count() == 2
    assert "2 certificates issued" in capsys.readouterr().out
    call_command("issue_certificates", str(session.pk), "--by", world.members["staff"].username)
    assert "nothing new" in capsys.readouterr().out


def test_issue_command_prints_the_refusal(world):
    session = final_session(world, 1)
    world.gd_site.site_serial = ""
    world.gd_site.save(update_fields=["site_serial"])
    with pytest.raises(CommandError) as exc:
        call_command("issue_certificates", str(session.pk), "--by", world.members["admin"].username)
    assert "site serial" in str(exc.value) or "站点序号" in str(exc.value)


def test_export_command_names_the_renderer(world, tmp_path):
    session = final_session(world, 1)
    call_command("issue_certificates", str(session.pk), "--by", world.members["admin"].username)
    number = Certificate.objects.get().number
    with pytest.raises(CommandError):
        call_command("export_certificate", "Y123", "--pdf", str(tmp_path / "x.pdf"))
    try:
        import certificates.pdf  # noqa: F401  (built by the PDF piece)
    except ImportError:
        with pytest.raises(CommandError) as exc:
            call_command("export_certificate", number, "--pdf", str(tmp_path / "x.pdf"))
        assert "renderer" in str(exc.value)
    else:
        call_command("export_certificate", number, "--pdf", str(tmp_path / "x.pdf"))
        assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF")
