"""Leaf data and lookups shared by every stage: countries and their forms, quantities,
weapon terms and text search. Imports nothing else of the package."""
