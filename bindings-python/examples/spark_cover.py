"""The batch cover check on Spark: a generated ledger through delcredere.spark.cover_batch on a
local Spark, the figures summed per cover type, and checked against the single-process call.

    .venv/bin/python bindings-python/examples/spark_cover.py            # local[2], 20,000 rows

On a cluster, replace the session and read the ledger from your tables; give ``order`` a
column that orders your invoices (an invoice number), and ``buyers`` your per-buyer table.
Needs pyspark and a Java runtime (scripts/setup.sh installs both).
"""

import sys
from typing import Any, Dict, List

import pyarrow as pa


def run(spark: Any, n_buyers: int = 200, n_invoices: int = 20_000) -> List[Dict[str, Any]]:
    from pyspark.sql import functions as F

    import delcredere
    from delcredere import sample
    from delcredere.spark import cover_batch

    ledger, buyers = sample.ledger(n_buyers, n_invoices, seed=11)
    ledger = ledger.append_column("invoice_no", pa.array(range(ledger.num_rows), pa.int64()))
    df = spark.createDataFrame(ledger)

    covered = cover_batch(df, sample.POLICY, buyers, sample.as_of(), order="invoice_no",
                          paid_on="paid_on", errors="column")
    summary = (covered.groupBy("cover_type")
               .agg(F.count("*").alias("invoices"), F.sum("amount").alias("amount"),
                    F.sum("covered").alias("covered"), F.sum("uncovered").alias("uncovered"))
               .orderBy("cover_type").collect())

    # The same ledger in one process gives the same sums.
    single = delcredere.cover_batch(ledger, sample.POLICY, buyers, sample.as_of(),
                                    paid_on="paid_on", errors="column").to_pandas()
    for row in summary:
        part = single[single["cover_type"].astype(object) == row["cover_type"]] \
            if row["cover_type"] is not None else single[single["cover_type"].isna()]
        assert len(part) == row["invoices"], row
        assert sum(part["covered"], 0) == row["covered"], row
    return [row.asDict() for row in summary]


def main() -> int:
    import os

    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the workers run this interpreter
    spark = (SparkSession.builder.master("local[2]").appName("delcredere-spark-example")
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
             .getOrCreate())
    try:
        for row in run(spark):
            print(f"{str(row['cover_type']):>13}: {row['invoices']:>6} invoices, "
                  f"amount {row['amount']:>14}, covered {row['covered']:>14}, uncovered {row['uncovered']:>14}")
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
