"""Reading and checking a data set: loaders that only read, pure checks that name file, row,
field and value, dates as month numbers, and the control chronology."""
