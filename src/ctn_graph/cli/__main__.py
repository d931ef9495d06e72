"""`python -m ctn_graph.cli ...`: the command line, as the `ctn-graph` script runs it."""

from .root import main

if __name__ == "__main__":
    main()
