"""``python -m shipspec.sandbox``: the same as ``shipspec sandbox``."""

from ..cli.sandbox import sandbox

if __name__ == "__main__":
    sandbox(prog_name="python -m shipspec.sandbox")
