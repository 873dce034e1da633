"""Shared test helpers: real PKI tools (NSS, SoftHSM2, a local TSA)."""
