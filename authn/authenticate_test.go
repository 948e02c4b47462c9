package authn

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/cache"
	"github.com/bmkg/mkggraph/inmem"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/sqlstore"
)

var quiet = slog.New(slog.DiscardHandler)

func TestUsable(t *testing.T) {
	now := time.Now()
	past := now.Add(-time.Hour)
	ok := func() *mkg.Credential {
		return &mkg.Credential{Key: mkg.APIKey{Prefix: "mkg_00000000"}, Account: &mkg.Account{Status: mkg.AccountActive}}
	}
	cases := map[string]struct {
		mutate func(c *mkg.Credential)
		want   string
	}{
		"good":                   {func(c *mkg.Credential) {}, ""},
		"revoked key":            {func(c *mkg.Credential) { c.Key.RevokedAt = &past }, "revoked"},
		"expired key":            {func(c *mkg.Credential) { c.Key.ExpiresAt = &past }, "expired"},
		"revoked account":        {func(c *mkg.Credential) { c.Account.Status = mkg.AccountRevoked }, "account of API key"},
		"account validity ended": {func(c *mkg.Credential) { c.Account.ValidUntil = &past }, "was valid until"},
		"suspended account":      {func(c *mkg.Credential) { c.Account.Status = mkg.AccountSuspended }, ""},
	}
	for name, c := range cases {
		cred := ok()
		c.mutate(cred)
		err := usable(cred, now)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case c.want != "" && (mkg.ErrorCode(err) != mkg.EUNAUTHENTICATED || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want UNAUTHENTICATED mentioning %q", name, err, c.want)
		}
	}
}

func TestAuthenticate(t *testing.T) {
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "a.db"), sqlstore.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	watch, stop := context.WithCancel(ctx)
	defer stop()
	go s.Watch(watch) // keeps the access version in memory, as a server does
	c := cache.NewResilient(inmem.NewCache(0), "memory", quiet)
	a := NewAuthenticator(s, c, quiet, nil)
	by := mkg.Actor{Label: "test"}
	acct, err := s.CreateAccount(ctx, by, mkg.AccountInput{Organisation: "O", ContactName: "C", ContactEmail: "c@example.org", Application: mkg.ClientApplication{Name: "a"}})
	if err != nil {
		t.Fatal(err)
	}
	key, k, _ := s.IssueKey(ctx, by, acct.ID, "", nil)

	p, err := a.Authenticate(ctx, "", "1.2.3.4")
	if err != nil || !p.Anonymous() || p.Classification(mkg.DatasetEarthquake) != mkg.Open {
		t.Fatalf("anonymous: %v %v", p, err)
	}
	p, err = a.Authenticate(ctx, "Bearer "+key, "1.2.3.4")
	if err != nil || p.Account.ID != acct.ID || p.KeyPrefix != k.Prefix {
		t.Fatalf("good key: %v %v", p, err)
	}
	// "Bearer " with nothing after it (a shell variable never set) is
	// refused, saying so and how to call anonymously.
	var empty *mkg.Error
	if _, err := a.Authenticate(ctx, "Bearer ", "1.2.3.4"); !errors.As(err, &empty) || empty.Code != mkg.EUNAUTHENTICATED ||
		!strings.Contains(empty.Message, "holds no key") || !strings.Contains(empty.Message, "no Authorization header") {
		t.Errorf("empty bearer: %v", err)
	}
	// Cached: no statement for the same key again, nor for a repeated unknown key.
	unknown, _, _ := mkg.NewAPIKey()
	a.Authenticate(ctx, "bearer "+unknown, "5.6.7.8")
	time.Sleep(50 * time.Millisecond) // the last-use write runs in the background
	before := s.Statements()
	a.Authenticate(ctx, "Bearer "+key, "1.2.3.4")
	if _, err := a.Authenticate(ctx, "Bearer "+unknown, "5.6.7.8"); mkg.ErrorCode(err) != mkg.EUNAUTHENTICATED {
		t.Errorf("unknown key: %v", err)
	}
	if n := s.Statements() - before; n != 0 {
		t.Errorf("two cached authentications cost %d statements, want none (the access version is in memory)", n)
	}
	// The key's last use was recorded.
	keys, _ := s.KeysOfAccounts(ctx, []int64{acct.ID})
	if keys[0][0].LastUsedAt == nil {
		t.Error("last use not recorded")
	}
	// A revocation made elsewhere (straight in the store, as another
	// instance would, without touching this cache) is seen at once.
	if _, err := s.RevokeKey(ctx, by, k.ID, "leaked"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Authenticate(ctx, "Bearer "+key, "1.2.3.4"); mkg.ErrorCode(err) != mkg.EUNAUTHENTICATED {
		t.Errorf("revoked key accepted: %v", err)
	}
}
