"""delcredere.spark.cover_batch on a local[2] Spark (spec/batch.md, "On a cluster"): the
single-process figures row for row, each buyer in one partition, bad rows and a duplicate
order refused with the row named.

Skipped when pyspark or a Java runtime is missing, except under CI (CI=true), where
scripts/setup.sh installs both and a missing one is a failure."""

import importlib.util
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

import delcredere
from delcredere import InputError, PolicyError, sample

AS_OF = sample.as_of()
# pyspark 4.3 warns about pandas 3 on every session; mapInArrow does not go through pandas.
pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")

RESULTS = ("outstanding", "covered", "uncovered", "cover_type", "overdue_status", "report_by")


def _missing() -> str:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (scripts/setup.sh pins it)"
    java = shutil.which("java", path=os.path.join(os.environ["JAVA_HOME"], "bin")) \
        if os.environ.get("JAVA_HOME") else shutil.which("java")
    if java is None or subprocess.run([java, "-version"], capture_output=True).returncode != 0:
        return "no Java runtime (scripts/setup.sh installs Debian's headless JRE)"
    return ""


@pytest.fixture(scope="module")
def spark():
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"the Spark test must run under CI: {reason}")
        pytest.skip(reason)
    from pyspark.sql import SparkSession

    # The Python workers run this interpreter (the venv with delcredere), not the first python3
    # on PATH.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (SparkSession.builder.master("local[2]").appName("delcredere-test")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "4")
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "500")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def ledger():
    """3,000 invoices over 40 buyers with late payments (BAT-6 exclusions), a row number."""
    table, buyers = sample.ledger(n_buyers=40, n_invoices=3000, seed=3)
    return table.append_column("row", pa.array(range(table.num_rows), pa.int64())), buyers


def _strings(column: pa.ChunkedArray) -> list:
    return column.cast(pa.string()).to_pylist() if pa.types.is_dictionary(column.type) else column.to_pylist()


def test_by_buyer_partitions_give_the_single_process_result_row_for_row(spark, ledger) -> None:
    from pyspark.sql import functions as F

    from delcredere.spark import cover_batch

    table, buyers = ledger
    expected = delcredere.cover_batch(table, sample.POLICY, buyers, AS_OF, paid_on="paid_on")
    # The ledger reaches Spark shuffled: only the `row` column keeps its order (BAT-1 takes a
    # buyer's invoices of one date in row order; the sample has such ties).
    keys = pc.binary_join_element_wise(pc.cast(table.column("buyer"), pa.string()),
                                       pc.cast(table.column("date"), pa.string()), "/")
    assert len(pc.unique(keys)) < table.num_rows, "the ledger has a buyer's invoices on one date"
    shuffled = table.take(pa.array(list(reversed(range(table.num_rows)))))
    df = spark.createDataFrame(shuffled).repartition(3)

    out = cover_batch(df, sample.POLICY, buyers, AS_OF, order="row", paid_on="paid_on")
    out = out.withColumn("partition", F.spark_partition_id()).toArrow()
    out = out.sort_by("row")

    assert out.column("row").to_pylist() == list(range(table.num_rows))
    for name in RESULTS:
        assert out.column(name).to_pylist() == _strings(expected.column(name)), name
    assert set(out.column("cover_type").to_pylist()) == {"namedLimit", "selfAssessed", "none"}
    assert Decimal("0.00") in out.column("covered").to_pylist()  # BAT-6 exclusions among them
    # Each buyer's rows in one partition, over more than one partition.
    pairs = out.group_by(["buyer", "partition"]).aggregate([]).to_pylist()
    assert len(pairs) == len({p["buyer"] for p in pairs}) == 40
    assert len({p["partition"] for p in pairs}) > 1


def test_the_result_schema_keeps_the_ledger_and_gives_exact_decimals(spark, ledger) -> None:
    from pyspark.sql.types import DateType, DecimalType, StringType

    from delcredere.spark import cover_batch

    table, buyers = ledger
    out = cover_batch(spark.createDataFrame(table), sample.POLICY, buyers, AS_OF, order="row",
                      paid_on="paid_on", errors="column")
    fields = {f.name: f.dataType for f in out.schema.fields}
    assert list(fields) == table.column_names + list(RESULTS) + ["error"]
    assert fields["covered"] == DecimalType(38, 2)
    assert fields["cover_type"] == StringType() and fields["report_by"] == DateType()


def test_bad_rows_name_the_row_by_its_order_value(spark, ledger) -> None:
    from delcredere.spark import cover_batch

    table, buyers = ledger
    small = table.slice(0, 200)
    amounts = small.column("amount").to_pylist()
    amounts[57] = Decimal("-5.00")
    bad = small.set_column(1, "amount", pa.array(amounts, pa.decimal128(18, 2)))
    df = spark.createDataFrame(bad)

    out = cover_batch(df, sample.POLICY, buyers, AS_OF, order="row", paid_on="paid_on",
                      errors="column").toArrow().sort_by("row")
    errors = out.column("error").to_pylist()
    assert [i for i, e in enumerate(errors) if e is not None] == [57]
    assert errors[57].startswith("out_of_range: ")
    assert out.column("covered")[57].as_py() is None

    with pytest.raises(Exception) as failed:
        cover_batch(df, sample.POLICY, buyers, AS_OF, order="row", paid_on="paid_on").collect()
    assert "rows[row=57].amount: value -5.00 is out of range" in str(failed.value)


def test_two_rows_of_a_buyer_on_a_date_with_one_order_value_are_refused(spark) -> None:
    from delcredere.spark import cover_batch

    table, buyers = sample.ledger(n_buyers=1, n_invoices=4, seed=1)
    table = table.set_column(2, "date", pa.array([table.column("date")[0].as_py()] * 4, pa.date32()))
    table = table.append_column("invoice_no", pa.array([1, 2, 2, 3], pa.int64()))
    with pytest.raises(Exception) as failed:
        cover_batch(spark.createDataFrame(table), sample.POLICY, buyers, AS_OF,
                    order="invoice_no").collect()
    assert "rows[invoice_no=2]: 2 rows of buyer 0" in str(failed.value)


def test_a_bad_policy_or_a_missing_column_raises_on_the_driver_before_any_job(spark, ledger) -> None:
    from delcredere.spark import cover_batch

    table, buyers = ledger
    df = spark.createDataFrame(table.slice(0, 10))
    with pytest.raises(PolicyError):
        cover_batch(df, dict(sample.POLICY, indemnityPercentage="150"), buyers, AS_OF, order="row")
    with pytest.raises(InputError) as missing:
        cover_batch(df, sample.POLICY, buyers, AS_OF, order="invoice_no")
    assert missing.value.field == "columns.invoice_no"


def test_the_example_runs_and_agrees_with_one_process(spark) -> None:
    path = Path(__file__).resolve().parents[1] / "examples" / "spark_cover.py"
    spec = importlib.util.spec_from_file_location("spark_cover", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    summary = example.run(spark, n_buyers=30, n_invoices=2000)
    assert sum(row["invoices"] for row in summary) == 2000
