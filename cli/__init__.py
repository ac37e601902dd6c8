"""The ``cvt`` command line: run the product, manage users, start cases, import records."""
