"""A fuzzer: the bundled scenarios mutated as a careless or hostile user would, through the
real command line. Every file must give exit 0 or exit 2, never a traceback (exit 1), never
a hang, and no results folder after exit 2.

The mutations are drawn by a seeded generator (``random.Random``), so every run tries the
same files and a failure reproduces anywhere: its case number and mutations are in the
assert message. ``ROLLOUT_FUZZ_CASES`` sets how many files (default: a CI-sized number;
try ``ROLLOUT_FUZZ_CASES=2000`` locally) and ``ROLLOUT_FUZZ_SEED`` which ones.

Each file is validated (``rollout validate``); the first :data:`RUNS` that validate are also
run for one replication (``rollout run --reps 1``, on a shortened horizon to keep the suite
quick), and one refused file in :data:`REFUSED_RUN_EVERY` is run to see it writes nothing.
Both run in this process through ``cli.main`` (what the installed script calls), which is
far faster than a subprocess per file; a replication runs in this process too.
"""

from __future__ import annotations

import copy
import math
import os
import random
import signal
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import run_main

from sim.scenario import bundled_dir
from sim.scenario.writing import toml_key, toml_value

CASES = int(os.environ.get("ROLLOUT_FUZZ_CASES", "300"))
SEED = int(os.environ.get("ROLLOUT_FUZZ_SEED", "19"))
RUNS = int(os.environ.get("ROLLOUT_FUZZ_RUNS", "12"))
REFUSED_RUN_EVERY = 10
SECONDS_PER_COMMAND = 60  # a hang, far beyond what any case takes

# Values that have broken tools before: wrong types, non-finite, huge and tiny numbers,
# dates with a time of day, long text.
ODD_VALUES: list[Any] = [
    "12",
    "yes",
    "",
    True,
    False,
    0,
    -1,
    1.5,
    math.nan,
    math.inf,
    -math.inf,
    1e300,
    -1e300,
    1e-300,
    10**30,
    2**63 - 1,
    date(9999, 12, 31),
    date(1, 1, 1),
    datetime(2015, 11, 1, 10, 0, tzinfo=UTC),
    datetime(2016, 1, 1),
    [],
    [1, 2, 3],
    {},
    {"a": 1},
    "x" * 5_000,
    "\x1b[31mred\x1b[0m",
    '=HYPERLINK("http://example.com")',
]
# Changes that keep a value's type, so that the file may still be valid: extreme cases that
# must run, not only cases that must be refused.
SCALES = [0, 0.5, 2, 10, 1000]
# Entries of [uncertainty] that are wrong in some way (or extreme but allowed).
ODD_UNCERTAINTY: list[dict[str, Any]] = [
    {"distribution": "gamma", "mean": 1e300, "sd": 1e300, "source": "x"},
    {"distribution": "gamma", "mean": 1e9, "sd": 1e-9, "source": "x"},
    {"distribution": "gamma", "mean": 0.2, "sd": 1e-300, "source": "x"},
    {"distribution": "lognormal", "mean": 0.2, "sd": 1e6, "source": "x"},
    {"distribution": "beta", "mean": 0.5, "sd": 0.49, "source": "x"},
    {"distribution": "normal", "mean": 0.5, "sd": math.inf, "source": "x"},
    {"distribution": "uniform", "low": 1, "high": 1, "source": "x"},
    {"distribution": "triangular", "low": 0, "mode": 5, "high": 1, "source": "x"},
    {"distribution": "weibull", "mean": 1, "sd": 1, "source": "x"},
    {"distribution": "gamma", "mean": 0.2, "sd": 0.1},
    {"distribution": "uniform", "low": "a", "high": "b", "source": "x"},
    {"mean": 1},
    "gamma",
]
UNCERTAIN_KEYS = [
    "practice.uptake",
    "practice.half_life_months",
    "champions.dropout_unsupported",
    "champions.target",
    "workforce.roles.social_worker.turnover",
    "workforce.roles.social_worker.posts",
    "programme.foundation.cohorts",
    "programme.phases.0.start_after_months",
    "scenario.horizon_months",
    "scenario.start",
    "no.such.key",
]


class Hang(BaseException):
    """A command ran past :data:`SECONDS_PER_COMMAND` (a BaseException, so that no
    ``except Exception`` in the command can swallow it).
    """


def _alarm(signum, frame):
    raise Hang


# --------------------------------------------------------------------------- mutations


def leaves(node: Any, path: tuple = ()) -> list[tuple]:
    """Every path to a value or a table in ``node`` (tables and arrays included)."""
    found = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += leaves(value, (*path, i))
    return found


def parent_of(data: Any, path: tuple) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def mutate_data(data: dict, rng: random.Random) -> list[str]:
    """Change ``data`` in place in one to three ways; what was done, for the message.

    A table is chosen first, then a key in it, so that the many ``[sources]`` entries do not
    take most of the changes.
    """
    done = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        tables = [k for k in data if k not in ("sources", "uncertainty")] or list(data)
        if not tables:
            break
        top = rng.choice([*tables, "sources"]) if "sources" in data else rng.choice(tables)
        paths = [p for p in leaves(data) if p[0] == top] or [(top,)]
        path = rng.choice(paths)
        where = ".".join(map(str, path))
        parent, last = parent_of(data, path), path[-1]
        kind = rng.choice(
            ["delete", "value", "value", "scale", "scale", "huge-array", "uncertainty", "long-text"]
        )
        old = parent[last]
        if kind == "scale" and isinstance(old, int | float) and not isinstance(old, bool):
            factor = rng.choice(SCALES)
            parent[last] = type(old)(old * factor)
            done.append(f"{where} = {parent[last]!r} ({factor} times)")
        elif kind == "delete":
            del parent[last]
            done.append(f"deleted {where}")
        elif kind in ("value", "scale"):
            value = rng.choice(ODD_VALUES)
            parent[last] = copy.deepcopy(value)
            done.append(f"{where} = {value!r:.40}")
        elif kind == "huge-array":
            parent[last] = [parent[last]] * rng.choice([101, 1_001, 20_000])
            done.append(f"{where} repeated in a huge array")
        elif kind == "long-text":
            parent[last] = rng.choice(["n" * 300, "n" * 20_000, "word " * 100_000])
            done.append(f"{where} = long text")
        else:
            table = data.setdefault("uncertainty", {})
            if not isinstance(table, dict):
                continue
            key, entry = rng.choice(UNCERTAIN_KEYS), rng.choice(ODD_UNCERTAINTY)
            table[key] = copy.deepcopy(entry)
            done.append(f"uncertainty.{key} = {entry!r:.60}")
    return done


def as_toml(data: dict) -> str:
    """``data`` as TOML text, every top-level table inline (one line each)."""
    return "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in data.items())


def mutate_bytes(raw: bytes, rng: random.Random) -> tuple[bytes, str]:
    """A change to the file's bytes that TOML cannot express."""
    where = rng.randrange(len(raw) + 1)
    choice = rng.choice(["bom", "bad-utf8", "nul", "deep-array", "deep-header", "truncate"])
    if choice == "bom":
        return b"\xef\xbb\xbf" + raw, "a byte-order mark"
    if choice == "bad-utf8":
        return raw[:where] + b"\xff\xfe\xc3" + raw[where:], f"broken UTF-8 at byte {where}"
    if choice == "nul":
        return raw[:where] + b"\x00" + raw[where:], f"a NUL byte at {where}"
    if choice == "deep-array":
        depth = rng.choice([13, 100, 1_000, 50_000])
        return raw + b"\nx = " + b"[" * depth + b"]" * depth + b"\n", f"arrays {depth} deep"
    if choice == "deep-header":
        depth = rng.choice([13, 500])
        return raw + b"\n[" + b".".join([b"a"] * depth) + b"]\nb = 1\n", f"header {depth} deep"
    return raw[:where], f"cut at byte {where}"


def cases() -> list[tuple[int, str, bytes, list[str]]]:
    """(case number, bundled name, file bytes, what was done) for every case."""
    rng = random.Random(SEED)
    bundled = {
        path.stem: tomllib.loads(path.read_text(encoding="utf-8"))
        for path in sorted(bundled_dir().glob("*.toml"))
    }
    made = []
    for case in range(CASES):
        name = rng.choice(sorted(bundled))
        data = copy.deepcopy(bundled[name])
        done = mutate_data(data, rng)
        raw = as_toml(data).encode("utf-8", "surrogatepass")
        if rng.random() < 0.25:
            raw, what = mutate_bytes(raw, rng)
            done.append(what)
        made.append((case, name, raw, done))
    return made


# --------------------------------------------------------------------------- the checks


def command(args: list[str], cwd: Path, monkeypatch, capsys) -> tuple[int, str, str]:
    """``rollout ARGS`` in this process, stopped (and failed) if it hangs."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(SECONDS_PER_COMMAND)
    try:
        return run_main(args, cwd, monkeypatch, capsys)
    except Hang:
        pytest.fail(f"rollout {' '.join(args[:2])} ran over {SECONDS_PER_COMMAND} s: a hang")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_mutated_scenarios_give_exit_0_or_2_and_nothing_after_2(tmp_path, monkeypatch, capsys):
    assert CASES > 0, "ROLLOUT_FUZZ_CASES must be at least 1"
    outcomes = {0: 0, 2: 0}
    ran = refused_runs = 0
    for case, name, raw, done in cases():
        path = tmp_path / f"case{case}.toml"
        path.write_bytes(raw)
        about = f"case {case} (seed {SEED}, from {name}: {'; '.join(done)})"
        code, out, err = command(["validate", str(path)], tmp_path, monkeypatch, capsys)
        assert code in (0, 2), f"{about}: validate gave exit {code}:\n{err[-3000:]}"
        assert "Traceback" not in err + out, f"{about}: validate printed a traceback:\n{err}"
        if code == 2:
            lines = err.strip().splitlines()
            assert lines, (
                f"{about}: validate's error lines do not all start 'rollout: ': {lines[:5]}"
            )
            assert all(line.startswith("rollout: ") for line in lines), (
                f"{about}: validate's error lines do not all start 'rollout: ': {lines[:5]}"
            )
        outcomes[code] += 1
        if code == 0 and ran < RUNS:
            ran += 1
        elif code == 2 and outcomes[2] % REFUSED_RUN_EVERY == 1:
            refused_runs += 1
        else:
            continue
        out_dir = tmp_path / f"run{case}"
        args = ["run", str(path), "--reps", "1", "--out", str(out_dir), "--workers", "1"]
        if code == 0:  # a short horizon, with the common clock inside it
            args += ["--set", "scenario.horizon_months=24", "--set", "measures.at_months=[12]"]
        code, out, err = command(args, tmp_path, monkeypatch, capsys)
        assert code in (0, 2), f"{about}: run gave exit {code}:\n{err[-3000:]}"
        assert "Traceback" not in err + out, f"{about}: run printed a traceback:\n{err}"
        if code == 2:
            assert not out_dir.exists(), f"{about}: run wrote {out_dir} although it exited 2"
        else:
            assert (out_dir / "summary.csv").is_file(), f"{about}: run gave 0 without summary"
    assert outcomes[2] > 0, f"no mutated file was refused ({outcomes}): the mutations are idle"
    assert ran > 0 or RUNS == 0, f"runs: {ran} valid, {refused_runs} refused"
    assert refused_runs > 0, f"runs: {ran} valid, {refused_runs} refused"
