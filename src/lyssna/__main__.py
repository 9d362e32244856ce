"""``python -m lyssna`` runs the CLI."""

from lyssna.cli import main

if __name__ == "__main__":
    main()
