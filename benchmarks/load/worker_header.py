"""X-Worker: the pid of the gunicorn worker that served the response (benchmarks only: lets
benchmarks/targets.py tell whether each worker recomputes after a change)."""

import os


def worker_header(get_response):
    pid = str(os.getpid())

    def middleware(request):
        response = get_response(request)
        response["X-Worker"] = pid
        return response

    return middleware
