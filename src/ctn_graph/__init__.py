"""ctn-graph: a knowledge graph of anti-trafficking cooperation read from Latvian documents."""

from .common.resources import __version__ as __version__
