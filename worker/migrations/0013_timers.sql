-- Issue 24: an engineer's timer on a ticket lives on the server, so it survives a reload, a
-- phone change and a night offline. One running timer per person and ticket; stopping it logs
-- the time as a work entry and removes the row in the same batch.
CREATE TABLE timers (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  started_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, ticket_id)
);
