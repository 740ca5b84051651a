"""``reportgen init [DIR]``: a ready lab project for a student.

It holds ``experiments/`` (the default report's experiment files, commented, with
``report.toml``: the title page, the engine and the listings, each setting commented),
``prose/`` (one Markdown file per section and ``conclusion.md``, each starting with a comment
that says where its text goes, and otherwise empty) and a ``README.md`` with the commands
that build and preview the report. ``reportgen build`` run in that folder builds its report.
"""
import textwrap
from pathlib import Path

from .resources import EXPERIMENTS_DIR

#: the experiment folder's files that a project gets (the shipped report's own)
EXPERIMENT_PATTERNS = ("*.toml", "*.json", "README.md")

_PROSE_HEADER = """{first}
     Markdown (CommonMark): paragraphs, **bold**, *italic*, lists, tables, `code`,
     [links](https://example.org); maths as in the rest of the report, $\\eta$ inline and
     $$\\frac{{\\partial L}}{{\\partial W}}$$ displayed. A heading (#) is set at the level of
     the report's parts. Raw HTML is shown as the text it is; comments like this one are left
     out. A file that holds nothing else adds nothing to the report. -->
"""

_README = """# {title}

A lab report made with reportgen: every number and figure in it is measured by the build
that writes it.

Build the report (`output/report.pdf` and `output/report.html`):

```bash
reportgen build
```

Preview it while you edit: the report is served on 127.0.0.1 (the address is printed) and
built again whenever a file of this folder changes; the open page reloads itself:

```bash
reportgen watch --quick
```

(`--quick`: a preview in seconds, 2 seeds and shortened training, under `output/quick/`;
`reportgen build --quick` writes the same preview once.)

- `experiments/report.toml`: the title page (title, authors, course, date, abstract), the
  PDF's metadata, your own templates, the engine the report trains with and the code it lists.
- `experiments/*.toml`: the experiments, one per file (see `experiments/README.md`).
- `prose/*.md`: your own words, in Markdown: `prose/<section>.md` at the end of that section,
  `prose/conclusion.md` as a Conclusion section before the appendix.
"""

_GITIGNORE = "output/\n"


def prose_files():
    """{path in the project: text} of the prose files, each with its comment only."""
    from .report.prose import CONCLUSION, CONCLUSION_TITLE
    from .report.sections import SECTIONS

    def header(name, where):
        first = textwrap.fill(f"<!-- prose/{name}.md: your own words, {where}.", width=94,
                              subsequent_indent="     ")
        return _PROSE_HEADER.format(first=first)

    files = {}
    for section in SECTIONS:
        where = f'placed at the end of the section "{section.title}", after everything ' \
                f"reportgen writes there"
        files[f"prose/{section.id}.md"] = header(section.id, where)
    files[f"prose/{CONCLUSION}.md"] = header(
        CONCLUSION, f'as a section of their own, "{CONCLUSION_TITLE}", before the '
                               f"appendix (when this file holds some)")
    return files


def files():
    """{path in the project (POSIX): bytes} of every file ``reportgen init`` writes."""
    from .experiments.config import load_report_metadata

    made = {}
    for pattern in EXPERIMENT_PATTERNS:
        for path in sorted(Path(EXPERIMENTS_DIR).glob(pattern)):
            made[f"experiments/{path.name}"] = path.read_bytes()
    made.update((name, text.encode()) for name, text in prose_files().items())
    title = load_report_metadata(EXPERIMENTS_DIR)["title"]
    made["README.md"] = _README.format(title=title).encode()
    made[".gitignore"] = _GITIGNORE.encode()
    return dict(sorted(made.items()))


def existing(directory):
    """The files ``init`` would write into ``directory`` that are there already."""
    return [name for name in files() if (Path(directory) / name).exists()]


def init(directory, force=False):
    """Write the project's files into ``directory`` (made if need be); returns their paths.
    Raises FileExistsError naming the files that exist, unless ``force``."""
    from .atomic import atomic_write_bytes

    directory = Path(directory)
    if not force:
        there = existing(directory)
        if there:
            raise FileExistsError(there)
    written = []
    for name, data in files().items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data)
        written.append(path)
    return written
