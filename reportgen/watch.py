"""``reportgen watch``: build the report, serve it on 127.0.0.1 and build it again whenever
one of its inputs changes; the open page reloads itself.

- **What is watched**: the experiment files (``*.toml`` of ``--experiments``, report.toml
  among them), every file of the templates folder, a ``prose/`` folder beside the
  experiments or the templates folder (when there is one; it is looked for at every poll,
  so one made later is watched too), the package's own sources and those of a student's
  engine (``--engine`` or report.toml's ``[engine]``: an edit there is an ordinary rebuild,
  which loads the engine afresh). The modification time,
  size and inode of each file are polled every 0.1 s: about a hundred ``stat`` calls, well
  under a millisecond, with no dependency and the same behaviour on every platform and file
  system (a file-system notification library such as watchfiles would save that
  millisecond at the cost of a dependency; the latency that matters is the build's).
- **Builds** run in this process, one after another (``report.build.build``, with the
  output folder's lock held for each build only). A process that stays up keeps what a
  build loads once warm: the modules, the parsed templates, the equations, the run cache's
  checked records (read again when their file changes), WeasyPrint's fonts (loaded here
  once, while the first PDF is laid out, so that every PDF process forked afterwards starts
  warm). The HTML is written and served as soon as it is made, the PDF after it; a change
  that comes while the PDF is laid out gives that PDF up and starts the next build at once.
- **A change to the package's code** cannot be taken in by a running process: the watch
  starts itself again (``os.execv``, the same process id and port) once the new code
  imports, and says why it does not when it does not.
- **Serving**: ``/`` is the last report written, with a small script added as it is
  served (never to ``report.html`` on disk) that asks ``/version`` four times a second and
  reloads the page when it changed, keeping the scroll position. A build that fails is
  shown in a banner over the last good page (or in place of it, before the first one),
  and in the terminal; the watch goes on. ``/report.pdf`` is the PDF on disk.
- **Ctrl-C** stops the build under way (its processes are stopped as for ``reportgen
  build``), then the server, and the command ends with status 0: it is how a watch ends.
"""
import dataclasses
import html
import http.server
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import reportgen

from .experiments import engines

#: how often the inputs are polled, in seconds
POLL = 0.1
#: how often the served page asks whether it changed, in milliseconds
PAGE_POLL_MS = 250
#: set (to the port) when the watch starts itself again after a change to the code
RESTART_ENV = "REPORTGEN_WATCH_RESTART"
#: the modules a restart must be able to import first
CHECK_IMPORTS = ("reportgen.cli", "reportgen.watch", "reportgen.report.templates",
                 "reportgen.report.build", "reportgen.report.document",
                 "reportgen.experiments.runner", "reportgen.figures.style")

PACKAGE = Path(reportgen.__file__).resolve().parent


@dataclasses.dataclass
class Sources:
    """The files a build reads that the watch polls."""

    experiments: Path
    templates: Path
    package: Path = PACKAGE
    engine: str | None = None   # --engine; else report.toml's [engine], looked up again
                                # whenever report.toml changes
    #: (report.toml's stat, the engine's source files found for it): a poll reads report.toml
    #: and looks for the engine's package only when that file changed
    _engine_files: tuple = dataclasses.field(default=("unread", ()), repr=False, compare=False)

    @property
    def prose(self):
        """The ``prose/`` folders beside the experiments and the templates that exist."""
        folders = {self.experiments.resolve().parent / "prose",
                   self.templates.resolve().parent / "prose"}
        return sorted(f for f in folders if f.is_dir())

    def snapshot(self):
        """{path: (mtime_ns, size, inode)} of every watched file."""
        files = {}
        _scan(self.experiments, files, suffix=".toml", recursive=False)
        _scan(self.templates, files)
        for folder in self.prose:
            _scan(folder, files)
        _scan(self.package, files, suffix=".py")
        for path in self._engine_sources(files):
            try:
                stat = os.stat(path)
            except OSError:
                continue
            files[str(path)] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        return files

    def _engine_sources(self, files):
        """The engine's source files, found again only when report.toml changed (``files``:
        the snapshot so far, which holds report.toml's stat)."""
        stat = files.get(str(self.experiments / "report.toml"))
        if self._engine_files[0] != stat:
            self._engine_files = (stat, engines.source_files(self.experiments, self.engine))
        return self._engine_files[1]

    def is_code(self, path):
        return Path(path).suffix == ".py" and Path(path).is_relative_to(self.package)


def _scan(folder, files, suffix=None, recursive=True):
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir():
                if recursive and entry.name != "__pycache__" and not entry.name.startswith("."):
                    _scan(entry.path, files, suffix, recursive)
            elif suffix is None or entry.name.endswith(suffix):
                stat = entry.stat()
                files[entry.path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        except OSError:                 # removed meanwhile
            continue


def changes(before, after):
    """The paths added, removed or modified between two snapshots, sorted."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


# --- what is served ------------------------------------------------------------------------

class Served:
    """What the server hands out, changed by the build loop (a lock between the two):
    the last report's HTML, the error of the last build if it failed, and a version that
    changes whenever either does (the page reloads when it sees a new one)."""

    def __init__(self, session=None):
        self._lock = threading.Lock()
        self._session = session or uuid.uuid4().hex[:8]
        self._count = 0
        self.page = None            # the last report's HTML (bytes), as written
        self.error = None           # the last build's error message, or None
        self.pdf = None             # the PDF's path
        self._document = None       # (version, the page as served)

    @property
    def version(self):
        with self._lock:
            return f"{self._session}-{self._count}"

    def update(self, page=None, error=None):
        """Serve ``page`` (if given, else the last one) with ``error`` (None: no error)."""
        with self._lock:
            new_page = page if page is not None else self.page
            if new_page != self.page or error != self.error:
                self.page, self.error = new_page, error
                self._count += 1

    def document(self):
        """The page to serve now: the report (or a placeholder) with the reload script, and
        the error banner if the last build failed (made once per version)."""
        with self._lock:
            page, error, version = self.page, self.error, f"{self._session}-{self._count}"
            if self._document is not None and self._document[0] == version:
                return self._document[1]
        if page is None:
            text = error and "The first build failed; fix the error and the page reloads."
            page = _placeholder(text or "Building the report…").encode()
        document = inject(page, version, error)
        with self._lock:
            self._document = (version, document)
        return document


def _placeholder(text):
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>reportgen '
            f'watch</title></head><body style="font-family: sans-serif; margin: 3em">'
            f'<p>{html.escape(text)}</p></body></html>')


_SCRIPT = """<script id="reportgen-watch">(function () {
  var version = %(version)s, key = "reportgen-watch-scroll";
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.addEventListener("load", function () { window.scrollTo(0, +saved); });
  }
  function poll() {
    fetch("/version", {cache: "no-store"}).then(function (r) { return r.text(); })
      .then(function (v) {
        if (v !== version) {
          sessionStorage.setItem(key, String(window.scrollY));
          location.reload();
        } else { setTimeout(poll, %(every)d); }
      }, function () { setTimeout(poll, %(every)d); });
  }
  setTimeout(poll, %(every)d);
})();</script>
"""

_BANNER = ('<div id="reportgen-watch-error" role="alert" style="position: sticky; top: 0; '
           'z-index: 1000; margin: 0; padding: 0.8em 1em; background: #fdecea; color: #611a15; '
           'border-bottom: 2px solid #b71c1c; font: 14px/1.4 sans-serif; white-space: pre-wrap">'
           '<strong>The last build failed</strong>; below is the last report written.\n{}</div>')


def inject(page, version, error=None):
    """``page`` (bytes) as served: the reload script before ``</body>``, and the error banner
    (escaped) at the top of the body. Only the served copy has them."""
    import json
    import re

    text = page.decode("utf-8", "replace")
    script = _SCRIPT % {"version": json.dumps(version), "every": PAGE_POLL_MS}
    end = text.lower().rfind("</body>")
    text = text[:end] + script + text[end:] if end >= 0 else text + script
    if error:
        banner = _BANNER.format(html.escape(error))
        body = re.search(r"<body\b[^>]*>", text, re.I)
        text = (text[:body.end()] + banner + text[body.end():]) if body else banner + text
    return text.encode("utf-8")


class _Handler(http.server.BaseHTTPRequestHandler):
    served: Served = None       # set on the server's class

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        path = self.path.split("?", 1)[0]
        if path in ("/", "/report.html", "/index.html"):
            self._send(200, "text/html; charset=utf-8", self.served.document())
        elif path == "/version":
            self._send(200, "text/plain; charset=utf-8", self.served.version.encode())
        elif path == "/report.pdf" and self.served.pdf is not None:
            try:
                data = Path(self.served.pdf).read_bytes()
            except OSError:
                self._send(404, "text/plain; charset=utf-8", b"no PDF yet\n")
                return
            self._send(200, "application/pdf", data)
        else:
            self._send(404, "text/plain; charset=utf-8", b"not found\n")

    def _send(self, status, content_type, body):
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass                        # the browser went away meanwhile

    def log_message(self, format, *args):   # noqa: A002 (http.server's name)
        pass                                # quiet: the terminal is for the builds


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


class CannotServe(Exception):
    """The server cannot listen on the port asked for (in use, or not this user's)."""


def serve(served, port):
    """Start serving ``served`` on 127.0.0.1:``port`` (0: a free port) in a thread; returns
    the server (``server_address[1]`` is its port). Raises CannotServe if it cannot listen."""
    handler = type("Handler", (_Handler,), {"served": served})
    try:
        server = Server(("127.0.0.1", port), handler)
    except OSError as error:
        raise CannotServe(f"cannot listen on 127.0.0.1:{port}: "
                          f"{error.strerror or error}") from None
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                     name="reportgen-watch-server", daemon=True).start()
    return server


# --- the loop ------------------------------------------------------------------------------

@dataclasses.dataclass
class Options:
    experiments_dir: Path
    out: Path
    quick: bool
    jobs: int | None
    templates_dir: Path
    allow_large: bool
    port: int
    overrides: tuple = ()       # --set: the report of their folder is served
    engine: str | None = None   # --engine (its sources are watched like the templates)
    lang: str | None = None     # --lang (else report.toml's)


def run(options, writing, describe, echo):
    """Serve and rebuild until Ctrl-C (KeyboardInterrupt, which is raised from here).

    ``writing()``: the output lock's context manager, for each build; ``describe(error)``:
    the one-paragraph message of a build's error (any ``Exception``: a build that fails,
    however it fails, is shown and the watch goes on); ``echo(text, err=False)``: the
    terminal."""
    from .experiments import cache, overrides
    from .layout import OutputLayout

    cache.remember()        # a rebuild reads again only the run cache entries that changed
    sources = Sources(Path(options.experiments_dir), Path(options.templates_dir),
                      engine=options.engine)
    served = Served()
    folder = overrides.folder(options.out, options.overrides)
    served.pdf = OutputLayout.of(folder, options.quick).report("pdf")
    restarted = os.environ.pop(RESTART_ENV, None)
    server = serve(served, int(restarted) if restarted else options.port)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        profile = "the quick preview" if options.quick else "the full report"
        if options.overrides:
            profile += " with " + " ".join(f"--set {o.text}" for o in options.overrides)
        echo(f"serving {profile} at {url} (Ctrl-C to stop)" if not restarted else
             f"started again on the new code, serving at {url}")
        _loop(options, sources, served, server, writing, describe, echo)
    finally:
        server.shutdown()
        server.server_close()


def _loop(options, sources, served, server, writing, describe, echo):
    snapshot, why = sources.snapshot(), None
    code_problem = None         # the package's new code does not import: said after each build
    while True:
        snapshot = _build_once(options, sources, served, snapshot, writing, describe, echo, why)
        if code_problem:
            served.update(error="\n".join(filter(None, [code_problem, served.error])))
        while True:
            # wait for a change, then let an editor's several writes of one save land
            while not changes(snapshot, sources.snapshot()):
                time.sleep(POLL)
            time.sleep(POLL / 2)
            now = sources.snapshot()
            changed, snapshot = changes(snapshot, now), now
            why = _what_changed(changed)
            if not any(sources.is_code(p) for p in changed):
                break
            problem = _import_problem()
            if problem is None:
                _restart(server, echo, why)
            code_problem = (f"{why}, but the watch cannot start again on the new code "
                            f"(it goes on with the code it started with): {problem}")
            echo(f"error: {code_problem}", err=True)
            served.update(error=code_problem)


def _what_changed(paths):
    def shown(path):
        relative = os.path.relpath(path)
        return path if relative.startswith("..") else relative

    names = [shown(p) for p in paths]
    listed = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"{listed} changed"


def _build_once(options, sources, served, snapshot, writing, describe, echo, why):
    """A build, and again while its inputs changed under it (but for the code); returns the
    snapshot of the inputs the last build was made from."""
    from .report.build import Superseded, build

    while True:
        start = time.perf_counter()
        times = {}

        def html_written(path):
            times["html"] = time.perf_counter() - start
            served.update(page=Path(path).read_bytes(), error=None)
            # while the first PDF is laid out: every later PDF process then starts warm
            _warm_up(options.templates_dir)

        prefix = f"{why}: " if why else ""
        try:
            report = build(options.experiments_dir, options.out, options.quick, options.jobs,
                           show_progress=False, templates_dir=options.templates_dir,
                           allow_large=options.allow_large, writing=writing(),
                           html_first=html_written, overrides=options.overrides,
                           engine=options.engine, lang=options.lang,
                           superseded=lambda: bool(changes(snapshot, sources.snapshot())))
        except Superseded:
            echo(f"{prefix}HTML in {times.get('html', 0):.2f} s; the inputs changed: the PDF "
                 f"is given up for the next build")
        except Exception as error:      # noqa: BLE001 (shown, and the watch goes on)
            message = describe(error)
            echo(f"error: {prefix}{message}", err=True)
            served.update(error=message)
        else:
            total = time.perf_counter() - start
            if report.up_to_date:
                html_path = next(p for p in report.paths if p.suffix == ".html")
                served.update(page=html_path.read_bytes(), error=None)
                echo(f"{prefix}report up to date ({total:.2f} s)")
            else:
                echo(f"{prefix}HTML in {times.get('html', total):.2f} s, PDF in {total:.2f} s")
        now = sources.snapshot()
        changed = changes(snapshot, now)
        if not changed or any(sources.is_code(path) for path in changed):
            return snapshot         # (a change to the code is for _loop: it starts again)
        why, snapshot = _what_changed(changed), now


def _warm_up(templates_dir):
    """Load WeasyPrint's fonts and stylesheets here, once (``pdf.warm_up`` returns at once
    after the first time): PDF processes forked later start warm. A failure is left to the
    PDFs to report."""
    from . import processes
    from .report.pdf import warm_up

    try:
        processes.import_deferring_interrupts("weasyprint")
        warm_up(templates_dir)
    except Exception:   # noqa: BLE001 (the next PDF fails with the same error, and says so)
        pass


def _import_problem():
    """None if the package's code imports in a new process, else the error's last line."""
    code = "import " + ", ".join(CHECK_IMPORTS)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    if result.returncode == 0:
        return None
    lines = result.stderr.strip().splitlines()
    return lines[-1] if lines else f"exit status {result.returncode}"


def _restart(server, echo, why):
    """Start this command again in this process (``os.execv``), on the same port."""
    port = server.server_address[1]
    echo(f"{why}: starting again on the new code")
    server.shutdown()
    server.server_close()
    sys.stdout.flush()
    sys.stderr.flush()
    os.environ[RESTART_ENV] = str(port)
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])
