package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/bmkg/mkggraph/sqlstore"
)

// defineMigrate: migrate takes the database settings, no flags of its own.
func defineMigrate(*flag.FlagSet) action {
	return func(ctx context.Context, in *invocation) int {
		if err := migrate(ctx, in.cfg, in.log, in.stdout); err != nil {
			return in.fail(err)
		}
		return 0
	}
}

func migrate(ctx context.Context, cfg *Config, log *slog.Logger, stdout io.Writer) error {
	store, err := sqlstore.Connect(ctx, cfg.databaseURL(), cfg.storeOptions(log))
	if err != nil {
		return err
	}
	defer store.Close()
	applied, err := store.Migrate(ctx)
	for _, m := range applied {
		fmt.Fprintf(stdout, "applied %04d_%s\n", m.Version, m.Name)
	}
	if err == nil && len(applied) == 0 {
		fmt.Fprintln(stdout, "database is up to date")
	}
	return err
}
