"""portal.slots: a page shows what other apps register for it, in order, escaped unless safe;
a failing provider is left out in production and raises in tests."""

from __future__ import annotations

import copy
import logging

import pytest
from django.template import Context, Template
from django.utils.html import format_html

from portal import slots

SLOT = "tests.slot"


def _page(request, obj, slot=SLOT) -> str:
    template = Template("{% load portal_tags %}<p>{% slot name obj %}</p>")
    return template.render(Context({"request": request, "obj": obj, "name": slot}))


@pytest.fixture
def registered():
    added = []

    def add(provider, **kwargs):
        slots.register(SLOT, provider, **kwargs)
        added.append(provider)
        return provider

    yield add
    for provider in added:
        slots.unregister(SLOT, provider)


def test_a_slot_nobody_fills_renders_nothing(rf):
    assert _page(rf.get("/"), None, slot="tests.nobody") == "<p></p>"


def test_providers_render_in_order_escaped_unless_safe(rf, registered):
    def second(request, obj):
        return format_html("<b>{}</b>", obj)

    def first(request, obj):
        return f"<i>{obj}</i>"

    registered(second, order=20)
    registered(first, order=10)
    registered(lambda request, obj: None)  # nothing to say about this object
    assert _page(rf.get("/"), "电工") == "<p>&lt;i&gt;电工&lt;/i&gt;\n<b>电工</b></p>"
    assert slots.providers(SLOT)[:2] == [first, second]


def test_registering_a_provider_again_replaces_it(rf, registered):
    def provider(request, obj):
        return "一次"

    registered(provider)
    registered(provider, order=5)
    assert _page(rf.get("/"), None) == "<p>一次</p>"


def test_a_provider_may_give_a_template_and_its_context(rf, registered, settings, tmp_path):
    (tmp_path / "slot.html").write_text(
        "{{ obj }}：{{ agencies|join:'、' }}（{{ request.path }}）", encoding="utf-8"
    )
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates
    registered(lambda request, obj: {"agencies": ["甲", "乙"]}, template="slot.html")
    registered(lambda request, obj: None, template="slot.html")  # None: nothing
    assert _page(rf.get("/occupations/"), "电工") == "<p>电工：甲、乙（/occupations/）</p>"


def test_a_failing_provider_raises_in_tests(rf, registered):
    def broken(request, obj):
        raise RuntimeError("boom")

    registered(broken)
    with pytest.raises(RuntimeError):
        _page(rf.get("/"), None)


def test_a_failing_provider_is_logged_and_left_out_in_production(rf, registered, settings, caplog):
    settings.DEBUG = False
    settings.DJANGO_ENV = "production"

    def broken(request, obj):
        raise RuntimeError("boom")

    registered(broken, order=1)
    registered(lambda request, obj: "仍然显示", order=2)
    with caplog.at_level(logging.ERROR, logger="portal.slots"):
        assert _page(rf.get("/"), None) == "<p>仍然显示</p>"
    assert "tests.slot" in caplog.text and "boom" in caplog.text
