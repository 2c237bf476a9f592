"""Generation: full regeneration vs bare tool runs on the same specs, and a no-op regeneration.

Everything runs in a scratch copy of ``generator/``, ``specs/`` and ``generated/`` (the generator finds its
folders next to itself), so the work tree is never touched, whatever state other work left it in.

- **full regeneration**: ``python -m generator --force`` (every package rebuilt: openapi-python-client per
  carrier, our jinja2 tables, datamodel-code-generator for the neutral models, ruff, lock files).
- **bare openapi-python-client**: ``openapi-python-client generate --path SPEC --meta uv --output-path DIR``
  per carrier spec, with the tool's default configuration (which runs its ruff post-hooks); summed.
- **bare datamodel-code-generator**: the neutral-model spec with the tool's defaults and pydantic v2 output.
- **no-op regeneration**: ``python -m generator`` with every spec unchanged (lock files only): the whole
  process, interpreter start-up included, as a person running ``make generate`` waits for it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from generator.build import packages
from generator.drift import compare_trees
from generator.paths import GENERATED, SHIPPING_MODELS_DIR, SPECS

from .report import REPO, Figure, Section
from .stats import Sample, interleaved, ratio

__all__ = ["run"]

FULL_ROUNDS, QUICK_FULL_ROUNDS = 3, 1
NOOP_RUNS, QUICK_NOOP_RUNS = 15, 3
NOOP_TARGET_SECONDS = 0.3
COPIED = ("generator", "specs", "generated")
IGNORED = shutil.ignore_patterns("__pycache__", ".mypy_cache", ".ruff_cache", "*.pyc")
BIN = Path(sys.executable).parent


def _wall(argv: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(argv, cwd=cwd, check=True, capture_output=True, text=True)
    return time.perf_counter() - started


def _opc(spec: Path, out: Path) -> list[str]:
    return [str(BIN / "openapi-python-client"), "generate", "--path", str(spec), "--meta", "uv",
            "--output-path", str(out)]  # fmt: skip


def _dmcg(spec: Path, out: Path) -> list[str]:
    return [str(BIN / "datamodel-codegen"), "--input", str(spec), "--input-file-type", "jsonschema",
            "--output-model-type", "pydantic_v2.BaseModel", "--output", str(out)]  # fmt: skip


def _bare(runner: Callable[[Path, Path], list[str]], specs: dict[str, Path], scratch: Path) -> float:
    """Run a tool once per spec into fresh folders; return the summed wall time."""
    total = 0.0
    for name, spec in specs.items():
        out = scratch / f"bare-{name}"
        shutil.rmtree(out, ignore_errors=True)
        total += _wall(runner(spec, out if runner is _opc else scratch / f"bare-{name}.py"), scratch)
        shutil.rmtree(out, ignore_errors=True)
    return total


def run(quick: bool = False) -> Section:
    """Time full and bare generation interleaved, then no-op regenerations, in a scratch copy."""
    rounds = QUICK_FULL_ROUNDS if quick else FULL_ROUNDS
    runs = QUICK_NOOP_RUNS if quick else NOOP_RUNS
    specs = packages(SPECS)
    carriers = {name: spec for name, spec in specs.items() if name != SHIPPING_MODELS_DIR}
    neutral = {name: spec for name, spec in specs.items() if name == SHIPPING_MODELS_DIR}
    with tempfile.TemporaryDirectory(prefix="shipspec-bench-gen-") as scratch_name:
        scratch = Path(scratch_name)
        copy = scratch / "repo"
        for name in COPIED:
            shutil.copytree(REPO / name, copy / name, ignore=IGNORED)
        generator = [sys.executable, "-m", "generator"]
        samples = interleaved(
            {
                "full": lambda: _wall([*generator, "--force"], copy),
                "opc": lambda: _bare(_opc, carriers, scratch),
                "dmcg": lambda: _bare(_dmcg, neutral, scratch),
            },
            rounds=rounds,
        )
        drift = [
            f"{name}/{problem.path}"
            for name in specs
            for problem in compare_trees(GENERATED / name, copy / "generated" / name)
        ]
        listing = subprocess.run(generator, cwd=copy, check=True, capture_output=True, text=True).stdout
        noop = Sample(tuple(_wall(generator, copy) for _ in range(runs)))
    return _section(samples, noop, rounds, len(carriers), drift, listing)


def _section(
    samples: dict[str, Sample], noop: Sample, rounds: int, carriers: int, drift: list[str], listing: str
) -> Section:
    full, opc, dmcg = samples["full"], samples["opc"], samples["dmcg"]
    both = Sample(tuple(a + b for a, b in zip(opc.values, dmcg.values, strict=True)))
    skipped_all = all(line.startswith("up to date") for line in listing.splitlines()[:-1])
    figures = [
        Figure("full regeneration (`python -m generator --force`)", full.describe(1, " s")),
        Figure(f"bare openapi-python-client, {carriers} specs summed", opc.describe(1, " s")),
        Figure("bare datamodel-code-generator, neutral models", dmcg.describe(1, " s")),
        Figure("full / bare openapi-python-client", f"{ratio(full, opc):.2f}x"),
        Figure("full / (bare openapi-python-client + datamodel-code-generator)", f"{ratio(full, both):.2f}x"),
        Figure(
            "no-op regeneration (`python -m generator`, whole process)",
            noop.describe(1, " s", 3),
            f"≤ {NOOP_TARGET_SECONDS} s",
            noop.median <= NOOP_TARGET_SECONDS,
        ),
    ]
    notes = [
        "The full regeneration's output is byte-identical to the committed generated/."
        if not drift
        else "The full regeneration's output differs from the committed generated/ in: " + ", ".join(drift),
        "What the generator adds to the bare tool runs: rendering our tables (error codes, limits, "
        "operations) from the specs' x- extensions, copying each spec into its package, one ruff "
        "fix+format pass per package, hashing every file into the lock files, and its own start-up.",
        "Fixed after profiling (pyinstrument on `python -m generator`): a no-op run imported the build "
        "tools (jinja2, yaml and the spec reader, via `generator.build`) though it only reads lock files; "
        "those imports were most of its time (0.37 s of 0.52 s on this machine under load, about 0.24 s "
        "when quiet). `python -m generator` now imports `generator.build` only when a package is rebuilt "
        "or checked, and lists the packages with `generator.paths.package_specs`.",
    ]
    if not skipped_all:
        notes.append("Warning: the no-op run rebuilt something; its figure is not a no-op:\n\n" + listing)
    return Section(
        key="generation",
        title="4. Generation",
        method=(
            f"{rounds} interleaved rounds of: a full regeneration, the bare openapi-python-client runs (one "
            "per carrier spec, summed) and the bare datamodel-code-generator run, all wall-clock time of "
            f"the whole processes; then the no-op regeneration repeated {len(noop.values)} times. "
            "Everything runs in a scratch copy of generator/, specs/ and generated/."
        ),
        figures=figures,
        commands=[
            ".venv/bin/python -m bench generation",
            "(cd SCRATCH && .venv/bin/python -m generator --force)   # full",
            ".venv/bin/openapi-python-client generate --path specs/CARRIER.yaml --meta uv --output-path OUT",
            ".venv/bin/datamodel-codegen --input specs/shipping.yaml --input-file-type jsonschema "
            "--output-model-type pydantic_v2.BaseModel --output OUT.py",
            "(cd SCRATCH && .venv/bin/python -m generator)           # no-op",
        ],
        notes=notes,
    )
