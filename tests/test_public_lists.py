"""Public lists help a visitor on: an empty search says what to try, the catalogue's marker
column has a legend, and a filter value that does not validate is ignored with one note
instead of raw form errors (issue 11, "Wording")."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("catalog:occupations")
NOTICES = reverse("notices:list")
NOTE = "部分筛选条件的取值无法识别，已忽略："


def text(response) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    assert response.status_code == 200
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def links(response) -> list[str]:
    found = re.findall(r'href="(/catalog/occupations/[^"]+/)"', response.content.decode())
    assert found
    return found


def raw_errors(response) -> list[str]:
    return re.findall(r'<p class="error"[^>]*>(.*?)</p>', response.content.decode())


def test_an_empty_catalogue_search_says_what_to_try(client):
    response = client.get(CATALOGUE, {"q": "没有这种职业"})
    page = text(response)
    assert "没有符合条件的职业。" in page
    assert "可尝试输入更短的代码前缀（如 6-31）" in page and "如“电工”" in page
    assert f'href="{CATALOGUE}"' in response.content.decode()  # "show all"


def test_a_search_with_results_has_no_hint(client):
    page = text(client.get(CATALOGUE, {"q": "电工"}))
    assert "可尝试" not in page


def test_the_marker_column_has_a_legend(client):
    page = text(client.get(CATALOGUE))
    assert re.search(r"标识：\s*S\s*数字职业\s*L\s*绿色职业", page)


def test_the_officials_catalogue_has_the_legend_too(client, world):
    client.force_login(world.osta_national)
    page = text(client.get(reverse("catalog:manage_occupations")))
    assert "S 数字职业" in page and "L 绿色职业" in page


@pytest.mark.parametrize(
    ("params", "ignored"),
    [
        ({"marker": "X"}, "标识"),
        ({"major_category": "99"}, "大类"),
        ({"has_standard": "maybe"}, "国家职业技能标准"),
        ({"q": "电" * 41}, "编码或名称"),
        ({"q": "电工\x00"}, "编码或名称"),
    ],
)
def test_a_bad_catalogue_filter_is_ignored_with_a_note(client, params, ignored):
    response = client.get(CATALOGUE, {**params, "page": "1"})
    page = text(response)
    assert NOTE in page and ignored in page.split(NOTE, 1)[1][:40]
    assert raw_errors(response) == []
    assert links(response) == links(client.get(CATALOGUE))  # the list is shown, unfiltered


def test_the_other_filters_still_apply(client):
    response = client.get(CATALOGUE, {"q": "电工", "marker": "Z"})
    body = response.content.decode()
    assert NOTE in text(response) and raw_errors(response) == []
    assert "/6-31-01-03/" in body and "/6-18-02-04/" not in body  # q=电工 applied
    assert 'value="电工"' in body  # the valid value stays in the form


def test_valid_filters_show_no_note(client):
    page = text(client.get(CATALOGUE, {"q": "电工", "marker": "S"}))
    assert NOTE not in page


def test_an_empty_notice_list_says_where_to_look(client):
    response = client.get(NOTICES)
    page = text(response)
    assert "目前没有正在公示的事项。" in page
    assert "已提交的异议可凭查询码查询处理情况" in page
    body = response.content.decode()
    assert f'href="{NOTICES}?show=closed"' in body and reverse("notices:track") in body
    ended = client.get(NOTICES, {"show": "closed"})
    assert "查看公示中的事项" in text(ended)
