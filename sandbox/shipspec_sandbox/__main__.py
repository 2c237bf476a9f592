"""``python -m shipspec_sandbox``: the same as ``shipspec sandbox``."""

from shipspec.cli.sandbox import sandbox

if __name__ == "__main__":
    sandbox(prog_name="python -m shipspec_sandbox")
