"""Bounds on work: values no experiment needs are refused."""
import pytest

from reportgen.engine import RunSpec


# ---- absurd values: refused by RunSpec, whatever the flag --------------------------------

ABSURD = [
    ({"epochs": 10**12}, "epochs: must be <= 10000000"),
    ({"epochs": 10**7 + 1}, "epochs: must be <= 10000000"),
    ({"sizes": (2, 1000000, 1000000, 1)}, "sizes: every layer has at most 10000 units"),
    ({"batch_size": 10**9}, "batch_size: must be <= 1000000"),
    ({"sizes": (2, 4, 1), "conv": [{"channels": 10**5, "kernel": 2}]}, "conv[0].channels: must be <= 10000"),
    ({"sizes": (2, 4, 1), "conv": [{"channels": 2, "kernel": 10**5, "padding": "same"}]},
     "conv[0].kernel: must be <= 10000"),
]


@pytest.mark.parametrize("fields,message", ABSURD, ids=[m for _, m in ABSURD])
def test_runspec_refuses_absurd_values(fields, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        RunSpec(**fields)
