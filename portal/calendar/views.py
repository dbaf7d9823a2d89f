"""Pages of the working-day calendar: officials read it, national officials keep it."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import calendar as services
from portal.calendar.forms import CalendarDayForm
from portal.models import CalendarDay


def calendar(request):
    days = CalendarDay.objects.all()
    year = request.GET.get("year", "")
    if len(year) == 4 and year.isascii() and year.isdigit():  # not "²", not year 99999
        days = days.filter(date__year=int(year))
    page = Paginator(days, 50).get_page(request.GET.get("page"))
    from portal.access import can

    form = None
    if can(request.user, "portal.calendar.change"):
        form = CalendarDayForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.add_calendar_day(request.user, **form.cleaned_data)
            messages.success(request, _("The calendar has been updated."))
            return redirect("portal:calendar")
    return render(request, "portal/calendar.html", {"page": page, "form": form, "year": year})


@require_POST
def calendar_remove(request, pk: int):
    day = get_object_or_404(CalendarDay, pk=pk)
    services.remove_calendar_day(request.user, day)
    messages.success(request, _("The calendar has been updated."))
    return redirect("portal:calendar")
