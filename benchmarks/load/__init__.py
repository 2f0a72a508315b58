"""Helpers of benchmarks/load.py: settings, URLConf and WSGI entry with the floor view, the
account script and the wrk Lua script. A package so that `benchmarks.load.*` resolves here and
not to benchmarks/load.py."""
