-- The database the SQL tests query (SQLite and PostgreSQL alike).
CREATE TABLE prices (ticker TEXT NOT NULL, day DATE NOT NULL, close NUMERIC(10, 2) NOT NULL);
INSERT INTO prices (ticker, day, close) VALUES
  ('BABA', '2023-01-31', 110.50),
  ('BABA', '2023-02-28', 98.20),
  ('BABA', '2023-03-31', 99.82),
  ('BIDU', '2023-01-31', 150.00),
  ('BIDU', '2023-02-28', 140.10),
  ('BIDU', '2023-03-31', 151.72);
CREATE TABLE companies (ticker TEXT PRIMARY KEY, name TEXT NOT NULL, employees INTEGER);
INSERT INTO companies (ticker, name, employees) VALUES
  ('BABA', 'Alibaba', 235216),
  ('BIDU', 'Baidu', 41300);
