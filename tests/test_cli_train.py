import re

from click.testing import CliRunner
from pypdf import PdfReader  # noqa: F401  (the test extra must provide it)

from reportgen import __version__
from reportgen.cli import main


def test_version():
    out = CliRunner().invoke(main, ["--version"])
    assert out.exit_code == 0 and __version__ in out.output


def test_train_xor_prints_loss_table_and_accuracy(tmp_path):
    figure = tmp_path / "cmp.png"
    out = CliRunner().invoke(main, ["train", "--dataset", "xor", "--hidden", "4", "4",
                                    "--figure", str(figure)])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].startswith("Training 2-4-4-1 network on xor (21 points)")
    assert sum(1 for l in lines if re.match(r"epoch +\d+ +loss \d\.\d{6}", l)) == 11
    rows = [l for l in lines if re.match(r" *\d+ +\d\.\d{3} +\d\.\d{3} +[01] ", l)]
    assert len(rows) == 21
    assert "Accuracy: 21/21 = 100.00%" in out.output
    assert figure.stat().st_size > 10_000 and figure.read_bytes()[:4] == b"\x89PNG"


def test_hidden_takes_several_values_and_other_options_still_parse():
    out = CliRunner().invoke(main, ["train", "--dataset", "linear", "--hidden", "3", "5", "2",
                                    "--epochs", "50", "--print-every", "25"])
    assert out.exit_code == 0, out.output
    assert "2-3-5-2-1 network on linear (100 points)" in out.output
    assert len([l for l in out.output.splitlines() if l.startswith("epoch")]) == 3


def test_bad_option_is_a_usage_error():
    out = CliRunner().invoke(main, ["train", "--lr", "-0.5"])
    assert out.exit_code == 2
    assert "--lr" in out.output and "Traceback" not in out.output
    out = CliRunner().invoke(main, ["train", "--activation", "softplus"])
    assert out.exit_code == 2 and "--activation" in out.output


def test_the_demo_defaults_are_the_commands():
    from reportgen import demo

    params = {p.name: p.default for p in main.commands["train"].params}
    for name, default in demo.DEFAULTS.items():
        if name == "bias":
            assert params["no_bias"] is (not default)
        else:
            assert (tuple(params[name]) if name == "hidden" else params[name]) == default, name


def test_the_reports_screenshot_is_what_the_command_prints():
    """Results, part A shows ``demo.printout`` under the command ``demo.command`` names."""
    import shlex

    from reportgen import demo
    from reportgen.engine import RunSpec, datasets, train

    spec = RunSpec(sizes=(2, 3, 5, 1), lr=0.5, epochs=300, seed=2, bias=False)
    X, y = datasets.load("linear")
    printed = demo.printout(train(spec, X, y), "linear", X, y)
    line = demo.command(spec, "linear")
    assert line.startswith("reportgen train ")
    out = CliRunner().invoke(main, shlex.split(line)[1:])
    assert out.exit_code == 0 and out.output.splitlines() == printed
    assert demo.command(RunSpec(momentum=0.5), "xor") is None


def test_the_accuracy_line_says_whether_100_held():
    from reportgen import demo
    from reportgen.engine import RunSpec, datasets, train

    X, y = datasets.load("xor")
    held = demo.printout(train(RunSpec(epochs=5000), X, y), "xor", X, y)[-1]
    assert re.search(r"100% first reached after \d+ epochs (and held to the end|, held from "
                     r"epoch \d+ to the end)", held)
    assert "never reached 100%" in demo.printout(train(RunSpec(epochs=50), X, y), "xor", X, y)[-1]
