-- What each account used of the API, summed per day (UTC, 'YYYY-MM-DD')
-- and dataset ('' for the account's totals); servers add to the sums every
-- few seconds, never a row per request.
CREATE TABLE usage_daily (
    account_id BIGINT NOT NULL,
    day        TEXT NOT NULL,
    dataset    TEXT NOT NULL,
    requests   BIGINT NOT NULL DEFAULT 0,
    cost       BIGINT NOT NULL DEFAULT 0,
    rows_out   BIGINT NOT NULL DEFAULT 0,
    downloads  BIGINT NOT NULL DEFAULT 0,
    bytes      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, day, dataset)
);
CREATE INDEX usage_daily_day ON usage_daily (day, account_id);
