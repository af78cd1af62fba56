-- Failed logins as one counter row per key, so that a failure is one atomic
-- statement (INSERT … ON CONFLICT DO UPDATE … RETURNING, ../loginFailures.ts):
-- failures racing in from several app processes are all counted, and the one
-- that reaches the limit locks the key for every process at once.
-- key: 'user:<name>' or 'ip:<address>'. Replaces 0001's login_failures (a row
-- per failure), which no code wrote.
DROP TABLE login_failures;

CREATE TABLE login_limits (
	key text PRIMARY KEY,
	-- failures since first_at (the window's start)
	count integer NOT NULL CHECK (count >= 1),
	first_at timestamptz NOT NULL,
	-- set by the failure that reached the limit; null while under it
	locked_until timestamptz
);
-- the sweep of rows whose window and lock are over
CREATE INDEX login_limits_first_at ON login_limits (first_at);
