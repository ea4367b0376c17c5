"""Reading and writing data that people bring in files."""
