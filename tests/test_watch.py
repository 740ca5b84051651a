"""``reportgen watch``: serves the report, rebuilds it when a template changes, shows a build's
error in the page, and stops cleanly on Ctrl-C, leaving no process behind."""
import html
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from reportgen import watch
from reportgen.report.templates import TEMPLATES_DIR

ROOT = Path(__file__).resolve().parent.parent


def fetch(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.headers.get("Content-Type"), response.read()


def test_the_script_and_the_banner_are_only_in_the_served_copy():
    page = b"<!DOCTYPE html><html><body class='x'><p>Report</p></body></html>"
    served = watch.inject(page, "abc-1", error="templates/a.j2: <b>bad</b> & worse")
    text = served.decode()
    assert text.index("<script id=\"reportgen-watch\">") < text.index("</body>")
    assert '"abc-1"' in text and 'fetch("/version"' in text
    assert text.index("<body class='x'>") < text.index('id="reportgen-watch-error"') \
        < text.index("<p>Report</p>")
    assert "&lt;b&gt;bad&lt;/b&gt; &amp; worse" in text and "<b>bad</b>" not in text
    assert b"reportgen-watch" not in page                       # the page itself is as it was
    assert "reportgen-watch-error" not in watch.inject(page, "abc-1").decode()


def test_the_version_changes_with_the_page_or_the_error_only():
    served = watch.Served(session="s")
    assert served.version == "s-0" and b"Building the report" in served.document()
    served.update(page=b"<html><body>one</body></html>")
    assert served.version == "s-1"
    served.update(page=b"<html><body>one</body></html>")
    assert served.version == "s-1"                              # the same page: no reload
    served.update(error="it broke")
    assert served.version == "s-2" and b"it broke" in served.document()
    assert b"one" in served.document()                          # the last good page, kept
    served.update(page=b"<html><body>two</body></html>", error=None)
    assert served.version == "s-3" and b"it broke" not in served.document()


def test_the_server_serves_the_page_its_version_and_nothing_else():
    served = watch.Served(session="t")
    served.update(page=b"<html><body>the report</body></html>")
    server = watch.serve(served, 0)
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        status, kind, body = fetch(base + "/")
        assert status == 200 and kind.startswith("text/html")
        assert b"the report" in body and b'"t-1"' in body
        assert fetch(base + "/version")[2] == b"t-1"
        with pytest.raises(urllib.error.HTTPError) as missing:
            fetch(base + "/../etc/passwd")
        assert missing.value.code == 404
        with pytest.raises(watch.CannotServe, match="cannot listen on 127.0.0.1:"):
            watch.serve(served, server.server_address[1])       # the port is taken
    finally:
        server.shutdown()
        server.server_close()


def test_a_port_in_use_is_a_usage_error_before_anything_is_built(tmp_path):
    import socket

    from click.testing import CliRunner

    from reportgen.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["watch", "--port", str(port), "--out",
                                           str(tmp_path / "output")])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: --port {port}: cannot listen on 127.0.0.1:{port}: ")
    assert not (tmp_path / "output").exists()


def test_a_bad_override_is_refused_before_anything_is_served(tmp_path):
    from click.testing import CliRunner

    from reportgen.cli import main

    result = CliRunner().invoke(main, ["watch", "--set", "lr=abc", "--out",
                                       str(tmp_path / "output")])
    assert result.exit_code == 2
    assert result.output == "error: --set lr=abc: lr: must be a finite number, got 'abc'\n"
    assert not (tmp_path / "output").exists()


def test_sources_see_templates_experiments_code_and_a_prose_folder_made_later(tmp_path):
    experiments, templates = tmp_path / "experiments", tmp_path / "templates"
    experiments.mkdir()
    (templates / "sections").mkdir(parents=True)
    (experiments / "a.toml").write_text("seeds = 1\n")
    (experiments / "README.md").write_text("not an input\n")
    (templates / "sections" / "s.html.j2").write_text("x")
    sources = watch.Sources(experiments, templates)
    before = sources.snapshot()
    assert str(experiments / "a.toml") in before and str(experiments / "README.md") not in before
    assert str(templates / "sections" / "s.html.j2") in before
    assert str(watch.PACKAGE / "watch.py") in before
    (tmp_path / "prose").mkdir()
    (tmp_path / "prose" / "intro.md").write_text("Some prose.")
    (templates / "sections" / "s.html.j2").write_text("xy")
    after = sources.snapshot()
    assert watch.changes(before, after) == sorted([str(tmp_path / "prose" / "intro.md"),
                                                   str(templates / "sections" / "s.html.j2")])
    assert sources.is_code(watch.PACKAGE / "cli.py") and not sources.is_code(templates / "x.py")


# --- the command, end to end --------------------------------------------------------------

def session_processes(session):
    """The ids of the processes of the session ``session`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Watch:
    """``reportgen watch`` in a process of its own session, its output read by threads."""

    def __init__(self, args, cwd, package_root):
        import threading

        self.process = subprocess.Popen(
            [sys.executable, "-m", "reportgen.cli", "watch", *args], cwd=cwd,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
            env={**os.environ, "PYTHONPATH": str(package_root)})
        self.out, self.err = [], []
        for stream, lines in ((self.process.stdout, self.out), (self.process.stderr, self.err)):
            threading.Thread(target=lambda s=stream, l=lines: l.extend(iter(s.readline, "")),
                             daemon=True).start()

    def page(self):
        try:
            return fetch(self.url, timeout=2)[2].decode()
        except OSError:
            return ""

    @property
    def output(self):
        return "".join(self.out) + "".join(self.err)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_watch_rebuilds_on_edits_shows_errors_and_stops_on_ctrl_c(tmp_path):
    """One watch, through a template edit, a template error, a code change that does not
    import and one that does (the watch starts again), then Ctrl-C. In a copy of the
    project: experiments, templates and the package, which the watch watches too."""
    shutil.copytree(ROOT / "experiments", tmp_path / "experiments")
    shutil.copytree(TEMPLATES_DIR, tmp_path / "templates")
    shutil.copytree(ROOT / "reportgen", tmp_path / "package" / "reportgen",
                    ignore=shutil.ignore_patterns("__pycache__"))
    # the copied package's built-in templates, which --templates is laid over
    shutil.copytree(TEMPLATES_DIR, tmp_path / "package" / "templates")
    intro = tmp_path / "templates" / "sections" / "introduction.html.j2"
    # a quick preview of one seed and few epochs, in its --set folder: the least training
    w = Watch(["--quick", "--set", "epochs=60", "--set", "seeds=1", "--experiments",
               "experiments", "--templates", "templates", "--out", "output"], cwd=tmp_path,
              package_root=tmp_path / "package")
    out = tmp_path / "output" / "overrides" / "epochs=60+seeds=1" / "quick"
    try:
        line = wait_for(lambda: re.search(r"serving the quick preview with --set epochs=60 "
                                          r"--set seeds=1 at (http://127\.0\.0\.1:\d+/)",
                                          w.output), 30, "the URL")
        w.url = line.group(1)
        wait_for(lambda: "Experiment setups" in w.page(), 180, "the first build's page")
        served = w.page()
        assert '<script id="reportgen-watch">' in served
        written = out / "report.html"
        assert "reportgen-watch" not in written.read_text()     # only in the served copy

        intro.write_text(intro.read_text().replace(
            "This report covers", "Edited while watched. This report covers", 1))
        wait_for(lambda: "Edited while watched." in w.page(), 60, "the edited page")
        assert "Edited while watched." in written.read_text()
        assert "reportgen-watch" not in written.read_text()
        wait_for(lambda: re.search(r"introduction\.html\.j2 changed: HTML in [\d.]+ s, PDF in",
                                   w.output), 60, "the PDF after the edit")
        pdf = out / "report.pdf"
        assert pdf.read_bytes().rstrip().endswith(b"%%EOF")
        assert pdf.stat().st_mtime_ns >= written.stat().st_mtime_ns     # the PDF after

        intro.write_text(intro.read_text() + "\n{% if %}\n")    # a template that cannot parse
        page = wait_for(lambda: (p := w.page()) and "reportgen-watch-error" in p and p, 60,
                        "the error banner")
        assert re.search(r"templates/sections/introduction\.html\.j2:\d+: the report's templates "
                         r"failed to render \(TemplateSyntaxError: ", html.unescape(page))
        assert "Edited while watched." in page                  # over the last good page
        wait_for(lambda: "error: " in "".join(w.err), 10, "the error in the terminal")
        assert "Traceback" not in w.output
        intro.write_text(intro.read_text().replace("\n{% if %}\n", ""))
        wait_for(lambda: "reportgen-watch-error" not in w.page(), 60, "the banner to go")

        # the code (a module no output depends on, so that the report stays up to date):
        # a module that does not import leaves the watch on its old code...
        module = tmp_path / "package" / "reportgen" / "cli_options.py"
        source = module.read_text()
        module.write_text(source + "\ndef (:\n")
        page = wait_for(lambda: (p := w.page()) and "reportgen-watch-error" in p and p, 60,
                        "the banner of the code that does not import")
        assert "cli_options.py changed, but the watch cannot start again on the new code" \
            in page
        assert "SyntaxError: invalid syntax" in page and w.process.poll() is None
        # ... one that does starts it again, in the same process, on the same port
        version = fetch(w.url + "version")[2].decode()
        module.write_text(source + "\n# an edit\n")
        wait_for(lambda: "started again on the new code, serving at " + w.url in w.output, 60,
                 "the watch to start again")
        wait_for(lambda: (p := w.page()) and "Edited while watched." in p
                 and "reportgen-watch-error" not in p, 60, "the page after the restart")
        new_version = fetch(w.url + "version")[2].decode()
        assert new_version.split("-")[0] != version.split("-")[0]   # the open page reloads
        wait_for(lambda: "report up to date" in "".join(w.out[-1:]), 60, "the build after it")

        os.killpg(w.process.pid, signal.SIGINT)                 # Ctrl-C, to the whole group
        assert w.process.wait(timeout=30) == 0
        wait_for(lambda: not session_processes(w.process.pid), 10, "its processes to end")
        assert "stopped" in "".join(w.err)
    finally:
        w.stop()
