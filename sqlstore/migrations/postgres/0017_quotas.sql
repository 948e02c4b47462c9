-- An account's own budgets, in cost points (see the README's Quotas):
-- NULL takes the server's default for accounts. A fulfilled access
-- request sets quota_per_day from its form's expected calls a day.
ALTER TABLE accounts ADD COLUMN quota_per_minute BIGINT;
ALTER TABLE accounts ADD COLUMN quota_per_day BIGINT;
