"""The report's languages: choosing one, and what depends on it."""
import pytest

from reportgen import i18n, keys
from reportgen.experiments import ConfigError
from reportgen.experiments.config import load_report_metadata
from reportgen.report.templates import environment


def test_english_is_the_default_and_needs_no_catalog():
    assert i18n.current() == "en"
    assert i18n.gettext("Introduction") == "Introduction"


def test_a_language_is_set_for_a_block_only():
    with i18n.language("zh-TW"):
        assert i18n.current() == "zh-TW"
    assert i18n.current() == "en"


def test_an_unknown_language_names_where_it_was_asked_for():
    with pytest.raises(i18n.LanguageError, match=r"--lang: .*'fr'.*zh-TW"):
        i18n.check("fr")


def test_report_toml_lang_is_checked(tmp_path):
    (tmp_path / "report.toml").write_text('[report]\nlang = "fr"\n')
    with pytest.raises(ConfigError, match=r"report\.lang.*'fr'"):
        load_report_metadata(tmp_path)


def test_the_page_language_follows_lang_unless_given(tmp_path):
    (tmp_path / "report.toml").write_text('[report]\nlang = "zh-TW"\n')
    assert load_report_metadata(tmp_path)["language"] == "zh-TW"
    (tmp_path / "report.toml").write_text('[report]\nlang = "zh-TW"\nlanguage = "zh-Hant-TW"\n')
    assert load_report_metadata(tmp_path)["language"] == "zh-Hant-TW"


def test_worded_outputs_are_keyed_by_language_and_runs_are_not():
    english = keys.key("figure", ["loss"]), keys.key("run", ["spec"])
    with i18n.language("zh-TW"):
        chinese = keys.key("figure", ["loss"]), keys.key("run", ["spec"])
    assert english[0] != chinese[0]
    assert english[1] == chinese[1]


def test_templates_translate_whole_messages_with_their_placeholders(monkeypatch):
    catalog = {"%(n)s of %(runs)s seeds converged.": "%(runs)s 個種子中有 %(n)s 個收斂。"}
    monkeypatch.setattr(i18n, "gettext", lambda m: catalog.get(m, m) if i18n.current() != "en"
                        else m)
    environment.cache_clear()
    try:
        template = environment().from_string(
            "{% trans n=3, runs=5 %}{{ n }} of {{ runs }}\n  seeds converged.{% endtrans %}")
        assert template.render() == "3 of 5 seeds converged."
        with i18n.language("zh-TW"):
            assert template.render() == "5 個種子中有 3 個收斂。"
    finally:
        environment.cache_clear()


def test_build_refuses_an_unknown_language_before_anything(tmp_path):
    from click.testing import CliRunner

    from reportgen.cli import main

    result = CliRunner().invoke(main, ["build", "--quick", "--lang", "fr", "--out",
                                       str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "--lang" in result.output and "'fr'" in result.output
    assert not (tmp_path / "out").exists()
