-- The signals the app receives and the workers process.
CREATE TABLE signals (
  id bigserial PRIMARY KEY,
  symbol text NOT NULL,
  side text NOT NULL CHECK (side IN ('buy', 'sell')),
  price numeric(18, 6) NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
