CREATE INDEX customers_email_idx ON customers (email);
