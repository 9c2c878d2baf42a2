"""Entry point of the frozen bundles: the same ``companion.cli:main`` that pip's scripts call."""

import sys

from companion.cli import main

if __name__ == "__main__":
    sys.exit(main())
