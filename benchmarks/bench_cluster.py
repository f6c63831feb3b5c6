"""Benchmark: the engines beyond one machine, and large outputs. Prints figures; asserts nothing.

    python benchmarks/bench_cluster.py [--reps 1000] [--national-reps 20] [--workers 2]

Three measurements, wall-clock through the Python API with a run folder written (as the
``rollout`` commands do), on an otherwise idle machine:

1. ``--reps`` Camden replications on the local process pool (``--workers``) and on a Dask
   ``LocalCluster`` of as many worker processes (``--dask``), start-up included; on one
   machine Dask costs its start-up and a little per batch, and pays off only on a cluster;
2. the same run's per-replication tables as CSV and as Parquet (``--format``): bytes and time;
3. ``rollout national`` with ``--national-reps`` futures per council (every council), on the
   local pool: scenario building and the experiment.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sim import experiments, load_scenario, resolve_scenario  # noqa: E402
from sim.experiments.engines import Engine  # noqa: E402
from sim.national import scenarios  # noqa: E402
from sim.national.experiment import national  # noqa: E402


def _size(folder: Path, names: list[str]) -> int:
    return sum((folder / n).stat().st_size for n in names)


def _timed_run(camden, reps: int, workers: int, out: Path, **kwargs) -> tuple[float, dict]:
    began = time.perf_counter()
    experiments.run(camden, reps=reps, seed=1, workers=workers, out=out, **kwargs)
    took = time.perf_counter() - began
    timings = json.loads((out / "manifest.json").read_text())["timings"]
    return took, timings


def main() -> None:
    """Time the same work on a local Dask cluster and on this machine's pool; print both."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=1000, help="Camden replications")
    parser.add_argument("--national-reps", type=int, default=20, help="futures per council")
    parser.add_argument("--workers", type=int, default=None, help="default: every core")
    parser.add_argument("--skip-national", action="store_true")
    args = parser.parse_args()
    workers = args.workers or os.cpu_count() or 1
    camden = load_scenario(resolve_scenario("camden"))
    print(f"{workers} worker process(es) on {os.cpu_count()} cores")

    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        base = Path(tmp)
        local, t_local = _timed_run(camden, args.reps, workers, base / "local")
        print(
            f"run, {args.reps:,} Camden replications, local pool:   {local:6.2f} s "
            f"({args.reps / local:,.0f} replications/s; "
            f"simulation {t_local['simulation_seconds']} s)"
        )
        dask, t_dask = _timed_run(camden, args.reps, workers, base / "dask", engine=Engine("dask"))
        print(
            f"run, {args.reps:,} Camden replications, --dask:       {dask:6.2f} s "
            f"({args.reps / dask:,.0f} replications/s; "
            f"simulation {t_dask['simulation_seconds']} s; the cluster starts before that)"
        )
        same = all(
            (base / "local" / n).read_bytes() == (base / "dask" / n).read_bytes()
            for n in ("timeseries.csv", "summary.csv")
        )
        print(f"  byte-identical timeseries.csv and summary.csv: {same}")

        parquet, _ = _timed_run(camden, args.reps, workers, base / "parquet", file_format="parquet")
        csv_bytes = _size(base / "local", ["timeseries.csv", "summary.csv"])
        pq_bytes = _size(base / "parquet", ["timeseries.parquet", "summary.parquet"])
        print(
            f"per-replication tables: CSV {csv_bytes / 1e6:,.1f} MB ({local:.2f} s), Parquet "
            f"{pq_bytes / 1e6:,.2f} MB ({parquet:.2f} s), {csv_bytes / pq_bytes:.1f} times smaller"
        )

        if args.skip_national:
            return
        began = time.perf_counter()
        built = scenarios.build("camden", start=date(2026, 4, 1))
        building = time.perf_counter() - began
        ran = sum(c.built for c in built)
        began = time.perf_counter()
        national(
            built, "camden", reps=args.national_reps, seed=1, workers=workers, out=base / "national"
        )
        took = time.perf_counter() - began
        print(
            f"national, {ran} councils x {args.national_reps} futures "
            f"({ran * args.national_reps:,} replications, {len(built) - ran} skipped): "
            f"building {building:.1f} s, running {took:.1f} s on the local pool"
        )


if __name__ == "__main__":
    main()
