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
