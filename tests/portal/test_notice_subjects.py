"""A notice's subject is read through a typed API, never by splitting its stored key."""

from __future__ import annotations

import pytest
from django.db import transaction

from portal import notices
from portal.models import Agency, User
from portal.notices import PublicNotice, SubjectRef


def test_the_stored_key_keeps_its_format_and_reads_back_typed():
    ref = SubjectRef.parse("agencies.agencyapplication:42")
    assert ref == SubjectRef("agencies.agencyapplication", 42)
    assert str(ref) == "agencies.agencyapplication:42"
    notice = PublicNotice(subject="agencies.changerequest:7")
    assert notice.subject_ref == SubjectRef("agencies.changerequest", 7)


@pytest.mark.parametrize("key", ["", "42", "agencies:42", "agencies.application:", "a.b:x1"])
def test_a_malformed_key_is_refused(key):
    with pytest.raises(ValueError):
        SubjectRef.parse(key)


@pytest.mark.django_db
def test_subject_object_loads_the_subject_through_a_model_or_a_locking_queryset():
    user = User.objects.create_user(username="subject", password="x")
    notice = PublicNotice(subject=notices.subject_key(user))
    assert notice.subject == f"portal.user:{user.pk}"
    assert notices.subject_object(notice, User) == user
    with transaction.atomic():
        assert notices.subject_object(notice, User.objects.select_for_update()) == user


@pytest.mark.django_db
def test_subject_object_refuses_a_notice_about_another_model():
    user = User.objects.create_user(username="subject", password="x")
    notice = PublicNotice(subject=notices.subject_key(user))
    with pytest.raises(ValueError):
        notices.subject_object(notice, Agency)
    notice.subject = "portal.user:999999"
    with pytest.raises(User.DoesNotExist):
        notices.subject_object(notice, User)
