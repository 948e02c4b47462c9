-- Subscriptions' catch-up (earthquakeReported and observationReceived with
-- since) reads what was stored or revised after a time, in that order.
CREATE INDEX earthquakes_updated ON earthquakes (updated_at, id);
CREATE INDEX observations_updated ON observations (updated_at, id);
