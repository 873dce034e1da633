"""sohoa: digitize the paper dossiers handed in at Vietnam's one-stop counters."""

__version__ = "0.1.0"
