"""Email: queued during a request, sent after its commit (services), and the
outbox that records each message (models)."""
