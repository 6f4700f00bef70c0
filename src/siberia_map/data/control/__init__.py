"""Who held each place month by month, and the records checked against it."""
