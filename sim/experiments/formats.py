"""File formats of the per-replication tables: CSV (the default) or Parquet (``--format``).

A run of many replications writes large tables: 10,000 Camden replications make about a
gigabyte of ``timeseries.csv``. With ``--format parquet`` the per-replication tables
(``timeseries``, ``summary``, ``sweep_replications``) are written as Parquet instead: the
same columns with the same types, a fraction of the size, and quick to read by column.
The tables of statistics (``summary_stats.csv``, ``comparison.csv``, ``sweep.csv`` …) are
small and stay CSV.

Batches are kept as CSV text whatever the format (:mod:`.batches`), so a run resumes the
same way; the Parquet file is made at assembly by streaming, batch file by batch file,
through pyarrow's CSV reader into a ``ParquetWriter``, so memory stays small however
many replications there are. pyarrow is imported only here, only when Parquet is asked
for: it is an optional extra (``pip install 'rollout[cluster]'``).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..model.measures import BOOLEAN_SUMMARY
from ..scenario.keys import BadArgument
from ..scenario.safe_text import literal_frame, unliteral
from . import batches
from .batches import COUNT_COLUMNS, Batch, Point

FORMATS = ("csv", "parquet")
ROW_GROUP_ROWS = 1 << 17  # rows gathered before a Parquet row group is written
# Read back the same doubles as were written (and as pyarrow reads them): pandas 3 does so
# by default (and deprecates the option); pandas 2's default parser may be 1 ulp off.
_EXACT = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}


def check(file_format: str) -> str:
    """``file_format`` if it can be written here; bad input otherwise."""
    if file_format not in FORMATS:
        raise BadArgument(
            "{file_format} {given}: choose {known}", given=file_format, known=" or ".join(FORMATS)
        )
    if file_format == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise BadArgument(
                "{file_format} parquet: pyarrow is not installed; pip install 'rollout[cluster]'"
            ) from None
    return file_format


def file_name(stem: str, file_format: str) -> str:
    """``summary`` → ``summary.csv`` or ``summary.parquet``."""
    return f"{stem}.{file_format}"


# --------------------------------------------------------------------------- column types


def _label_type(values: Sequence[Any]) -> str:
    """The type of a label column from its values: what reading the CSV back gives."""
    if all(isinstance(v, bool) for v in values):
        return "bool"
    if all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in values):
        return "int64"
    if all(isinstance(v, int | float | np.number) and not isinstance(v, bool) for v in values):
        return "float64"
    if all(isinstance(v, datetime.date) for v in values):
        return "date"
    return "string"


def column_types(points: Sequence[Point], part: str) -> dict[str, str]:
    """Each column of a per-replication table (``part``: ``summary.csv`` or
    ``timeseries.csv``) and its type: ``int64``, ``float64``, ``bool``, ``string``, ``date``.
    """
    labels = list(points[0].labels)
    types = {k: _label_type([p.labels[k] for p in points]) for k in labels}
    if part == "timeseries.csv":
        header = batches.timeseries_header(points)
        for name in header[len(labels) :]:
            if name in ("rep", "month", *COUNT_COLUMNS):
                types[name] = "int64"
            elif name == "date":
                types[name] = "string"
            else:
                types[name] = "float64"
        return types
    header = batches.summary_header(points)
    for name in header[len(labels) :]:
        if name == "rep":
            types[name] = "int64"
        elif name in BOOLEAN_SUMMARY:
            types[name] = "bool"
        else:
            types[name] = "float64"
    return types


def _arrow_schema(types: dict[str, str]):
    import pyarrow as pa

    kinds = {
        "int64": pa.int64(),
        "float64": pa.float64(),
        "bool": pa.bool_(),
        "string": pa.string(),
        "date": pa.date32(),
    }
    return pa.schema([(name, kinds[kind]) for name, kind in types.items()])


def _read_csv_rows(source: Any, schema):
    """Header-less CSV rows (as :mod:`.batches` writes them) as an Arrow table."""
    from pyarrow import csv

    return csv.read_csv(
        source,
        read_options=csv.ReadOptions(column_names=schema.names),
        convert_options=csv.ConvertOptions(
            column_types=schema,
            true_values=["True"],
            false_values=["False"],
            null_values=[""],
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


# --------------------------------------------------------------------------- writing


def write_csv(table: pd.DataFrame, path: Path) -> Path:
    """Write a table of a run folder as CSV: every text cell made literal, so that no
    name can become a spreadsheet formula (:func:`~sim.scenario.safe_text.literal`).
    """
    literal_frame(table).to_csv(path, index=False)
    return path


def assemble(
    folder: Path,
    plan: Sequence[Batch],
    points: Sequence[Point],
    part: str,
    out: Path,
    file_format: str,
) -> Path:
    """Write the per-replication table ``part`` of every batch to ``out`` (its suffix is
    the format's), in batch order, streamed; returns the path written.
    """
    header = (
        batches.timeseries_header(points)
        if part == "timeseries.csv"
        else batches.summary_header(points)
    )
    if file_format == "csv":
        batches.concatenate(folder, plan, part, header, out)
        return out
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _arrow_schema(column_types(points, part))
    partial = out.with_name(out.name + ".partial")
    waiting: list = []
    rows = 0
    with pq.ParquetWriter(partial, schema, compression="zstd") as writer:
        for batch in plan:
            table = _read_csv_rows(batches.batch_path(folder, batch, part), schema)
            waiting.append(table)
            rows += table.num_rows
            if rows >= ROW_GROUP_ROWS:
                writer.write_table(pa.concat_tables(waiting), row_group_size=rows)
                waiting, rows = [], 0
        if waiting or not plan:
            table = pa.concat_tables(waiting) if waiting else schema.empty_table()
            writer.write_table(table, row_group_size=max(rows, 1))
    partial.replace(out)
    return out


def parquet_size(text: str, points: Sequence[Point], part: str) -> tuple[int, int]:
    """Bytes a batch's CSV rows of ``part`` take as Parquet: (the file's fixed part, the
    rows' part), so that a whole run's file is estimated as fixed + rows x batches.
    """
    import pyarrow.parquet as pq

    schema = _arrow_schema(column_types(points, part))
    sizes = []
    for table in (schema.empty_table(), _read_csv_rows(io.BytesIO(text.encode()), schema)):
        sink = io.BytesIO()
        pq.write_table(table, sink, compression="zstd")
        sizes.append(sink.tell())
    return sizes[0], max(0, sizes[1] - sizes[0])


# --------------------------------------------------------------------------- reading


def read_rows(path: Path, points: Sequence[Point]) -> pd.DataFrame:
    """A per-replication table (CSV or Parquet, by suffix) with the same types either way:
    whole numbers as int64, measures as float64, yes/no measures as ``boolean``, dates
    of the months as text, labels as the plan gave them.
    """
    label_keys = list(points[0].labels)
    if path.suffix == ".parquet":
        table = pd.read_parquet(path)
        for key in label_keys:
            table[key] = table[key].astype(str) if key != "point" else table[key]
        if "date" in table.columns:
            table["date"] = table["date"].astype(str)
    else:
        table = pd.read_csv(path, dtype={"date": str, **{k: str for k in label_keys}}, **_EXACT)
    for key in label_keys:  # names as the plan gave them, not as written for spreadsheets
        if key != "point":
            table[key] = table[key].map(unliteral)
    for name in BOOLEAN_SUMMARY:
        if name in table.columns:
            table[name] = table[name].astype("boolean")
    return restore_labels(table, points)


def restore_labels(table: pd.DataFrame, points: Sequence[Point]) -> pd.DataFrame:
    # Grid values come back from the plan, not from text: dates stay dates, 3 stays 3.
    """Put back the labels' types (grid points, dates) in a table read from text."""
    if "point" in points[0].labels:
        index = table["point"].astype(int)
        table["point"] = index
        for key in list(points[0].labels)[1:]:
            table[key] = [points[i].labels[key] for i in index]
    return table
