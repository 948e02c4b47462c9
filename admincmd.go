package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// defineCreateAdmin: create-admin's flags say who the administrator is.
func defineCreateAdmin(fs *flag.FlagSet) action {
	var in mkg.AccountInput
	fs.StringVar(&in.Organisation, "organisation", "", "the administrator's `organisation` (required)")
	fs.StringVar(&in.ContactName, "name", "", "the administrator's `name` (required)")
	fs.StringVar(&in.ContactEmail, "email", "", "the administrator's e-mail `address` (required)")
	return func(ctx context.Context, inv *invocation) int {
		in.Application = mkg.ClientApplication{Name: "MKG Graph administration"}
		in.Roles = []mkg.Role{mkg.RoleAdmin}
		if err := in.Validate(time.Now()); err != nil {
			return inv.misuse("%v", flagError(err))
		}
		switch err := createAdmin(ctx, inv.cfg, inv.log, in, inv.stdout); {
		case err == nil:
			return 0
		case mkg.ErrorCode(err) == mkg.EINVALID:
			return inv.misuse("%v", flagError(err))
		default:
			return inv.fail(err)
		}
	}
}

// createAdmin creates an administrator account and prints its first key.
// There is no default password or built-in admin: the first administrator
// is made here, by someone with access to the database, and the key is
// shown only this once.
func createAdmin(ctx context.Context, cfg *Config, log *slog.Logger, in mkg.AccountInput, stdout io.Writer) error {
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()
	by := mkg.Actor{Label: "command line (create-admin)"}
	acct, err := store.CreateAccount(ctx, by, in)
	if err != nil {
		return err
	}
	key, k, err := store.IssueKey(ctx, by, acct.ID, "created by create-admin", nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Administrator account %d created for %s <%s> (%s).\n", acct.ID, acct.ContactName, acct.ContactEmail, acct.Organisation)
	fmt.Fprintf(stdout, "API key (shown once, store it now; the server keeps only a hash):\n\n  %s\n\n", key)
	fmt.Fprintf(stdout, "Send it as: Authorization: Bearer %s…  (key %s)\n", k.Prefix, k.Prefix)
	return nil
}

// flagError turns a validation error into one naming the flag at fault;
// other errors are returned as they are.
func flagError(err error) error {
	var e *mkg.Error
	if !errors.As(err, &e) || e.Code != mkg.EINVALID {
		return err
	}
	flag := map[string]string{"input.organisation": "-organisation", "input.contactName": "-name", "input.contactEmail": "-email"}[e.Field]
	if flag == "" {
		flag = e.Field
	}
	return fmt.Errorf("%s: %s", flag, e.Message)
}
