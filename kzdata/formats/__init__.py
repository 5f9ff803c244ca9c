"""Table formats of an export: Parquet, CSV, the Frictionless data package and the dataset card."""
