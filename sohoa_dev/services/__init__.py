"""Real servers on 127.0.0.1 for tests and benchmarks, started and stopped by the caller:
SeaweedFS (:mod:`.seaweed`), Redis and RabbitMQ (:mod:`.brokers`), a throwaway PostgreSQL
database (:mod:`.postgres`); :mod:`.processes` has what they share. No pytest here: the
fixtures (skip locally, fail under CI=true) are in ``tests/helpers/``."""
