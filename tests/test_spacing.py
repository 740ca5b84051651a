"""Chinese text spacing (report/spacing.py)."""
from reportgen import i18n
from reportgen.report.spacing import cjk_spacing, spaced


def test_no_space_inside_chinese_one_space_against_latin_and_digits():
    page = ("<p>收斂。 在 線性 資料集上，學習率 30和學習率 100%的\n結果在XOR上。</p>")
    assert cjk_spacing(page) == "<p>收斂。在線性資料集上，學習率 30 和學習率 100% 的結果在 XOR 上。</p>"


def test_tags_code_and_attributes_are_left_as_they_are():
    page = '<p title="在 線性">在 <code>a  2和 b</code>，<img alt="在 線性 上"></p>'
    assert cjk_spacing(page) == page


def test_only_chinese_pages_are_spaced():
    page = "<p>收斂。 在</p>"
    assert spaced(page) == page
    with i18n.language("zh-TW"):
        assert spaced(page) == "<p>收斂。在</p>"


def test_a_gap_across_a_link_between_chinese_goes_too():
    page = "<p>見 <a href='#x'>第 4 節</a> 開頭。 <strong>圖 16</strong> 顯示</p><p>XOR <a>表 3</a></p>"
    assert cjk_spacing(page) == ("<p>見<a href='#x'>第 4 節</a>開頭。<strong>圖 16</strong> 顯示</p>"
                                 "<p>XOR <a>表 3</a></p>")


def test_a_date_keeps_its_digits_against_its_characters():
    assert cjk_spacing("<p>日期：2026年12月1日，共5個</p>") == "<p>日期：2026年12月1日，共 5 個</p>"


def test_a_colon_after_chinese_is_full_width():
    assert cjk_spacing("<li>恆等函數: <img alt='f'></li><p>均方誤差; BCE</p>") == \
        "<li>恆等函數：<img alt='f'></li><p>均方誤差；BCE</p>"
