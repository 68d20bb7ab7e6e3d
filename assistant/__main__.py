"""`python -m assistant …` is the same as the `kategori` command."""

from assistant.cli import run

run()
