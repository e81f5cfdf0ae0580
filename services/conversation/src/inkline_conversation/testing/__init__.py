"""The conversation service in memory, for unit tests of the journey (memory.py: the repositories and
unit of work; studio.py: a client and an artist driving the real handlers)."""
