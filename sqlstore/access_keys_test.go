package sqlstore

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// authenticate does what the server does with a presented key.
func authenticate(t *testing.T, s *Store, key string) *mkg.Credential {
	t.Helper()
	prefix, ok := mkg.KeyPrefix(key)
	if !ok {
		t.Fatalf("issued key %q is not well formed", key)
	}
	before := s.Statements()
	cred, err := s.CredentialByPrefix(context.Background(), prefix)
	if err != nil {
		t.Fatal(err)
	}
	if n := s.Statements() - before; n > 2 {
		t.Errorf("CredentialByPrefix ran %d statements, want at most 2", n)
	}
	if !mkg.KeyMatches(key, cred.Hash) {
		t.Errorf("the issued key does not match its stored hash")
	}
	if cred.Hash == key || strings.Contains(cred.Hash, key[len(prefix)+1:]) {
		t.Errorf("the key itself is stored")
	}
	return cred
}

func TestKeyIssueAndAuthenticate(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		advance := clock(s)
		a := mustCreate(t, s, partner("Angkasa Pura"))
		if _, err := s.AddGrant(ctx, staff, a.ID, mkg.DatasetRadarVolume, nil); err != nil {
			t.Fatal(err)
		}
		expires := mkg.Ptr(advance(0).AddDate(0, 6, 0))
		key, rec, err := s.IssueKey(ctx, staff, a.ID, " ops dashboard ", expires)
		if err != nil {
			t.Fatal(err)
		}
		if rec.ID == 0 || rec.AccountID != a.ID || rec.Label != "ops dashboard" || !rec.ExpiresAt.Equal(*expires) ||
			!rec.CreatedAt.Equal(advance(0)) || rec.RevokedAt != nil || rec.LastUsedAt != nil || !strings.HasPrefix(key, rec.Prefix+"_") {
			t.Errorf("issued %+v for key %s", rec, key)
		}
		cred := authenticate(t, s, key)
		if !reflect.DeepEqual(cred.Key, *rec) || cred.Account.ID != a.ID || len(cred.Account.Grants) != 1 || cred.Account.Organisation != "Angkasa Pura" {
			t.Errorf("credential %+v, want the issued key and its account with grants", cred)
		}
		var stored []string
		if err := s.db.SelectContext(ctx, &stored, `SELECT hash FROM api_keys`); err != nil || len(stored) != 1 || stored[0] != mkg.HashAPIKey(key) {
			t.Errorf("stored hashes %v, %v", stored, err)
		}
		e := lastEvent(t, s)
		if e.Action != "key.issue" || e.TargetType != "apiKey" || e.TargetID != formatID(rec.ID) || e.Details["prefix"] != rec.Prefix {
			t.Errorf("audit event %+v", e)
		}

		_, err = s.CredentialByPrefix(ctx, "mkg_00000000")
		wantNotFound(t, "unknown prefix", err)
		_, _, err = s.IssueKey(ctx, staff, a.ID, "", mkg.Ptr(advance(0)))
		wantInvalid(t, "expiry now", err, "expiresAt")
		_, _, err = s.IssueKey(ctx, staff, 999, "", nil)
		wantNotFound(t, "issue to a missing account", err)
		mustSetStatus(t, s, a.ID, mkg.AccountSuspended)
		if _, _, err := s.IssueKey(ctx, staff, a.ID, "", nil); err != nil {
			t.Errorf("issue to a suspended account: %v", err)
		}
	})
}

func TestTouchKey(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a := mustCreate(t, s, partner("Telkom"))
		key, rec := mustIssue(t, s, a.ID, "")
		t1 := time.Date(2026, 4, 1, 10, 0, 0, 123456000, time.UTC)
		for _, at := range []time.Time{t1, t1.Add(-time.Minute)} { // a late report of an earlier use does not go back
			if err := s.TouchKey(ctx, rec.ID, at); err != nil {
				t.Fatal(err)
			}
		}
		if cred := authenticate(t, s, key); cred.Key.LastUsedAt == nil || !cred.Key.LastUsedAt.Equal(t1) {
			t.Errorf("last used %v, want %v", cred.Key.LastUsedAt, t1)
		}
		wantNotFound(t, "touch a missing key", s.TouchKey(ctx, 999, t1))
	})
}

func TestKeyRotateAndRevoke(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		advance := clock(s)
		a := mustCreate(t, s, partner("Pertamina"))
		expires := mkg.Ptr(advance(0).AddDate(1, 0, 0))
		oldKey, old, err := s.IssueKey(ctx, staff, a.ID, "pipeline", expires)
		if err != nil {
			t.Fatal(err)
		}
		advance(time.Hour)
		newKey, rec, err := s.RotateKey(ctx, staff, old.ID)
		if err != nil {
			t.Fatal(err)
		}
		if newKey == oldKey || rec.ID == old.ID || rec.Prefix == old.Prefix || rec.AccountID != a.ID || rec.Label != "pipeline" ||
			!rec.ExpiresAt.Equal(*expires) || rec.RevokedAt != nil {
			t.Errorf("rotated to %+v from %+v", rec, old)
		}
		if cred := authenticate(t, s, oldKey); cred.Key.RevokedAt == nil || !cred.Key.RevokedAt.Equal(advance(0)) || cred.Key.RevokeReason != "rotated" {
			t.Errorf("old key after rotation: %+v", cred.Key)
		}
		if cred := authenticate(t, s, newKey); cred.Key.ID != rec.ID || cred.Key.RevokedAt != nil {
			t.Errorf("new key: %+v", cred.Key)
		}
		e := lastEvent(t, s)
		if e.Action != "key.rotate" || e.TargetID != formatID(old.ID) || e.Details["prefix"] != old.Prefix || e.Details["newPrefix"] != rec.Prefix {
			t.Errorf("audit event %+v", e)
		}
		_, _, err = s.RotateKey(ctx, staff, old.ID)
		wantInvalid(t, "rotate a revoked key", err, "keyId")
		_, _, err = s.RotateKey(ctx, staff, 999)
		wantNotFound(t, "rotate a missing key", err)

		got, err := s.RevokeKey(ctx, staff, rec.ID, "laptop stolen")
		if err != nil || got.RevokedAt == nil || got.RevokeReason != "laptop stolen" {
			t.Fatalf("revoke: %+v, %v", got, err)
		}
		if e := lastEvent(t, s); e.Action != "key.revoke" || e.Details["reason"] != "laptop stolen" || e.Details["prefix"] != rec.Prefix {
			t.Errorf("audit event %+v", e)
		}
		_, err = s.RevokeKey(ctx, staff, rec.ID, "again")
		wantInvalid(t, "revoke twice", err, "keyId")
		_, err = s.RevokeKey(ctx, staff, 999, "")
		wantNotFound(t, "revoke a missing key", err)

		// An expired key is not rotated into a key that is born expired.
		_, short, err := s.IssueKey(ctx, staff, a.ID, "short", mkg.Ptr(advance(0).Add(time.Minute)))
		if err != nil {
			t.Fatal(err)
		}
		advance(time.Hour)
		_, _, err = s.RotateKey(ctx, staff, short.ID)
		wantInvalid(t, "rotate an expired key", err, "keyId")
	})
}

func TestKeyPrefixCollisionIsRetried(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		a := mustCreate(t, s, partner("Bank Indonesia"))
		first, rec := mustIssue(t, s, a.ID, "")
		// The next draw repeats the first key's prefix; the one after is fresh.
		draws := 0
		newAPIKey = func() (string, string, string) {
			draws++
			if draws == 1 {
				clash := rec.Prefix + first[len(rec.Prefix):len(first)-1] + "A"
				return clash, rec.Prefix, mkg.HashAPIKey(clash)
			}
			return mkg.NewAPIKey()
		}
		t.Cleanup(func() { newAPIKey = mkg.NewAPIKey })
		key, second := mustIssue(t, s, a.ID, "")
		if draws != 2 || second.Prefix == rec.Prefix {
			t.Fatalf("%d draws, prefix %s: want a second draw after the collision", draws, second.Prefix)
		}
		authenticate(t, s, key)
		authenticate(t, s, first)
	})
}
