"""Scanner bridge (SANE, eSCL, hot folder, HTTP upload) feeding intake — a later issue."""
