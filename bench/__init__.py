"""`make bench`: seeds a database, loads the production server, prints the figures (issue 9)."""
