"""Files attached to records, stored on disk with a checksum."""
