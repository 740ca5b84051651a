"""Table rows shared by several sections: the sweep summary, as ``reportgen run`` prints it."""
from ...experiments.summary import HEADER, summary_rows
from ...figures.labels import dataset_name, setting_label, translated_label
from ...i18n import N_, _, pgettext
from ..facts import SHORT_HOLD, held_briefly

#: the sweep summary's header (``reportgen run``'s, in English), as the report's tables
#: show it: each a message, translated when a table is made (``sweep_columns``)
SWEEP_COLUMNS = list(HEADER)
_COLUMN_MESSAGES = (N_("setting"), N_("data"), N_("final accuracy"), N_("converged"),
                    N_("held 100% from"), N_("fell back"), N_("diverged"))
assert _COLUMN_MESSAGES == HEADER, "the sweep header changed: mark its new words"


def sweep_columns():
    """``SWEEP_COLUMNS`` in the report's language."""
    return [_(column) for column in SWEEP_COLUMNS]


def sweep_caption(what, seeds, epochs):
    length = _list_and().join(f"{e:,}" for e in epochs)
    return _("{what}, {length} epochs, over {seeds} seeds per setting and data set: final "
             "accuracy (mean ± standard deviation over the seeds, population form); seeds that "
             "converged (held 100% to the end) and the median epoch from which they held it "
             "(\"late\": of those, seeds that held it only over less than the last {share} of "
             "the epochs); seeds whose accuracy fell back after first reaching 100%; diverged "
             "runs.").format(what=what, length=length, seeds=seeds, share=f"{SHORT_HOLD:.0%}")


def _list_and():
    """The separator of a list's last two items (the template macros' ``list_and``)."""
    return pgettext("list separator before the last item", " and ")


#: how a row that is the main network, or its configuration at another length, is marked
#: (messages: translated where they are shown, ``main_mark`` and ``main_note``)
MAIN_MARKS = {"main": N_("(main network)"), "setting": N_("(main setting)")}
MAIN_NOTE = {"main": N_("(main network): the main network's own runs, those of Section 3"),
             "setting": N_("(main setting): the main network's configuration, trained for "
                           "another number of epochs")}


def main_mark(kind):
    """The mark of a row of ``kind`` ("main", "setting"), in the report's language."""
    return _(MAIN_MARKS[kind])


def sweep_table(table_id, what, sweep, main_spec=None):
    """The summary table of one experiment (``sweep``: its SweepFacts); with ``main_spec``
    (the main network's spec but for the seed), its rows that are the main network, or its
    configuration trained for another number of epochs, are marked (``MAIN_MARKS``)."""
    from .base import Table

    epochs = sorted({run.spec.epochs for run in sweep.res.runs()})
    rows, found = shown_rows(sweep.res), set()
    if main_spec is not None:
        rows, found = mark_main(sweep.res, rows, main_spec)
    return Table(table_id, sweep_caption(what, sweep.seeds, epochs) + main_note(found),
                 sweep_columns(), translated_rows(sweep.res, rows))


def main_note(found):
    """What the marks ``found`` (``mark_main``) mean, as a sentence after a caption."""
    notes = pgettext("between clauses", "; ").join(_(MAIN_NOTE[kind]) for kind in MAIN_MARKS
                                                   if kind in found)
    return _(" Rows marked {notes}.").format(notes=notes) if notes else ""


def main_kind(runs, main_spec):
    """"main" when ``runs`` are the main network's (``main_spec``: its spec but for the seed),
    "setting" when only their number of epochs differs, else None. (Any spec may stand in
    for the main network's: the same question of two settings.)"""
    specs = [dict(run.spec.to_dict(), seed=None) for run in runs]
    main = dict(main_spec, seed=None)
    if all(spec == main for spec in specs):
        return "main"
    if all(dict(spec, epochs=None) == dict(main, epochs=None) for spec in specs):
        return "setting"
    return None


def mark_main(res, rows, main_spec):
    """``rows`` (``shown_rows(res)``) with the main network's rows marked (on a line under the
    label), and the kinds of mark used. A label that already says "main" is left as it is."""
    pairs = [(s, d) for s in res.settings for d in res.datasets]
    marked, found = [], set()
    for row, (setting, _) in zip(rows, pairs + [(None, None)] * (len(rows) - len(pairs))):
        kind = setting and main_kind(res.runs(setting), main_spec)
        if kind and "main" not in row[0] and main_mark(kind) not in row[0]:
            # under the label: on its line, it would widen the table past the page
            row = [f"{row[0]}\n{main_mark(kind)}", *row[1:]]
            found.add(kind)
        marked.append(row)
    return marked, found


def shown_rows(res):
    """``summary_rows`` with each setting and data set by its display name ("leaky ReLU,
    lr=1", "XOR"), as the figures name them."""
    return [[setting_label(row[0], res.overrides(row[0])), dataset_name(row[1]), row[2],
             row[3] if row[0] in res.unsupported else converged_cell(res, *row[:2], row[3]),
             *row[4:]] for row in summary_rows(res)]


def translated_rows(res, rows):
    """``rows`` (``shown_rows``, perhaps marked) with each setting's label and data set in the
    language being written: the rows are made in English, the language of their labels'
    messages and of ``mark_main``'s test for a label that says "main"."""
    labels = {setting_label(s, res.overrides(s)): translated_label(s, res.overrides(s))
              for s in [*res.settings, *res.unsupported]}
    names = {dataset_name(d): _(dataset_name(d)) for d in res.datasets}

    def label(cell):
        first, *rest = cell.split("\n", 1)
        return "\n".join([labels.get(first, first), *rest])

    return [[label(row[0]), names.get(row[1], row[1]), *row[2:]] for row in rows]


def converged_cell(res, setting, dataset, converged):
    """The converged cell (``converged``, "4/5") of a setting on a data set, with how many of
    those seeds held 100% only late (``facts.held_briefly``): "4/5 (2 late)"."""
    late = sum(held_briefly(r) for r in res.runs(setting, dataset))
    return _("{converged} ({late} late)").format(converged=converged, late=late) if late \
        else converged
