"""Writing outputs safely: paths checked first, atomic writes, signals, leftovers."""
