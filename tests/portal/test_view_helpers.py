"""portal.ui.helpers: load and check an object, service errors on forms, form → service →
redirect, breadcrumbs. The views under test are served by this module's own URLs, through
the whole middleware stack (so anonymous visitors really reach the sign-in page)."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.urls import include, path, reverse

from portal import access
from portal.models import Agency, AgencyMembership, User
from portal.roles import AuthorityRole
from portal.ui.helpers import (
    SignInRequired,
    apply_errors,
    button_action,
    crumbs,
    form_action,
    loads,
    object_for,
    objects_for,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.portal.test_view_helpers")]

SANCTION = "tests.helpers.sanction"
if SANCTION not in access.registered_actions():  # this module is also imported as the urlconf
    access.register_action(
        SANCTION,
        access.national_role(AuthorityRole.MINISTRY_OFFICIAL),
        "a ministry-only action for these tests",
    )


@loads(Agency, SANCTION, kwarg="agency_id", as_="agency", post_action=SANCTION)
def agency_page(request, agency):
    return HttpResponse(f"agency {agency.name}")


@loads(Agency, post_action=SANCTION, as_="agency")
def agency_post(request, agency):
    return HttpResponse(f"{request.method} {agency.pk}")


def direct(request, pk):
    return HttpResponse(object_for(request, Agency, pk=pk).name)


def _own_members(request):
    return AgencyMembership.objects.filter(user=request.user)


@loads(_own_members, as_="membership")
def own_membership(request, membership):
    return HttpResponse(membership.role)


urlpatterns = [
    path("t/agency/<int:agency_id>/", agency_page, name="agency_page"),
    path("t/agency-post/<int:pk>/", agency_post, name="agency_post"),
    path("t/direct/<int:pk>/", direct, name="direct"),
    path("t/membership/<int:pk>/", own_membership, name="own_membership"),
    path("", include("portal.urls")),
]


# --- object_for and @loads --------------------------------------------------------------------


def test_an_object_the_user_may_not_see_is_404(client, world):
    client.force_login(world.gd_official)
    assert client.get(reverse("agency_page", args=[world.hlj_agency.pk])).status_code == 404
    assert client.get(reverse("agency_page", args=[999999])).status_code == 404


def test_a_visible_object_without_the_action_is_403(client, world):
    client.force_login(world.gd_official)  # sees 广东's agency, may not sanction it
    assert client.get(reverse("agency_page", args=[world.gd_agency.pk])).status_code == 403


def test_the_allowed_user_gets_the_object(client, world):
    client.force_login(world.ministry)
    response = client.get(reverse("agency_page", args=[world.gd_agency.pk]))
    assert response.status_code == 200
    assert response.content.decode() == f"agency {world.gd_agency.name}"


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    url = reverse("agency_page", args=[world.gd_agency.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('portal:login')}?next={url}"
    # object_for called by hand raises SignInRequired; the middleware answers the same way.
    url = reverse("direct", args=[world.gd_agency.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('portal:login')}?next={url}"


def test_the_post_action_is_checked_on_post_only(client, world):
    client.force_login(world.gd_official)
    url = reverse("agency_post", args=[world.gd_agency.pk])
    assert client.get(url).content.decode() == f"GET {world.gd_agency.pk}"
    assert client.post(url).status_code == 403
    client.force_login(world.ministry)
    assert client.post(url).content.decode() == f"POST {world.gd_agency.pk}"


def test_a_callable_source_is_the_apps_own_scoped_read(client, world):
    own = AgencyMembership.objects.get(user=world.members["admin"])
    other = AgencyMembership.objects.get(user=world.hlj_admin)
    client.force_login(world.members["admin"])
    assert client.get(reverse("own_membership", args=[own.pk])).content.decode() == "admin"
    assert client.get(reverse("own_membership", args=[other.pk])).status_code == 404


def test_object_for_by_hand(rf, world):
    request = rf.get("/")
    request.user = world.gd_official
    assert object_for(request, Agency.objects.all(), pk=world.gd_agency.pk) == world.gd_agency
    with pytest.raises(Http404):
        object_for(request, Agency, pk=world.hlj_agency.pk)
    with pytest.raises(Http404):
        object_for(request, Agency, pk="not a number")
    with pytest.raises(PermissionDenied):
        object_for(request, Agency, SANCTION, pk=world.gd_agency.pk)
    assert list(objects_for(request, Agency.objects)) == [world.gd_agency]
    request.user = AnonymousUser()
    with pytest.raises(SignInRequired):
        object_for(request, Agency, pk=world.gd_agency.pk)


def test_loaded_views_declare_their_access_policy():
    assert agency_page.access_policy == f"object:{SANCTION}"
    assert own_membership.access_policy == "object:visible"


# --- apply_errors ------------------------------------------------------------------------------


class NameForm(forms.Form):
    name = forms.CharField()
    phone = forms.CharField(required=False)


def _valid_form() -> NameForm:
    form = NameForm({"name": "甲", "phone": "1"})
    assert form.is_valid()
    return form


def test_apply_errors_puts_each_error_on_its_field():
    form = _valid_form()
    apply_errors(
        form,
        ValidationError({"name": "名称已被使用。", "uscc": "统一社会信用代码有误。"}),
    )
    assert form.errors["name"] == ["名称已被使用。"]
    assert form.non_field_errors() == ["统一社会信用代码有误。"]  # no such field: above the form
    assert "phone" not in form.errors


def test_apply_errors_puts_a_plain_error_above_the_form_and_renames():
    form = _valid_form()
    apply_errors(form, ValidationError("已截止。"))
    assert form.non_field_errors() == ["已截止。"]
    form = _valid_form()
    apply_errors(
        form, ValidationError({"contact_phone": "号码有误。"}), rename={"contact_phone": "phone"}
    )
    assert form.errors["phone"] == ["号码有误。"]


# --- form_action and button_action ------------------------------------------------------------


def _post(rf, data=None):
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = rf.post("/", data or {})
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_form_action_runs_the_service_and_redirects_with_a_message(rf):
    request = _post(rf, {"name": "甲"})
    done = form_action(
        request,
        NameForm(request.POST),
        lambda data: len(data["name"] * 2),
        success_url=lambda result: f"/done/{result}/",
        message=lambda result: f"已保存：{result}",
    )
    assert done.status_code == 302 and done["Location"] == "/done/2/"
    assert [str(m) for m in get_messages(request)] == ["已保存：2"]


def test_form_action_puts_the_refusal_on_the_form(rf):
    request = _post(rf, {"name": "甲"})
    form = NameForm(request.POST)

    def refuse(data):
        raise ValidationError({"name": "名称已被使用。"})

    assert form_action(request, form, refuse, success_url="/done/", message="x") is None
    assert form.errors["name"] == ["名称已被使用。"]
    assert list(get_messages(request)) == []


def test_form_action_does_nothing_on_get_or_an_invalid_form(rf):
    called = []
    request = rf.get("/")
    assert form_action(request, NameForm(), called.append, success_url="/") is None
    request = _post(rf, {})
    form = NameForm(request.POST)
    assert form_action(request, form, called.append, success_url="/") is None
    assert called == [] and "name" in form.errors


def test_button_action_shows_a_refusal_as_errors(rf):
    request = _post(rf)

    def refuse():
        raise ValidationError(["已撤回。", "无法再次撤回。"])

    done = button_action(request, refuse, success_url="/ok/", failure_url="/back/")
    assert done["Location"] == "/back/"
    assert [str(m) for m in get_messages(request)] == ["已撤回。", "无法再次撤回。"]
    request = _post(rf)
    done = button_action(request, lambda: 7, success_url="/ok/", message="已发布。")
    assert done["Location"] == "/ok/"
    assert [str(m) for m in get_messages(request)] == ["已发布。"]


# --- crumbs ------------------------------------------------------------------------------------


def test_crumbs_start_from_the_workspace():
    assert crumbs(("征集公告", "/calls/"), "草稿") == [
        ("工作台", reverse("portal:dashboard")),
        ("征集公告", "/calls/"),
        ("草稿", ""),
    ]
    assert crumbs("公示公告", root=None) == [("公示公告", "")]


def test_portal_pages_use_the_helpers(client, world):
    """The account pages load through @loads: out of jurisdiction 404, own account 403."""
    gd_expert = world.expert2
    client.force_login(world.hlj_official)
    assert client.get(reverse("accounts:detail", args=[gd_expert.pk])).status_code == 404
    client.force_login(world.gd_official)
    page = client.get(reverse("accounts:detail", args=[gd_expert.pk]))
    assert page.status_code == 200
    assert page.context["breadcrumbs"] == [
        ("账号管理", reverse("accounts:list")),
        (gd_expert.display_name, ""),
    ]
    own = reverse("accounts:deactivate", args=[world.gd_official.pk])
    assert client.post(own).status_code == 403
    assert User.objects.get(pk=world.gd_official.pk).is_active
