"""The anonymous page cache: reader pages kept in the shared cache and in each
worker, retired by what changed (middleware.py, copies.py, purge.py)."""
