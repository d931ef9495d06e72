"""ctn-graph: a knowledge graph of anti-trafficking cooperation read from Latvian documents."""

__version__ = "0.1.0"
