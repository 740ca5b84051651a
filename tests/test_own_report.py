"""A report the student can hand in as theirs: ``reportgen init``, the title page and the PDF's
metadata from report.toml, their own words in ``prose/`` and their own templates.

One project is made with ``reportgen init`` in an empty folder and built once (``--quick``)
for the whole module; the other tests need no training (bad input stops a build before it)."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SOURCE_DATE, SOURCE_DATE_EPOCH
from pdf_helpers import flat_text, page_texts
from reportgen.cli import main
from reportgen.experiments.config import ConfigError, load_report_metadata
from reportgen.report import maths, prose, templates
from reportgen.report.embed import EmbedError, embed

DISCUSSION = ("My own finding: the learning rate mattered more than the width of the layers, "
              "and I checked it on two seeds.")
CONCLUSION = "Backpropagation is the chain rule applied layer by layer, and it works."
AUTHORS = '[{name = "Ada Lovelace", student_id = "0123456"}, {name = "Alan Turing"}]'


def _invoke(args, cwd=None):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        if cwd is not None:
            patch.chdir(cwd)
        return CliRunner().invoke(main, args)


def _set_report(project, **keys):
    """report.toml with ``keys`` of [report] replaced by these TOML values (others kept)."""
    path = project / "experiments" / "report.toml"
    text = path.read_text()
    for key, value in keys.items():
        text, n = re.subn(rf"(?m)^#? ?{key} = .*$", f"{key} = {value}", text)
        assert n, key
    path.write_text(text)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """An initialised project with prose, authors and metadata, built with --quick."""
    folder = tmp_path_factory.mktemp("student") / "lab"
    folder.mkdir()
    made = _invoke(["init", str(folder)])
    assert made.exit_code == 0, made.output
    with open(folder / "prose" / "discussion.md", "a") as f:
        f.write(f"\n{DISCUSSION} With $\\eta = 1$ the update is\n\n"
                "$$\nW \\leftarrow W - \\eta \\frac{\\partial L}{\\partial W}\n$$\n\n"
                "and <b>this</b> is no tag.\n")
    with open(folder / "prose" / "conclusion.md", "a") as f:
        f.write(f"\n{CONCLUSION}\n")
    text = (folder / "experiments" / "report.toml").read_text()
    text = text.replace('author = "Student Name"\nstudent_id = "000000000"\n',
                        f"authors = {AUTHORS}\n")
    (folder / "experiments" / "report.toml").write_text(text)
    _set_report(folder, subtitle='"Backpropagation by hand"', instructor='"Prof. Doe"',
                subject='"Deep learning, lab 1"', keywords='["backpropagation", "NumPy"]')
    built = _invoke(["build", "--quick", "--jobs", "2"], cwd=folder)
    assert built.exit_code == 0, built.output
    out = folder / "output" / "quick"
    return folder, out, (out / "report.html").read_text()


def test_init_writes_a_project_of_commented_files(project):
    folder, _, _ = project
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*")
             if p.is_file() and "output" not in p.parts}
    assert {"README.md", "experiments/report.toml", "experiments/main.toml",
            "prose/introduction.md", "prose/discussion.md", "prose/conclusion.md"} <= names
    readme = (folder / "README.md").read_text()
    assert "reportgen build" in readme and "reportgen watch" in readme
    fresh = prose_header = (folder / "prose" / "setups.md").read_text()
    assert fresh.startswith("<!-- prose/setups.md: your own words, placed at the end of the "
                            'section "Experiment setups"')
    assert prose.empty(prose_header)
    report_toml = (folder / "experiments" / "report.toml").read_text()
    for key in ("subtitle", "authors", "instructor", "abstract", "keywords", "language",
                "templates", "[engine]", "[listings]"):
        assert key in report_toml


def test_prose_is_at_the_end_of_its_section_and_the_authors_on_the_title_page(project):
    _, out, _ = project
    pages = page_texts(out / "report.pdf")
    title = " ".join(pages[0].split())
    assert "Ada Lovelace" in title and "Student ID 0123456" in title and "Alan Turing" in title
    assert "Backpropagation by hand" in title and "Prof. Doe" in title and SOURCE_DATE in title
    pages = [" ".join(page.split()) for page in pages]
    # the last words of the discussion, on its last page (the running header names it),
    # the next section starting on the next page
    at = next(i for i, page in enumerate(pages) if DISCUSSION in page)
    assert re.fullmatch(r" With the update is and <b>this</b> is no tag\. Lab 1: "
                        r"Backpropagation 4\. Discussion Page \d+ of \d+",
                        pages[at].split(DISCUSSION)[1])
    assert pages[at + 1].startswith("5. Extra")
    # the Conclusion: a numbered section after the questions, before the appendix
    at = next(i for i, page in enumerate(pages) if CONCLUSION in page)
    assert pages[at].startswith(f"7. Conclusion {CONCLUSION} ")
    assert pages[at + 1].startswith("8. Appendix")
    assert "6. Questions" in pages[at - 1]
    assert "7. Conclusion" in flat_text(out / "report.pdf")[:3000]      # in the contents


def test_the_html_places_prose_inside_its_section_with_its_maths(project):
    _, _, html = project
    discussion = html[html.index('<h2 id="discussion">'):html.index('<h2 id="extra">')]
    words = discussion[discussion.index('<div class="own-words">'):]
    assert words.index("</div>") < words.index("</section>")        # inside the chapter
    assert DISCUSSION in words and "&lt;b&gt;this&lt;/b&gt;" in words and "<b>" not in words
    assert 'alt="η = 1"' in words and 'class="equation"' in words
    assert html.count('<div class="own-words">') == 2   # the discussion's, the conclusion's
    assert 'href="#conclusion"' in html                              # in the contents


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs poppler's pdfinfo")
def test_pdfinfo_shows_the_authors_subject_and_keywords(project):
    _, out, _ = project
    info = subprocess.run(["pdfinfo", str(out / "report.pdf")], capture_output=True,
                          text=True, check=True).stdout
    fields = dict(re.findall(r"(?m)^(\w+):\s+(.*)$", info))
    assert fields["Author"] == "Ada Lovelace, Alan Turing"
    assert fields["Title"] == "Lab 1: Backpropagation"
    assert fields["Subject"] == "Deep learning, lab 1"
    assert fields["Keywords"] == "backpropagation, NumPy"


def test_a_template_override_changes_exactly_its_part(project):
    folder, out, before = project
    mine = folder / "my_templates" / "sections"
    mine.mkdir(parents=True)
    builtin = (templates.TEMPLATES_DIR / "sections" / "introduction.html.j2").read_text()
    at = builtin.rindex("</section>")
    marker = '<p class="mine">My own paragraph, from my own template.</p>\n'
    (mine / "introduction.html.j2").write_text(builtin[:at] + marker + builtin[at:])
    report_toml = (folder / "experiments" / "report.toml").read_text()
    _set_report(folder, templates='"my_templates"')
    try:    # into the same output folder: the report names it
        built = _invoke(["build", "--quick", "--format", "html", "--jobs", "1"], cwd=folder)
    finally:
        (folder / "experiments" / "report.toml").write_text(report_toml)
    assert built.exit_code == 0, built.output
    after = (out / "report.html").read_text()
    assert after.count(marker) == 1
    where = after.index(marker)
    assert after.index('<h2 id="introduction">') < where < after.index('<h2 id="setups">')
    assert after.replace(marker, "") == before


def test_init_refuses_to_overwrite_and_force_does(tmp_path):
    (tmp_path / "experiments").mkdir()
    (tmp_path / "experiments" / "main.toml").write_text("mine")
    (tmp_path / "README.md").write_text("mine too")
    refused = _invoke(["init", str(tmp_path)])
    assert refused.exit_code == 2
    assert "README.md" in refused.output and "experiments/main.toml" in refused.output
    assert "--force" in refused.output
    assert (tmp_path / "experiments" / "main.toml").read_text() == "mine"
    assert not (tmp_path / "prose").exists()        # nothing written
    forced = _invoke(["init", "--force", str(tmp_path)])
    assert forced.exit_code == 0, forced.output
    assert (tmp_path / "experiments" / "main.toml").read_text().startswith("# The headline")
    assert (tmp_path / "prose" / "conclusion.md").exists()


# --- bad input: exit 2 with the file and the field, before anything is trained --------------

@pytest.fixture
def fresh(tmp_path):
    made = _invoke(["init", str(tmp_path / "lab")])
    assert made.exit_code == 0, made.output
    return tmp_path / "lab"


def _fails_before_training(folder, *expected):
    result = _invoke(["build", "--quick", "--jobs", "1"], cwd=folder)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: ") and result.output.count("\n") == 1, result.output
    for text in expected:
        assert text in result.output, result.output
    assert not (folder / "output" / "quick" / "cache").exists()     # nothing trained


def _report_toml(folder, text):
    (folder / "experiments" / "report.toml").write_text(text)


def test_an_author_without_a_name_and_unknown_keys_stop_the_build(fresh):
    _report_toml(fresh, '[report]\nauthors = [{name = "Ada"}, {student_id = "7"}]\n')
    _fails_before_training(fresh, "experiments/report.toml: report.authors[1].name: "
                                  "an author needs a name")
    _report_toml(fresh, '[report]\nauthors = [{name = "Ada", id = "7"}]\n')
    _fails_before_training(fresh, "report.toml: report.authors[0].id: unknown key")
    _report_toml(fresh, '[report]\nsubtitel = "s"\n')
    _fails_before_training(fresh, "report.toml: report.subtitel: unknown key; allowed: title, "
                                  "subtitle, authors")
    _report_toml(fresh, '[report]\n[report2]\n')
    _fails_before_training(fresh, "report.toml: report2: unknown key")


def test_prose_that_is_not_utf8_or_not_a_section_stops_the_build(fresh):
    (fresh / "prose" / "results.md").write_bytes("Line one\ncaf\xe9\n".encode("latin-1"))
    _fails_before_training(fresh, "prose/results.md: line 2: not UTF-8 text (byte 0xe9")
    (fresh / "prose" / "results.md").write_text("![a screenshot](shot.png)\n")
    _fails_before_training(fresh, "prose/results.md: line 1: an image ('shot.png')")
    (fresh / "prose" / "results.md").unlink()
    (fresh / "prose" / "discusion.md").write_text("typo\n")
    _fails_before_training(fresh, "prose/discusion.md: not a prose file of this report",
                           "discussion.md")


def test_a_template_that_replaces_nothing_stops_the_build(fresh):
    (fresh / "mine" / "sections").mkdir(parents=True)
    (fresh / "mine" / "sections" / "intro.html.j2").write_text("x")
    _set_report(fresh, templates='"mine"')
    _fails_before_training(fresh, "report.toml: report.templates: sections/intro.html.j2: no "
                                  "built-in template of that name",
                           "sections/introduction.html.j2")
    _set_report(fresh, templates='"nowhere"')
    _fails_before_training(fresh, "report.toml: report.templates: no folder 'nowhere'")
    result = _invoke(["build", "--quick", "--templates", str(fresh / "mine")], cwd=fresh)
    assert result.exit_code == 2 and "--templates: sections/intro.html.j2: no built-in" \
        in result.output


# --- the title page's keys -----------------------------------------------------------------

def _meta(tmp_path, text):
    (tmp_path / "report.toml").write_text(text)
    return load_report_metadata(tmp_path)


def test_one_author_keys_keep_working_and_several_are_a_list(tmp_path):
    one = _meta(tmp_path, '[report]\nauthor = "Ada"\nstudent_id = "1"\n')
    assert one["authors"] == [{"name": "Ada", "student_id": "1"}] and one["author"] == "Ada"
    two = _meta(tmp_path, f"[report]\nauthors = {AUTHORS}\n")
    assert [a["name"] for a in two["authors"]] == ["Ada Lovelace", "Alan Turing"]
    assert two["author"] == "Ada Lovelace, Alan Turing" and two["student_id"] == "0123456"
    assert _meta(tmp_path, "")["authors"] == [] and _meta(tmp_path, "")["language"] == "en"
    for text, field in [(f'[report]\nauthors = {AUTHORS}\nauthor = "x"\n', "report.authors"),
                        ('[report]\nstudent_id = "1"\n', "report.author"),
                        ('[report]\ntitle = " "\n', "report.title"),
                        ('[report]\nlanguage = "en_GB"\n', "report.language"),
                        ('[report]\nkeywords = ["a, b"]\n', "report.keywords[0]"),
                        ('[report]\nauthors = {name = "x"}\n', "report.authors")]:
        with pytest.raises(ConfigError) as error:
            _meta(tmp_path, text)
        assert error.value.field == field, text


# --- prose as Markdown ---------------------------------------------------------------------

def _render(tmp_path, text):
    with maths.stored_in(tmp_path / "equations.json"):
        return str(prose.render(text, tmp_path / "x.md"))


def test_prose_keeps_its_text_and_renders_maths_with_the_reports_renderer(tmp_path):
    html = _render(tmp_path, '<!-- a comment -->\n# Mine\n\nIt\'s "quoted" -- and $5 or $6; '
                             "$\\sigma(z)$ and\n\n$$\n\\hat{y} = 1\n$$\n")
    assert "comment" not in html
    assert "<h3>Mine</h3>" in html                                # below the section's h2
    assert "It's \"quoted\" -- and $5 or $6;" in html.replace("&quot;", '"').replace("&#x27;", "'")
    assert str(maths.equation("\\sigma(z)", display=False)) in html
    assert str(maths.equation("\\hat{y} = 1")) in html
    assert _render(tmp_path, "<script>alert(1)</script>\n") == \
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    assert prose.empty("<!-- only -->\n\n") and not prose.empty("<!-- a -->\nx")
    with pytest.raises(ConfigError, match=r"x\.md: \$\\begin\{x\}\$"):
        _render(tmp_path, "$\\begin{x}$\n")


def test_own_templates_render_under_the_same_rules(tmp_path):
    (tmp_path / "report.html.j2").write_text("{{ nowhere }}")
    with pytest.raises(Exception, match="nowhere"):
        templates.render_html("report.html.j2", {}, templates_dir=tmp_path)
    (tmp_path / "report.html.j2").write_text('{% include "../secret.j2" %}')
    with pytest.raises(Exception, match="secret"):
        templates.render_html("report.html.j2", {}, templates_dir=tmp_path)
    # the built-in templates the folder does not replace are still found
    (tmp_path / "report.html.j2").write_text('{% import "_macros.j2" as m %}{{ m.heading(s) }}')
    assert "One" in templates.render_html("report.html.j2", {"s": {"id": "a", "title": "One"}},
                                          templates_dir=tmp_path)
    with pytest.raises(EmbedError):
        embed('<html><img src="https://example.org/x.png" alt="x"></html>', tmp_path,
              templates_dir=tmp_path)
    (tmp_path / "style.css").write_text("body { background: url(https://example.org/x.png) }")
    with pytest.raises(EmbedError):
        embed('<html><head><link rel="stylesheet" href="style.css"></head></html>', tmp_path,
              templates_dir=tmp_path)
