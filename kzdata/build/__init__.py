"""Build the dataset: parse and extract every article, merge curated records, link, derive, validate, export."""
