"""One slug rule for sections, authors and tags: Vietnamese, unique, cut to the field."""

import pytest

from articles.models import RESERVED_SLUGS, Author, Section, Tag

pytestmark = pytest.mark.django_db

MODELS = [Section, Author, Tag]


def create(model, name, **kw):
    if model is Section:
        kw.setdefault("position", 1)
    return model.objects.create(name=name, **kw)


def field_length(model) -> int:
    return model._meta.get_field("slug").max_length


@pytest.mark.parametrize("model", MODELS)
def test_names_that_slug_alike_get_distinct_slugs(model):
    first = create(model, "Thời sự")
    second = create(model, "Thoi su")
    third = create(model, "THỜI SỰ!")

    assert [first.slug, second.slug, third.slug] == ["thoi-su", "thoi-su-2", "thoi-su-3"]


def test_a_section_named_like_another_passes_the_admin_checks():
    create(Section, "Đời sống")
    section = Section(name="Doi song", position=2)

    section.full_clean()  # the slug left empty is derived, free, before uniqueness is checked
    assert section.slug == "doi-song-2"


@pytest.mark.parametrize("model", MODELS)
def test_d_with_stroke_becomes_d(model):
    assert create(model, "Đặng Đức Độ").slug == "dang-duc-do"


def longest_name(model, words: str) -> str:
    """``words`` repeated, then a last word: as long as the model's name field allows."""
    length = model._meta.get_field("name").max_length
    times = (length - 1) // len(words)
    return words * times + "x" * (length - times * len(words))


@pytest.mark.parametrize("model", MODELS)
def test_a_name_as_long_as_allowed_fills_the_slug_field(model):
    first = create(model, longest_name(model, "Đồng Tháp "))
    second = create(model, longest_name(model, "Dong Thap "))  # the same slug again

    assert len(first.slug) == field_length(model)
    assert first.slug.startswith("dong-thap-dong-thap-") and first.slug.endswith("-thap-xxxxxxxxxx")
    # The number takes the place of the last word, and the slug still fits.
    assert second.slug == first.slug.removesuffix("-xxxxxxxxxx") + "-2"


@pytest.mark.parametrize("model", MODELS)
def test_a_single_word_as_long_as_allowed_is_cut_for_its_number(model):
    length = model._meta.get_field("name").max_length
    assert create(model, "a" * length).slug == "a" * field_length(model)
    assert create(model, "A" * length).slug == "a" * (field_length(model) - 2) + "-2"


@pytest.mark.parametrize("model", MODELS)
def test_a_given_slug_stays_and_a_name_without_letters_has_a_fallback(model):
    assert create(model, "Kinh tế", slug="kinh-te-dia-phuong").slug == "kinh-te-dia-phuong"
    assert create(model, "!!!").slug  # never empty
    assert create(model, "???").slug != create(model, "...").slug


def test_a_section_never_takes_an_address_the_site_uses():
    # Saved without the admin's checks (a script, the shell): still not /tim-kiem/.
    assert create(Section, "Tìm kiếm").slug == "tim-kiem-2"
    assert create(Section, "Admin").slug == "admin-2"
    assert {s.slug for s in Section.objects.all()}.isdisjoint(RESERVED_SLUGS)


@pytest.mark.parametrize("model", [Author, Tag])
def test_authors_and_tags_live_under_their_own_prefix_and_may_take_any_word(model):
    assert create(model, "Tìm kiếm").slug == "tim-kiem"
