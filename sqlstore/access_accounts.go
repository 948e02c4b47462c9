package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

const accountColumns = `a.id, a.organisation, a.contact_name, a.contact_email, a.contact_phone, a.app_name, a.app_description,
	a.app_platform, a.app_callback_url, a.app_source_addresses, a.app_calls_per_day, a.status, a.status_reason, a.valid_until,
	a.roles, a.quota_per_minute, a.quota_per_day, a.created_at, a.updated_at`

type accountRow struct {
	ID                 int64         `db:"id"`
	Organisation       string        `db:"organisation"`
	ContactName        string        `db:"contact_name"`
	ContactEmail       string        `db:"contact_email"`
	ContactPhone       string        `db:"contact_phone"`
	AppName            string        `db:"app_name"`
	AppDescription     string        `db:"app_description"`
	AppPlatform        string        `db:"app_platform"`
	AppCallbackURL     string        `db:"app_callback_url"`
	AppSourceAddresses string        `db:"app_source_addresses"`
	AppCallsPerDay     sql.NullInt64 `db:"app_calls_per_day"`
	Status             string        `db:"status"`
	StatusReason       string        `db:"status_reason"`
	ValidUntil         dbNullTime    `db:"valid_until"`
	Roles              string        `db:"roles"`
	QuotaPerMinute     sql.NullInt64 `db:"quota_per_minute"`
	QuotaPerDay        sql.NullInt64 `db:"quota_per_day"`
	CreatedAt          dbTime        `db:"created_at"`
	UpdatedAt          dbTime        `db:"updated_at"`
}

func (r *accountRow) account() (*mkg.Account, error) {
	a := &mkg.Account{
		ID: r.ID, Organisation: r.Organisation, ContactName: r.ContactName, ContactEmail: r.ContactEmail,
		ContactPhone: r.ContactPhone, Status: mkg.AccountStatus(r.Status), StatusReason: r.StatusReason,
		ValidUntil: r.ValidUntil.Time, CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time,
		Application: mkg.ClientApplication{Name: r.AppName, Description: r.AppDescription, Platform: r.AppPlatform,
			CallbackURL: r.AppCallbackURL},
	}
	var addrs []string
	if err := json.Unmarshal([]byte(r.AppSourceAddresses), &addrs); err != nil {
		return nil, err
	}
	if len(addrs) > 0 {
		a.Application.SourceAddress = addrs
	}
	if r.AppCallsPerDay.Valid {
		a.Application.CallsPerDay = mkg.Ptr(int(r.AppCallsPerDay.Int64))
	}
	if r.QuotaPerMinute.Valid {
		a.Budget.PerMinute = mkg.Ptr(r.QuotaPerMinute.Int64)
	}
	if r.QuotaPerDay.Valid {
		a.Budget.PerDay = mkg.Ptr(r.QuotaPerDay.Int64)
	}
	for _, role := range splitList(r.Roles) {
		a.Roles = append(a.Roles, mkg.Role(role))
	}
	return a, nil
}

// selectAccounts runs a query over accounts a and attaches the grants: two
// statements whatever the number of accounts.
func (s *Store) selectAccounts(ctx context.Context, q sqlx.ExtContext, query string, args ...any) ([]*mkg.Account, error) {
	out, err := selectAs(ctx, s, q, (*accountRow).account, query, args...)
	if err != nil {
		return nil, err
	}
	return out, s.attachGrants(ctx, q, out)
}

func (s *Store) attachGrants(ctx context.Context, q sqlx.ExtContext, accts []*mkg.Account) error {
	if len(accts) == 0 {
		return nil
	}
	byID := make(map[int64]*mkg.Account, len(accts))
	ids := make([]int64, len(accts))
	for i, a := range accts {
		byID[a.ID], ids[i] = a, a.ID
	}
	var rows []struct {
		AccountID int64      `db:"account_id"`
		Dataset   string     `db:"dataset"`
		ExpiresAt dbNullTime `db:"expires_at"`
		GrantedAt dbTime     `db:"granted_at"`
		GrantedBy string     `db:"granted_by"`
	}
	if err := s.selectIn(ctx, q, &rows, `SELECT account_id, dataset, expires_at, granted_at, granted_by FROM grants
		WHERE account_id IN (?) ORDER BY account_id, dataset`, ids); err != nil {
		return err
	}
	for _, r := range rows {
		a := byID[r.AccountID]
		a.Grants = append(a.Grants, mkg.Grant{Dataset: mkg.Dataset(r.Dataset), ExpiresAt: r.ExpiresAt.Time,
			GrantedAt: r.GrantedAt.Time, GrantedBy: r.GrantedBy})
	}
	return nil
}

// lockedAccount reads an account with its grants inside a change, holding
// its row until the transaction ends; NOT_FOUND when there is none.
func (s *Store) lockedAccount(ctx context.Context, q sqlx.ExtContext, id int64) (*mkg.Account, error) {
	accts, err := s.selectAccounts(ctx, q, s.rebind("SELECT "+accountColumns+" FROM accounts a WHERE a.id = ?"+s.dialect.forUpdate), id)
	if err != nil {
		return nil, err
	}
	if len(accts) == 0 {
		return nil, mkg.NotFound("account")
	}
	return accts[0], nil
}

// AccountsByID implements mkg.AccessStore: two statements whatever the
// number of ids; nil for an id with no account.
func (s *Store) AccountsByID(ctx context.Context, ids []int64) ([]*mkg.Account, error) {
	return byID(s, ids, "SELECT "+accountColumns+" FROM accounts a WHERE a.id IN (?)", func(a *mkg.Account) int64 { return a.ID },
		func(query string, args ...any) ([]*mkg.Account, error) {
			return s.selectAccounts(ctx, s.q(), query, args...)
		})
}

// accountConditions validates the filter and returns its conditions.
func accountConditions(f mkg.AccountFilter) (where, error) {
	var w where
	if len(f.Status) > 0 {
		args := make([]any, len(f.Status))
		for i, st := range f.Status {
			switch st {
			case mkg.AccountActive, mkg.AccountSuspended, mkg.AccountRevoked:
			default:
				return w, mkg.Invalid("filter.status", "unknown status %q; statuses are ACTIVE, SUSPENDED, REVOKED", st)
			}
			args[i] = string(st)
		}
		w.add("a.status IN ("+placeholders(len(args))+")", args...)
	}
	if f.Role != "" {
		if !f.Role.Valid() {
			return w, mkg.Invalid("filter.role", "unknown role %q; roles are SERVICE_DESK, OFFICER, ADMIN", f.Role)
		}
		w.add("a.roles LIKE ?", "%,"+string(f.Role)+",%")
	}
	if strings.TrimSpace(f.Search) != "" {
		w.add(`a.search_text LIKE ? ESCAPE '\'`, likePattern(f.Search))
	}
	if f.Dataset != "" {
		d, err := mkg.ParseDataset(string(f.Dataset), "filter.dataset")
		if err != nil {
			return w, err
		}
		// Any grant, expired ones included: the admin looking for who holds
		// a dataset wants to see whose grant lapsed too.
		w.add("EXISTS (SELECT 1 FROM grants g WHERE g.account_id = a.id AND g.dataset = ?)", string(d))
	}
	return w, nil
}

// Accounts implements mkg.AccessStore, ordered by organisation then id.
func (s *Store) Accounts(ctx context.Context, f mkg.AccountFilter, p mkg.Page) (*mkg.AccountPage, error) {
	w, err := accountConditions(f)
	if err != nil {
		return nil, err
	}
	if c := p.After; c != nil {
		if c.Order != mkg.OrderAccounts {
			return nil, mkg.Invalid("after", "cursor belongs to another list")
		}
		w.add("a.organisation > ? OR (a.organisation = ? AND a.id > ?)", c.Value, c.Value, c.ID)
	}
	query := "SELECT " + accountColumns + " FROM accounts a WHERE " + w.sql() + " ORDER BY a.organisation, a.id LIMIT ?"
	accts, err := s.selectAccounts(ctx, s.q(), s.rebind(query), append(w.args, p.Limit+1)...)
	if err != nil {
		return nil, err
	}
	page := &mkg.AccountPage{HasNextPage: len(accts) > p.Limit, Accounts: accts[:min(len(accts), p.Limit)]}
	for _, a := range page.Accounts {
		page.Cursors = append(page.Cursors, mkg.Cursor{Order: mkg.OrderAccounts, Value: a.Organisation, ID: a.ID})
	}
	return page, nil
}

// CountAccounts implements mkg.AccessStore.
func (s *Store) CountAccounts(ctx context.Context, f mkg.AccountFilter) (int, error) {
	w, err := accountConditions(f)
	if err != nil {
		return 0, err
	}
	var n int
	err = sqlx.GetContext(ctx, s.q(), &n, s.rebind("SELECT COUNT(*) FROM accounts a WHERE "+w.sql()), w.args...)
	return n, s.wrap(err)
}

// accountInputColumns are the columns AccountInput sets, in the order of
// accountValues (and of UpdateAccount's SET).
const accountInputColumns = `organisation, contact_name, contact_email, contact_phone, app_name, app_description, app_platform,
	app_callback_url, app_source_addresses, app_calls_per_day, valid_until, roles, search_text`

// accountValues checks in (as of now) and returns its column values.
func accountValues(in *mkg.AccountInput, now time.Time) ([]any, error) {
	if err := in.Validate(now); err != nil {
		return nil, err
	}
	app := in.Application
	addrs, err := json.Marshal(nonNil(app.SourceAddress))
	if err != nil {
		return nil, err
	}
	var calls any
	if app.CallsPerDay != nil {
		calls = int64(*app.CallsPerDay)
	}
	org, name, email := strings.TrimSpace(in.Organisation), strings.TrimSpace(in.ContactName), strings.TrimSpace(in.ContactEmail)
	search := strings.ToLower(org + "\n" + name + "\n" + email)
	return []any{org, name, email, strings.TrimSpace(in.ContactPhone), strings.TrimSpace(app.Name), app.Description,
		strings.TrimSpace(app.Platform), strings.TrimSpace(app.CallbackURL), string(addrs), calls, nullTime(in.ValidUntil),
		joinList(sortedRoles(in.Roles)), search}, nil
}

// sortedRoles puts roles in the order of mkg.Roles, once each.
func sortedRoles(roles []mkg.Role) []mkg.Role {
	var out []mkg.Role
	for _, r := range mkg.Roles {
		if slices.Contains(roles, r) {
			out = append(out, r)
		}
	}
	return out
}

// CreateAccount implements mkg.AccessStore. The account starts ACTIVE.
func (s *Store) CreateAccount(ctx context.Context, by mkg.Actor, in mkg.AccountInput) (*mkg.Account, error) {
	now := s.now()
	vals, err := accountValues(&in, now)
	if err != nil {
		return nil, err
	}
	var out *mkg.Account
	err = s.tx(ctx, func(q sqlx.ExtContext) error {
		id, err := s.insertAccount(ctx, q, vals, now)
		if err != nil {
			return err
		}
		if out, err = s.lockedAccount(ctx, q, id); err != nil {
			return err
		}
		return s.record(ctx, q, by, now, "account.create", "account", formatID(id), accountFields(out))
	})
	return out, err
}

// insertAccount stores a new ACTIVE account of the values accountValues
// returned.
func (s *Store) insertAccount(ctx context.Context, q sqlx.ExtContext, vals []any, now time.Time) (int64, error) {
	var id int64
	err := sqlx.GetContext(ctx, q, &id, s.rebind(`INSERT INTO accounts (`+accountInputColumns+`, status, created_at, updated_at)
		VALUES (`+placeholders(len(vals)+3)+`) RETURNING id`), append(vals, string(mkg.AccountActive), dbTime{now}, dbTime{now})...)
	return id, s.wrap(err)
}

// UpdateAccount implements mkg.AccessStore: every field of the input
// replaces the stored one; status and grants are unchanged. The audit event
// lists each changed field with its old and new value.
func (s *Store) UpdateAccount(ctx context.Context, by mkg.Actor, id int64, in mkg.AccountInput) (*mkg.Account, error) {
	now := s.now()
	vals, err := accountValues(&in, now)
	if err != nil {
		return nil, err
	}
	var out *mkg.Account
	err = s.tx(ctx, func(q sqlx.ExtContext) error {
		before, err := s.lockedAccount(ctx, q, id)
		if err != nil {
			return err
		}
		_, err = q.ExecContext(ctx, s.rebind(`UPDATE accounts SET organisation = ?, contact_name = ?, contact_email = ?,
			contact_phone = ?, app_name = ?, app_description = ?, app_platform = ?, app_callback_url = ?, app_source_addresses = ?,
			app_calls_per_day = ?, valid_until = ?, roles = ?, search_text = ?, updated_at = ? WHERE id = ?`), append(vals, dbTime{now}, id)...)
		if err != nil {
			return s.wrap(err)
		}
		if out, err = s.lockedAccount(ctx, q, id); err != nil {
			return err
		}
		changes := map[string]any{}
		old, updated := accountFields(before), accountFields(out)
		for k, v := range updated {
			if string(v) != string(old[k]) {
				changes[k] = map[string]json.RawMessage{"from": old[k], "to": v}
			}
		}
		return s.record(ctx, q, by, now, "account.update", "account", formatID(id), map[string]any{"changes": changes})
	})
	return out, err
}

// accountFields are an account's AccountInput fields as the audit log
// shows them, each as JSON so that old and new compare as text.
func accountFields(a *mkg.Account) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for k, v := range map[string]any{
		"organisation": a.Organisation, "contactName": a.ContactName, "contactEmail": a.ContactEmail,
		"contactPhone": a.ContactPhone, "application": a.Application, "validUntil": jsonTime(a.ValidUntil), "roles": a.Roles,
	} {
		out[k], _ = json.Marshal(v) // strings, a struct of strings and ints: cannot fail
	}
	return out
}

// SetAccountBudget implements mkg.AccessStore.
func (s *Store) SetAccountBudget(ctx context.Context, by mkg.Actor, id int64, b mkg.AccountBudget) (*mkg.Account, error) {
	if err := b.Validate(); err != nil {
		return nil, err
	}
	var out *mkg.Account
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		now := s.now()
		before, err := s.lockedAccount(ctx, q, id)
		if err != nil {
			return err
		}
		_, err = q.ExecContext(ctx, s.rebind(`UPDATE accounts SET quota_per_minute = ?, quota_per_day = ?, updated_at = ? WHERE id = ?`),
			nullInt(b.PerMinute), nullInt(b.PerDay), dbTime{now}, id)
		if err != nil {
			return s.wrap(err)
		}
		if out, err = s.lockedAccount(ctx, q, id); err != nil {
			return err
		}
		return s.record(ctx, q, by, now, "account.budget", "account", formatID(id), map[string]any{
			"from": budgetFields(before.Budget), "to": budgetFields(out.Budget)})
	})
	return out, err
}

// budgetFields is an account's budget as the audit log shows it (null: the
// server's default).
func budgetFields(b mkg.AccountBudget) map[string]*int64 {
	return map[string]*int64{"perMinute": b.PerMinute, "perDay": b.PerDay}
}

func nullInt(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// SetAccountStatus implements mkg.AccessStore. Revoking revokes every key
// of the account in the same transaction; the audit event names them by
// prefix.
func (s *Store) SetAccountStatus(ctx context.Context, by mkg.Actor, id int64, to mkg.AccountStatus, reason string) (*mkg.Account, error) {
	var out *mkg.Account
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		now := s.now()
		acct, err := s.lockedAccount(ctx, q, id)
		if err != nil {
			return err
		}
		if err := mkg.CheckStatusChange(acct, to); err != nil {
			return err
		}
		reason = strings.TrimSpace(reason)
		_, err = q.ExecContext(ctx, s.rebind(`UPDATE accounts SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?`),
			string(to), reason, dbTime{now}, id)
		if err != nil {
			return s.wrap(err)
		}
		details := map[string]any{"from": string(acct.Status), "to": string(to), "reason": reason}
		if to == mkg.AccountRevoked {
			var prefixes []string
			err := sqlx.SelectContext(ctx, q, &prefixes, s.rebind(`UPDATE api_keys SET revoked_at = ?, revoke_reason = ?
				WHERE account_id = ? AND revoked_at IS NULL RETURNING prefix`), dbTime{now}, "account revoked", id)
			if err != nil {
				return s.wrap(err)
			}
			slices.Sort(prefixes)
			details["revokedKeys"] = nonNil(prefixes)
		}
		if out, err = s.lockedAccount(ctx, q, id); err != nil {
			return err
		}
		return s.record(ctx, q, by, now, "account.status", "account", formatID(id), details)
	})
	return out, err
}
