"""Click option types the standard ones lack."""
import click


class IntListOption(click.Option):
    """An option followed by one or more integers: ``--hidden 4 4``.

    Click options take a fixed number of values, so after the first value this option
    also takes every following argument that is a plain integer.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("type", click.IntRange(min=1))
        super().__init__(*args, multiple=True, **kwargs)

    def add_to_parser(self, parser, ctx):
        super().add_to_parser(parser, ctx)
        for name in self.opts:
            parser_option = parser._long_opt.get(name) or parser._short_opt.get(name)
            if parser_option is not None:
                parser_option.process = self._greedy(parser_option.process)

    @staticmethod
    def _greedy(process):
        def take_all(value, state):
            process(value, state)
            while state.rargs and state.rargs[0].isdigit():
                process(state.rargs.pop(0), state)
        return take_all


class RegistryChoice(click.Choice):
    """A choice among the names of one of the engine's registries, read whenever click needs
    them (help, checking a value): an entry registered after the command line was built is
    offered too. The engine is imported only then, not for every command.

    ``RegistryChoice("activations", "ACTIVATIONS", where=lambda entry: entry.for_output)``
    offers the activations whose entry passes ``where``.
    """

    def __init__(self, module, table, where=None, case_sensitive=True):
        # click.Choice.__init__ would store a fixed tuple: ``choices`` is a property here
        self.module, self.table, self.where = module, table, where
        self.case_sensitive = case_sensitive

    @property
    def choices(self):
        import importlib

        registry = getattr(importlib.import_module(f"reportgen.engine.{self.module}"), self.table)
        return tuple(name for name, entry in registry.items()
                     if self.where is None or self.where(entry))
