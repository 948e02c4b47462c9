package main

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// callers are the kinds of caller the access rules distinguish, each with
// a key, set up in an app's database.
type callers struct {
	once sync.Once
	err  error
	// full: a partner granted every dataset; none: a partner with no
	// grant; expired: a partner whose grants of every dataset have ended;
	// suspended: a partner with every grant, suspended; admin: an ADMIN
	// with every grant; partnerAccount: full's account id.
	full, none, expired, suspended, admin string
	partnerAccount, adminAccount          int64
}

var testActor = mkg.Actor{Label: "test fixture"}

// callersOf returns the callers of a shared app, creating them once.
func callersOf(t testing.TB, a *app) *callers {
	t.Helper()
	var s *sharedApp
	for _, sh := range shared {
		if sh.app == a {
			s = sh
		}
	}
	if s == nil {
		t.Fatal("callersOf needs a shared app")
	}
	if s.callers == nil {
		s.callers = &callers{}
	}
	c := s.callers
	c.once.Do(func() { c.err = c.setUp(a) })
	if c.err != nil {
		t.Fatal(c.err)
	}
	return c
}

func (c *callers) setUp(a *app) error {
	ctx := context.Background()
	mk := func(org string, roles []mkg.Role, grants bool, expiry *time.Time) (string, int64, error) {
		acct, err := a.Store.CreateAccount(ctx, testActor, mkg.AccountInput{Organisation: org, ContactName: "Tester",
			ContactEmail: "tester@example.org", Application: mkg.ClientApplication{Name: "e2e tests"}, Roles: roles})
		if err != nil {
			return "", 0, err
		}
		if grants {
			for _, d := range mkg.Datasets {
				if _, err := a.Store.AddGrant(ctx, testActor, acct.ID, d, expiry); err != nil {
					return "", 0, err
				}
			}
		}
		key, _, err := a.Store.IssueKey(ctx, testActor, acct.ID, "tests", nil)
		return key, acct.ID, err
	}
	var err error
	if c.full, c.partnerAccount, err = mk("Partner with every grant", nil, true, nil); err != nil {
		return err
	}
	if c.none, _, err = mk("Partner without grants", nil, false, nil); err != nil {
		return err
	}
	soon := time.Now().Add(1500 * time.Millisecond)
	if c.expired, _, err = mk("Partner with expired grants", nil, true, &soon); err != nil {
		return err
	}
	var suspendedID int64
	if c.suspended, suspendedID, err = mk("Suspended partner", nil, true, nil); err != nil {
		return err
	}
	if _, err := a.Store.SetAccountStatus(ctx, testActor, suspendedID, mkg.AccountSuspended, "tests"); err != nil {
		return err
	}
	if c.admin, c.adminAccount, err = mk("Agency administration", []mkg.Role{mkg.RoleAdmin}, true, nil); err != nil {
		return err
	}
	time.Sleep(time.Until(soon) + 50*time.Millisecond) // let the expiring grants expire
	return nil
}

// forEachBackendAs runs fn on each backend's shared app with its callers.
func forEachBackendAs(t *testing.T, fn func(t *testing.T, a *app, srv *httptest.Server, c *callers)) {
	forEachBackend(t, func(t *testing.T, a *app, srv *httptest.Server) {
		fn(t, a, srv, callersOf(t, a))
	})
}
