-- Schema 2 of the app's database. Run with: sqlite3 DATABASE < migrate.sql
-- when `sqlite3 DATABASE 'PRAGMA user_version'` prints less than SCHEMA.
BEGIN;
CREATE TABLE IF NOT EXISTS customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), item TEXT NOT NULL, qty INTEGER NOT NULL DEFAULT 1);
CREATE INDEX IF NOT EXISTS orders_customer ON orders(customer_id);
PRAGMA user_version = 2;
COMMIT;
