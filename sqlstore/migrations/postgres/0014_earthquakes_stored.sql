-- Subscriptions' catch-up (earthquakeReported(since: …)) reads the events
-- stored or revised after a time, in that order.
CREATE INDEX earthquakes_updated ON earthquakes (updated_at, id);
