"""Local stand-ins for the providers Inkline talks to, speaking their real wire formats.

Used by tests (as fakes behind the real adapters) and by `make up` (as the sandbox hub). Services never
import this package.
"""
