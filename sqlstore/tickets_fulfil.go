package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// ticketForToken finds the ticket a tracking token opens, locked when lock
// is set. A malformed, unknown, wrong or expired token is NOT_FOUND, the
// same answer as for a ticket that does not exist; the hash is compared in
// constant time.
func (s *Store) ticketForToken(ctx context.Context, q sqlx.ExtContext, token string, lock bool) (*mkg.Ticket, *ticketSecrets, error) {
	notFound := mkg.NotFound("ticket")
	prefix, ok := mkg.TrackingTokenPrefix(token)
	if !ok {
		return nil, nil, notFound
	}
	forUpdate := ""
	if lock {
		forUpdate = s.dialect.forUpdate
	}
	var row ticketSecrets
	err := sqlx.GetContext(ctx, q, &row, s.rebind("SELECT "+ticketColumns+", "+secretColumns+" FROM tickets t WHERE t.token_prefix = ?"+forUpdate), prefix)
	if err != nil {
		if isNoRows(err) {
			return nil, nil, notFound
		}
		return nil, nil, s.wrap(err)
	}
	if !mkg.TokenMatches(token, row.TokenHash) {
		return nil, nil, notFound
	}
	t, err := row.ticket()
	if err != nil {
		return nil, nil, s.wrap(err)
	}
	if t.TokenExpired(s.ticketNow()) {
		return nil, nil, notFound
	}
	return t, &row, nil
}

// TicketByToken implements mkg.TicketStore.
func (s *Store) TicketByToken(ctx context.Context, token string) (*mkg.Ticket, error) {
	t, _, err := s.ticketForToken(ctx, s.q(), token, false)
	if err != nil {
		return nil, err
	}
	return s.ticketByID(ctx, s.q(), t.ID)
}

// Fulfil implements mkg.TicketStore. In the ticket's transaction it creates
// the account (organisation, contact and application from the ticket;
// valid until f.ValidUntil, or else the basis' validity end), grants the
// approved datasets and issues a key, each with its audit event, and keeps
// the key encrypted to the ticket's public key (mkg.SealToTicket) for the
// applicant to collect. The rules are mkg's (Ticket.CheckFulfilment).
func (s *Store) Fulfil(ctx context.Context, by mkg.TicketCaller, id int64, f mkg.Fulfilment) (*mkg.Ticket, error) {
	return s.act(ctx, by, id, mkg.ActFulfil, func(ctx context.Context, q sqlx.ExtContext, t *mkg.Ticket, sec *ticketSecrets, now time.Time, ch *change) error {
		f, err := t.CheckFulfilment(f, now)
		if err != nil {
			return err
		}
		actor := mkg.Actor{AccountID: by.Account.ID, Label: by.Label()}
		acct, err := s.createTicketAccount(ctx, q, actor, t, f.ValidUntil, now)
		if err != nil {
			return err
		}
		for _, g := range f.Grants {
			if err := s.grantForTicket(ctx, q, actor, t, acct, g, now); err != nil {
				return err
			}
		}
		label := "ticket " + t.Number
		key, rec, err := s.insertKey(ctx, q, acct.ID, label, nil, now)
		if err != nil {
			return err
		}
		err = s.record(ctx, q, actor, now, "key.issue", "apiKey", formatID(rec.ID), map[string]any{
			"accountId": acct.ID, "prefix": rec.Prefix, "label": label, "expiresAt": nil, "ticket": t.Number})
		if err != nil {
			return err
		}
		if ch.sealedKey, err = mkg.SealToTicket(sec.KeyPublic, key, t.Number); err != nil {
			return err
		}
		ch.accountID, ch.note, ch.details = acct.ID, f.Note, f.Details(acct.ID, rec.Prefix)
		return nil
	})
}

// createTicketAccount creates the applicant's account as CreateAccount
// does, inside the ticket's transaction.
func (s *Store) createTicketAccount(ctx context.Context, q sqlx.ExtContext, actor mkg.Actor, t *mkg.Ticket, validUntil *time.Time, now time.Time) (*mkg.Account, error) {
	in := t.AccountInput(validUntil)
	vals, err := accountValues(&in, now)
	if err != nil {
		return nil, err
	}
	id, err := s.insertAccount(ctx, q, vals, now)
	if err != nil {
		return nil, err
	}
	// The daily budget follows from the calls a day the form announced.
	perDay := mkg.DailyBudgetFor(in.Application.CallsPerDay)
	if perDay != nil {
		if _, err := q.ExecContext(ctx, s.rebind(`UPDATE accounts SET quota_per_day = ? WHERE id = ?`), *perDay, id); err != nil {
			return nil, s.wrap(err)
		}
	}
	acct, err := s.lockedAccount(ctx, q, id)
	if err != nil {
		return nil, err
	}
	details := accountFields(acct)
	details["ticket"], _ = json.Marshal(t.Number)
	if perDay != nil {
		details["budgetPerDay"], _ = json.Marshal(*perDay)
	}
	return acct, s.record(ctx, q, actor, now, "account.create", "account", formatID(id), details)
}

// grantForTicket grants one approved dataset to the new account.
func (s *Store) grantForTicket(ctx context.Context, q sqlx.ExtContext, actor mkg.Actor, t *mkg.Ticket, acct *mkg.Account, g mkg.ApprovedGrant, now time.Time) error {
	if err := mkg.CheckGrant(acct, g.Dataset, g.ExpiresAt, now); err != nil {
		var e *mkg.Error
		if errors.As(err, &e) {
			return mkg.Invalid("grants", "%s", e.Message)
		}
		return err
	}
	_, err := q.ExecContext(ctx, s.rebind(`INSERT INTO grants (account_id, dataset, expires_at, granted_at, granted_by) VALUES (?, ?, ?, ?, ?)`),
		acct.ID, string(g.Dataset), nullTime(g.ExpiresAt), dbTime{now}, actor.Label)
	if err != nil {
		return s.wrap(err)
	}
	return s.record(ctx, q, actor, now, "grant.add", "account", formatID(acct.ID),
		map[string]any{"dataset": string(g.Dataset), "expiresAt": jsonTime(g.ExpiresAt), "ticket": t.Number})
}

// CollectKey implements mkg.TicketStore. The key waits encrypted to the
// ticket's public key; the token unseals the ticket's private key, which
// decrypts it (mkg.OpenTicketKey). The ciphertext is deleted in the
// same transaction, under the ticket's lock, so the key is handed out
// exactly once: a second call, or one before fulfilment, is NOT_FOUND. The
// collection is audited (key.collect) without the key.
func (s *Store) CollectKey(ctx context.Context, token string) (string, error) {
	var key string
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		t, sec, err := s.ticketForToken(ctx, q, token, true)
		if err != nil {
			return err
		}
		if err := t.CheckKeyWaiting(); err != nil {
			return err
		}
		if key, err = mkg.OpenTicketKey(sec.KeyPrivate, token, sec.KeyPublic, sec.SealedKey, t.Number); err != nil {
			return err
		}
		now := s.ticketNow()
		res, err := q.ExecContext(ctx, s.rebind(`UPDATE tickets SET sealed_key = NULL, key_collected_at = ? WHERE id = ? AND sealed_key IS NOT NULL`),
			dbTime{now}, t.ID)
		if err != nil {
			return s.wrap(err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return s.wrap(err)
		} else if n != 1 {
			return mkg.NotFound("key")
		}
		prefix, _ := mkg.KeyPrefix(key)
		return s.record(ctx, q, mkg.Actor{Label: "applicant"}, now, "key.collect", "account", formatID(t.AccountID),
			map[string]any{"ticket": t.Number, "prefix": prefix})
	})
	if err != nil {
		return "", err
	}
	return key, nil
}
