"""`python -m generator` works the same as the `signpost` command."""
from generator.cli import main

main(prog_name="signpost")
