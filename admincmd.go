package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/bmkg/mkggraph/mkg"
)

type adminFlags struct {
	organisation, name, email string
}

// createAdmin creates an administrator account and prints its first key.
// There is no default password or built-in admin: the first administrator
// is made here, by someone with access to the database, and the key is
// shown only this once.
func createAdmin(ctx context.Context, cfg *Config, log *slog.Logger, f adminFlags, stdout io.Writer) error {
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()
	by := mkg.Actor{Label: "command line (create-admin)"}
	acct, err := store.CreateAccount(ctx, by, mkg.AccountInput{
		Organisation: f.organisation, ContactName: f.name, ContactEmail: f.email,
		Application: mkg.ClientApplication{Name: "MKG Graph administration"},
		Roles:       []mkg.Role{mkg.RoleAdmin},
	})
	if err != nil {
		return userError(err)
	}
	key, k, err := store.IssueKey(ctx, by, acct.ID, "created by create-admin", nil)
	if err != nil {
		return userError(err)
	}
	fmt.Fprintf(stdout, "Administrator account %d created for %s <%s> (%s).\n", acct.ID, acct.ContactName, acct.ContactEmail, acct.Organisation)
	fmt.Fprintf(stdout, "API key (shown once, store it now; the server keeps only a hash):\n\n  %s\n\n", key)
	fmt.Fprintf(stdout, "Send it as: Authorization: Bearer %s…  (key %s)\n", k.Prefix, k.Prefix)
	return nil
}

// userError turns a validation error into a message naming the flag.
func userError(err error) error {
	e, ok := err.(*mkg.Error)
	if !ok || e.Code != mkg.EINVALID {
		return err
	}
	flag := map[string]string{"input.organisation": "-organisation", "input.contactName": "-name", "input.contactEmail": "-email"}[e.Field]
	if flag == "" {
		flag = e.Field
	}
	return fmt.Errorf("%s: %s", flag, e.Message)
}
