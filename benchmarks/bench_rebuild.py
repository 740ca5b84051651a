"""How long a rebuild after a template-only edit takes: the HTML, then the PDF.

    python benchmarks/bench_rebuild.py            # the quick preview's report, 5 edits
    python benchmarks/bench_rebuild.py --full     # the full report (trains it first, once)

In a copy of the project (experiments and templates; the package is this checkout's), the
report is built once, then a section's template (``--section``, the introduction by default)
is edited ``--edits`` times, a paragraph added under its heading, and the report rebuilt, two
ways:

- ``reportgen watch`` (the edit-build loop): the watch runs in its own process; after each
  edit its ``/version`` is asked every 10 ms, and the page fetched when that changes,
  until the page holds the new sentence (what the open page does, every 250 ms). ``served`` is the
  time from the edit to that page (the watch polls the files every 0.1 s and lets a save
  settle for 0.05 s before it builds); ``html`` and ``pdf`` are the times the watch itself
  prints, from the start of its build to the HTML written and to the PDF written.
- ``reportgen build``, a new process for each edit as a user runs it: ``wall`` is the
  command's time (it writes the HTML and the PDF together at the end); ``html ready`` is
  the end of its "embed html" stage, with the time to start the process and import the
  package before the first stage counted in.

Each edit waits for the PDF before the next one. Shown: the median, and the range, of each
time. The machine is shared: its load average is printed before and after, and figures
from a busy moment say so.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: the sentence each edit adds: a paragraph of its own just under the section's heading
HEADING = "{{ m.heading(section) }}"


def template(section):
    return Path("templates") / "sections" / f"{section}.html.j2"


def edit(project, number, section="introduction"):
    """Put a new paragraph (``Edit <number>.``) under the heading of ``section``'s template."""
    path = project / template(section)
    text = re.sub(r"\n<p>Edit \d+\.</p>", "", path.read_text())
    if HEADING not in text:
        raise SystemExit(f"{path} has no {HEADING!r} to edit under")
    path.write_text(text.replace(HEADING, f"{HEADING}\n<p>Edit {number}.</p>", 1))
    return f"Edit {number}."


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode()
    except OSError:
        return ""


def command(*args):
    return [sys.executable, "-m", "reportgen.cli", *args]


def environment():
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def profile_args(full):
    return [] if full else ["--quick"]


def bench_watch(project, full, edits, section):
    lines = []
    process = subprocess.Popen(
        command("watch", *profile_args(full), "--experiments", "experiments", "--templates",
                "templates", "--out", "output"),
        cwd=project, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True)
    threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")),
                     daemon=True).start()

    def wait_line(pattern, start, timeout=600):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in lines[start:]:
                if (match := re.search(pattern, line)):
                    return match
            if process.poll() is not None:
                raise SystemExit("the watch ended:\n" + "".join(lines))
            time.sleep(0.01)
        raise SystemExit(f"no line {pattern!r} after {timeout} s:\n" + "".join(lines))

    rows = []
    try:
        url = wait_line(r"at (http://127\.0\.0\.1:\d+/)", 0).group(1)
        wait_line(r"PDF in|up to date", 0)           # the first build, cold
        time.sleep(1.0)
        for number in range(1, edits + 1):
            start_line = len(lines)
            version = fetch(url + "version")
            marker = edit(project, number, section)
            edited = time.monotonic()
            # as the page does, but every 10 ms: ask for the version, and when it changes
            # fetch the page (the version changes once more when the PDF is written)
            while True:
                if (now := fetch(url + "version")) != version:
                    version = now
                    if marker in fetch(url):
                        break
                if time.monotonic() - edited > 120:
                    raise SystemExit("the edit was not served after 120 s:\n" + "".join(lines))
                time.sleep(0.01)
            served = time.monotonic() - edited
            done = wait_line(r"changed: HTML in ([\d.]+) s, PDF in ([\d.]+) s", start_line)
            rows.append({"served": served, "html": float(done.group(1)),
                         "pdf": float(done.group(2))})
            time.sleep(0.5)
    finally:
        os.killpg(process.pid, 2)                    # Ctrl-C
        process.wait(timeout=60)
    return rows


def bench_build(project, full, edits, section):
    args = command("build", *profile_args(full), "--experiments", "experiments", "--templates",
                   "templates", "--out", "output", "-q")
    rows = []
    for number in range(1, edits + 1):
        edit(project, 100 + number, section)
        start = time.monotonic()
        result = subprocess.run(args, cwd=project, env=environment(), capture_output=True,
                                text=True)
        wall = time.monotonic() - start
        if result.returncode:
            raise SystemExit(result.stdout + result.stderr)
        stages = {m.group(1).strip(): float(m.group(2))
                  for m in re.finditer(r"^  (\S[^\d]*?)\s+([\d.]+) s", result.stdout, re.M)}
        staged = sum(s for name, s in stages.items() if name != "total")
        before_html = []
        for name, seconds in stages.items():
            before_html.append(seconds)
            if name == "embed html":
                break
        # the process's start and imports: the wall time the stages do not account for
        startup = wall - staged
        rows.append({"wall": wall, "html ready": startup + sum(before_html)})
    return rows


def show(title, rows):
    print(title)
    for key in rows[0]:
        values = [row[key] for row in rows]
        print(f"  {key:<11} {statistics.median(values):6.2f} s  "
              f"({min(values):.2f}-{max(values):.2f} s, {len(values)} edits)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="the full report, not the preview")
    parser.add_argument("--edits", type=int, default=5, help="edits per way (default 5)")
    parser.add_argument("--section", default="introduction",
                        help="the section whose template is edited (default introduction; "
                             "discussion is the longest chapter)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep the project copy (and its caches) here between runs")
    options = parser.parse_args()
    work = options.workdir or Path(tempfile.mkdtemp(prefix="bench-rebuild-"))
    try:
        for name in ("experiments", "templates"):      # this checkout's (the caches stay)
            shutil.rmtree(work / name, ignore_errors=True)
            shutil.copytree(ROOT / name, work / name)
        print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; "
              f"{'full report' if options.full else 'quick preview'}; edits to "
              f"{template(options.section)}; first build...")
        subprocess.run(command("build", *profile_args(options.full), "--experiments",
                               "experiments", "--templates", "templates", "--out", "output",
                               "-q"), cwd=work, env=environment(), check=True,
                       capture_output=True)
        show("reportgen watch, after a template edit",
             bench_watch(work, options.full, options.edits, options.section))
        show("reportgen build, after a template edit",
             bench_build(work, options.full, options.edits, options.section))
        print(f"load average {os.getloadavg()[0]:.2f}")
    finally:
        if options.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
