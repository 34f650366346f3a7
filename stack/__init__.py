"""Starting a local factdesk stack: an embedded Redis and `factdesk worker`/`serve` processes.

Used by `factdesk run`, the test fixtures and the benchmarks; none of it serves HTTP itself.
"""
