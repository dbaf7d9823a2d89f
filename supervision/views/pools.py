"""Pages of the check-item list, the inspector pool, the external supervisors' pool and the
inspection-object pool (Art 25, 26). Thin: everything goes through
``supervision.services.pools`` and ``supervision.queries.pools``; the two pools share their
views, told apart by the ``pool`` keyword their URLs pass."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import codes
from portal.models import Province
from portal.roles import NATIONAL
from portal.ui.confirm import confirm_page, is_confirmed
from portal.ui.helpers import button_action, crumbs, form_action, object_for
from supervision.forms import pools as forms
from supervision.models import CheckItem
from supervision.queries import pools as queries
from supervision.services import pools as services
from supervision.services.pools import POOLS, ItemInput, MemberInput

# --- The check-item list -------------------------------------------------------------------------


def _items_crumb() -> tuple[str, str]:
    return (_("Check-item list"), reverse("supervision:check_items"))


def _item(request, pk: int) -> CheckItem:
    return object_for(request, lambda r: queries.check_items_for(r.user), pk=pk)


def check_items(request):
    """The list of the official's jurisdiction, retired items last."""
    rows = queries.check_items_for(request.user).order_by("-active", "code")
    context = {
        "items": rows,
        "jurisdiction": request.user.jurisdiction,
        "breadcrumbs": crumbs(_("Check-item list")),
    }
    return render(request, "supervision/pools/check_items.html", context)


def check_item_add(request):
    form = forms.CheckItemForm(request.POST or None)
    done = form_action(
        request,
        form,
        lambda data: services.add_check_item(request.user, ItemInput(**data)),
        success_url=reverse("supervision:check_items"),
        message=_("The item has been added to the list."),
    )
    if done:
        return done
    context = {"form": form, "breadcrumbs": crumbs(_items_crumb(), _("Add a check item"))}
    return render(request, "supervision/pools/check_item_form.html", context)


def check_item_edit(request, pk: int):
    item = _item(request, pk)
    initial = {f: getattr(item, f) for f in ("code", "title", "legal_basis", "method", "records")}
    form = forms.CheckItemForm(request.POST or None, initial=initial)
    done = form_action(
        request,
        form,
        lambda data: services.update_check_item(request.user, item, ItemInput(**data)),
        success_url=reverse("supervision:check_items"),
        message=_("The item has been saved."),
    )
    if done:
        return done
    context = {
        "form": form,
        "item": item,
        "refusal": services.edit_item_refusal(item, request.user),
        "breadcrumbs": crumbs(_items_crumb(), item.code),
    }
    return render(request, "supervision/pools/check_item_form.html", context)


@require_POST
def check_item_retire(request, pk: int):
    item = _item(request, pk)
    return button_action(
        request,
        lambda: services.set_check_item_active(request.user, item, active=False),
        success_url=reverse("supervision:check_items"),
        message=_("The item has been retired; plans that used it keep it."),
    )


@require_POST
def check_item_reinstate(request, pk: int):
    item = _item(request, pk)
    return button_action(
        request,
        lambda: services.set_check_item_active(request.user, item, active=True),
        success_url=reverse("supervision:check_items"),
        message=_("The item is in use again."),
    )


def public_check_items(request, jurisdiction: str):
    """The published list of a jurisdiction (part of its published plans, Art 25)."""
    if jurisdiction == NATIONAL:
        name = _("National")
    elif codes.is_valid_province_code(jurisdiction):
        province = Province.objects.filter(code=jurisdiction).first()
        if province is None:
            raise Http404
        name = province.name
    else:
        raise Http404
    context = {
        "items": queries.active_check_items(jurisdiction),
        "name": name,
        "breadcrumbs": crumbs(_("Check-item list"), root=None),
    }
    return render(request, "supervision/pools/public_check_items.html", context)


# --- The two pools -------------------------------------------------------------------------------


def _home(pool) -> tuple[str, str]:
    return (str(pool.title), reverse(pool.list_url))


def _entry(request, pool, pk: int):
    return object_for(request, lambda r: queries.members_for(r.user, pool), pk=pk)


def _entry_url(pool, entry) -> str:
    return reverse(pool.entry_url, args=[entry.pk])


def members(request, pool: str):
    pool = POOLS[pool]
    form = forms.MemberSearchForm(request.GET or None)
    text = form.cleaned_data.get("q", "") if form.is_valid() else ""
    rows = queries.search_members(queries.members_for(request.user, pool), text)
    context = {
        "pool": pool,
        "form": form,
        "q": text,
        "page": Paginator(rows, 50).get_page(request.GET.get("page")),
        "breadcrumbs": crumbs(str(pool.title)),
    }
    return render(request, "supervision/pools/members.html", context)


def member_add(request, pool: str):
    pool = POOLS[pool]
    form = forms.NewMemberForm(request.POST or None)

    def add(data):
        username = data.pop("username")
        return services.add_member(request.user, pool, username, MemberInput(**data))

    done = form_action(
        request,
        form,
        add,
        success_url=lambda entry: _entry_url(pool, entry),
        message=_("The entry has been added to the pool."),
    )
    if done:
        return done
    context = {
        "pool": pool,
        "form": form,
        "breadcrumbs": crumbs(_home(pool), _("Add to the pool")),
    }
    return render(request, "supervision/pools/member_form.html", context)


def _member_page(request, pool, entry, conflict_form=None, status=200):
    context = {
        "pool": pool,
        "entry": entry,
        "conflicts": queries.conflicts_of(pool, entry),
        "conflict_form": conflict_form or forms.ConflictForm(),
        "breadcrumbs": crumbs(_home(pool), str(entry)),
    }
    return render(request, "supervision/pools/member.html", context, status=status)


def member(request, pool: str, pk: int):
    pool = POOLS[pool]
    return _member_page(request, pool, _entry(request, pool, pk))


def member_edit(request, pool: str, pk: int):
    pool = POOLS[pool]
    entry = _entry(request, pool, pk)
    initial = {f: getattr(entry, f) for f in ("organisation", "specialities", "capacity")}
    form = forms.MemberForm(request.POST or None, initial=initial)
    done = form_action(
        request,
        form,
        lambda data: services.update_member(request.user, pool, entry, MemberInput(**data)),
        success_url=_entry_url(pool, entry),
        message=_("The entry has been saved."),
    )
    if done:
        return done
    context = {
        "pool": pool,
        "entry": entry,
        "form": form,
        "breadcrumbs": crumbs(_home(pool), (str(entry), _entry_url(pool, entry)), _("Edit")),
    }
    return render(request, "supervision/pools/member_form.html", context)


@require_POST
def member_active(request, pool: str, pk: int):
    pool = POOLS[pool]
    entry = _entry(request, pool, pk)
    active = request.POST.get("active") == "1"
    if not active and not is_confirmed(request):
        return confirm_page(
            request,
            title=_("Take this person out of the pool?"),
            subject=str(entry),
            points=[
                _("Plans sealed from now on will not include them."),
                _("Plans already sealed or drawn keep them as they were sealed."),
                _("You can make the entry active again at any time."),
            ],
            confirm_label=_("Take out of the pool"),
            back_url=_entry_url(pool, entry),
        )
    return button_action(
        request,
        lambda: services.set_member_active(request.user, pool, entry, active=active),
        success_url=_entry_url(pool, entry),
        message=_("The entry is active again.") if active else _("The entry is inactive."),
    )


@require_POST
def conflict_add(request, pool: str, pk: int):
    pool = POOLS[pool]
    entry = _entry(request, pool, pk)
    form = forms.ConflictForm(request.POST)
    done = form_action(
        request,
        form,
        lambda data: services.add_conflict(request.user, pool, entry, **data),
        success_url=_entry_url(pool, entry),
        message=_("The conflict of interest has been recorded."),
    )
    return done or _member_page(request, pool, entry, form, status=200)


@require_POST
def conflict_remove(request, pool: str, pk: int, tag: int):
    pool = POOLS[pool]
    entry = _entry(request, pool, pk)
    row = get_object_or_404(queries.conflicts_of(pool, entry), pk=tag)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=_("Remove this conflict of interest?"),
            subject=f"{entry} · {row.agency.name}",
            points=[
                _("Plans sealed from now on may send this person to %(agency)s.")
                % {"agency": row.agency.name},
                _("Plans already sealed keep the avoidance they were sealed with."),
            ],
            confirm_label=_("Remove"),
            back_url=_entry_url(pool, entry),
        )
    return button_action(
        request,
        lambda: services.remove_conflict(request.user, pool, entry, row),
        success_url=_entry_url(pool, entry),
        message=_("The conflict of interest has been removed."),
    )


# --- The inspection-object pool ------------------------------------------------------------------


def objects(request):
    """The listed agencies of the official's jurisdiction with their computed tier and the
    facts behind it (decision 0057)."""
    form = forms.ObjectPoolForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = queries.object_pool(
        request.user,
        text=data.get("q") or "",
        tier=data.get("tier"),
        page=request.GET.get("page") or 1,
    )
    context = {
        "form": form,
        "page": page,
        "facts": queries.fact_weights(),
        "breadcrumbs": crumbs(_("Inspection-object pool")),
    }
    return render(request, "supervision/pools/objects.html", context)
