"""The record contract: models, the registry of record kinds, vocabularies, ids, JSON Lines, schemas.

The bottom layer of kzdata: it imports nothing of kzdata but :mod:`kzdata.errors`.
"""
