"""Developer tools, not used by the app's pages: the benchmark (``bench``), the load test (``load``), the
websocket client that drives a running server (``server``), per-rerun profiling (``profiling``) and the
Nagle switch for Streamlit's server socket (``nodelay``)."""
