"""shipspec's benchmarks: ``python -m bench`` (``make bench``) prints the figures and writes BENCHMARKS.md.

One module per benchmark (``overhead``, ``throughput``, ``generation``, ``imports``, ``memory``), each with
a ``run(quick) -> Section``; ``stats`` holds the timing arithmetic, ``sandboxes`` runs the carrier
sandboxes in child processes, ``workload`` makes benchmark rows, ``ideal`` is the bare-httpx loop the
runner is compared with, ``report`` renders the Markdown. Benchmarks report; they never assert.
"""
