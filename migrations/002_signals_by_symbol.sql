-- The workers read a symbol's latest signals first.
CREATE INDEX signals_by_symbol ON signals (symbol, received_at DESC);
