"""Vietnamese name order: given name first, Vietnamese alphabet, tones after the base letter."""

import unicodedata
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from lms.collation import name_sort_key, sorted_by_name


def in_order(*names: str) -> bool:
    keys = [name_sort_key(name) for name in names]
    return all(a < b for a, b in zip(keys, keys[1:], strict=False))


def test_d_with_stroke_comes_after_d_and_before_e():
    assert in_order("Dung", "Đạt", "Em")
    assert in_order("Lê Dung", "Lê Đông", "Lê Em")
    assert in_order("Dũng", "Đa")


def test_modified_letters_follow_their_base_letter():
    assert in_order("An", "Ân", "Bình")
    assert in_order("An", "Ăn", "Ân", "Bé")
    assert in_order("Ong", "Ông", "Ơn", "Phong")
    assert in_order("Uyên", "Ưng", "Vân")
    assert in_order("Em", "Êm", "Giang")


def test_tones_after_the_base_letters_in_dictionary_order():
    # ngang, huyền, hỏi, ngã, sắc, nặng
    assert in_order("Ha", "Hà", "Hả", "Hã", "Há", "Hạ")
    # Letters decide before tones: every "An" spelling comes before "Anh".
    assert in_order("An", "Án", "Anh", "Ánh")
    assert in_order("Thủy", "Thúy", "Thy")


def test_given_name_first_then_family_and_middle_names():
    assert in_order("Nguyễn Văn An", "Trần Thị Bình")
    assert in_order("Trần Văn An", "Nguyễn Thị Bình")
    # Same given name: the family name, then the middle name, decides.
    assert in_order("Lê Văn Hùng", "Nguyễn Văn Hùng", "Trần Văn Hùng")
    assert in_order("Nguyễn Thị Hoa", "Nguyễn Văn Hoa")
    assert in_order("Bình", "Nguyễn Bình")


def test_case_and_unicode_normalisation_do_not_matter():
    nfd = unicodedata.normalize("NFD", "Đỗ Thị Ánh")
    assert nfd != "Đỗ Thị Ánh"
    assert name_sort_key(nfd)[:3] == name_sort_key("Đỗ Thị Ánh")[:3]
    assert name_sort_key(nfd) == name_sort_key(unicodedata.normalize("NFC", nfd))
    assert name_sort_key("ĐỖ THỊ ÁNH")[:3] == name_sort_key("đỗ thị ánh")[:3]
    assert in_order("an", "Bình", "cúc")


def test_foreign_letters_and_blank_names():
    assert in_order("Emma", "Frank", "Giang")
    assert in_order("Yến", "Zoe")
    assert in_order("Zoe", "")  # a blank name is filed after every real one
    assert in_order("Zoe", "-")
    assert name_sort_key("   ") == name_sort_key("")


def test_sorted_by_name_on_objects_and_with_a_key():
    @dataclass
    class Person:
        full_name: str

    people = [Person("Trần Thị Bình"), Person("Đặng Văn Đức"), Person("Nguyễn Văn An")]
    names = [p.full_name for p in sorted_by_name(people)]
    assert names == ["Nguyễn Văn An", "Trần Thị Bình", "Đặng Văn Đức"]
    rows = [{"name": "Zoe"}, {"name": "Ân"}, {"name": "Dũng"}]
    assert [r["name"] for r in sorted_by_name(rows, key=lambda r: r["name"])] == [
        "Ân",
        "Dũng",
        "Zoe",
    ]


VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
names = st.lists(
    st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + "fjwz -", min_size=0, max_size=6),
    min_size=1,
    max_size=4,
).map(" ".join)


@given(st.lists(names, max_size=12))
def test_order_is_total_and_sorting_is_stable(items):
    keys = [name_sort_key(name) for name in items]
    for a, ka in zip(items, keys, strict=True):
        for b, kb in zip(items, keys, strict=True):
            # Total: exactly one of <, ==, > and equal keys only for the same (normalised) name.
            assert (ka < kb) + (ka == kb) + (ka > kb) == 1
            if ka == kb:
                assert (
                    unicodedata.normalize("NFC", a).strip()
                    == unicodedata.normalize("NFC", b).strip()
                )
    tagged = list(enumerate(items))
    once = sorted_by_name(tagged, key=lambda pair: pair[1])
    # Stable: equal names keep their input order; sorting again changes nothing.
    assert sorted_by_name(once, key=lambda pair: pair[1]) == once
    for (i, a), (j, b) in zip(once, once[1:], strict=False):
        assert name_sort_key(a) <= name_sort_key(b)
        if name_sort_key(a) == name_sort_key(b):
            assert i < j


@given(names, names, names)
def test_order_is_transitive(a, b, c):
    ka, kb, kc = name_sort_key(a), name_sort_key(b), name_sort_key(c)
    if ka <= kb and kb <= kc:
        assert ka <= kc
